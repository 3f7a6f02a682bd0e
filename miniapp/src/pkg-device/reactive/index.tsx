import { useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { ReactivePowerControlBody, ReactivePowerControlData } from '@wattdesk/shared';
import { Button, Segmented } from '../../ui/nutui';
import { fetchDevice, fetchReactive, sendReactive, syncReactive } from '../../api/devices';
import { endpoints } from '../../api/endpoints';
import { ApiError, userMessage } from '../../api/errors';
import { useRemote } from '../../hooks/useRemote';
import { Skeleton } from '../../components/StateView';
import { ConfirmSheet } from '../../components/ConfirmSheet';
import { TextField } from '../../components/Field';
import { newIdempotencyKey } from '../../domain/devices';
import {
  checkReactive,
  formFrom,
  plainReactiveMessage,
  reactiveChanges,
  reactiveFields,
  type ReactiveForm,
  type ReactiveProblems,
} from '../../domain/reactive';
import { go } from '../../routes';
import { isUnanswered } from '../detail/useBmsCommand';

type Result = { tone: 'ok' | 'error' | 'unknown'; message: string };

/** Seed 000: reactive power settings, checked against their ranges (in words) before anything is sent. */
export default function ReactivePage() {
  const uid = useRouter().params.uid ?? '';
  const device = useRemote(() => fetchDevice(uid), `d:${uid}`, { pullToRefresh: false });
  // undefined: nothing stored yet for this device (100004), which is not an error.
  const current = useRemote<ReactivePowerControlData | undefined>(
    () =>
      fetchReactive(uid).catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 100004) return undefined;
        throw err;
      }),
    `r:${uid}`,
    { pullToRefresh: false },
  );
  const [known, setKnown] = useState<ReactivePowerControlData>();
  const [form, setForm] = useState<ReactiveForm>(formFrom(undefined));
  const [problems, setProblems] = useState<ReactiveProblems>({});
  const [pending, setPending] = useState<{ body: ReactivePowerControlBody; key: string } | null>(null);
  const [busy, setBusy] = useState<'send' | 'sync' | null>(null);
  const [result, setResult] = useState<Result>();
  const inFlight = useRef(false);

  useEffect(() => {
    if (current.data) {
      setKnown(current.data);
      setForm(formFrom(current.data));
    }
  }, [current.data]);

  /** A failure the BFF pinned to a field goes under that input, in words. */
  const showFailure = (err: unknown) => {
    const field = err instanceof ApiError ? err.field : undefined;
    if (field && field in form) {
      setProblems({ [field]: plainReactiveMessage(userMessage(err)) });
      setResult(undefined);
    } else if (isUnanswered(err)) {
      setResult({
        tone: 'unknown',
        message:
          '结果未知：没有收到设备的应答，无法确定设置是否已生效。请查看命令记录，或从设备同步后再决定。',
      });
    } else setResult({ tone: 'error', message: plainReactiveMessage(userMessage(err)) });
  };

  const review = () => {
    const checked = checkReactive(uid, form);
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    setProblems({});
    setPending({ body: checked.body, key: newIdempotencyKey() });
  };

  const send = async () => {
    if (!pending || inFlight.current) return;
    inFlight.current = true;
    setBusy('send');
    try {
      await sendReactive(pending.body, pending.key);
      const { device_uid: _uid, ...sent } = pending.body;
      setKnown({ device_uid: uid, ...sent });
      setProblems({});
      setResult({ tone: 'ok', message: '设备已应用新的无功治理设置' });
    } catch (err) {
      showFailure(err);
    } finally {
      inFlight.current = false;
      setBusy(null);
      setPending(null);
    }
  };

  const sync = async () => {
    if (busy) return;
    setBusy('sync');
    try {
      const data = await syncReactive(uid);
      setKnown(data);
      setForm(formFrom(data));
      setProblems({});
      setResult({ tone: 'ok', message: '已从设备读取当前设置' });
    } catch (err) {
      showFailure(err);
    } finally {
      setBusy(null);
    }
  };

  const name = device.data ? `${device.data.name}（${uid}）` : uid;
  const toneClass = { ok: 'notice-ok', error: 'notice-error', unknown: 'notice-unknown' };
  return (
    <View className="page">
      {current.loading ? (
        <Skeleton rows={6} />
      ) : (
        <>
          {current.error && (
            <View className="card notice-error" data-testid="reactive-load-error">
              {`读取已保存的设置失败：${current.error}`}
            </View>
          )}
          {!current.error && !known && (
            <View className="card notice-warning" data-testid="reactive-stale">
              还没有这台设备的设置记录。可点“从设备同步”读取设备当前的设置，或直接填写后下发。
            </View>
          )}
          <View className="card">
            <View className="muted">{`设备：${name}`}</View>
            <View className="field">
              <View className="field-label">补偿模式 *</View>
              <Segmented
                value={form.mode === '2' ? 2 : 1}
                options={[
                  { label: '容性无功补偿', value: 1 },
                  { label: '感性无功补偿', value: 2 },
                ]}
                onChange={(v) => setForm({ ...form, mode: String(v) })}
              />
            </View>
            {reactiveFields.map((f) => (
              <TextField
                key={f.key}
                label={f.key === 'period' ? '调节周期（毫秒）' : f.label}
                required={f.required}
                type="digit"
                hint={f.hint}
                placeholder={f.hint}
                value={form[f.key]}
                error={problems[f.key]}
                testId={`field-${f.key}`}
                onChange={(v) => setForm({ ...form, [f.key]: v })}
              />
            ))}
            {problems.mode && <View className="field-error">{problems.mode}</View>}
            {result && (
              <View className={`card ${toneClass[result.tone]}`} data-testid="reactive-result">
                <Text>{result.message}</Text>
                {result.tone === 'unknown' && (
                  <View>
                    <Text className="link" onClick={() => go('history', { uid })}>
                      查看命令记录 ›
                    </Text>
                  </View>
                )}
              </View>
            )}
            <View className="actions">
              <Button loading={busy === 'sync'} disabled={busy !== null} onClick={() => void sync()}>
                从设备同步
              </Button>
              <Button type="primary" disabled={busy !== null} onClick={review}>
                下发设置
              </Button>
            </View>
          </View>
        </>
      )}
      {pending && (
        <ConfirmSheet
          visible
          title="确认下发无功治理设置"
          device={name}
          action="按以下参数调节功率因数"
          changes={reactiveChanges(known, pending.body)}
          request={{
            method: endpoints.reactiveSet.method,
            path: endpoints.reactiveSet.path,
            body: pending.body,
          }}
          sending={busy === 'send'}
          onConfirm={() => void send()}
          onCancel={() => busy !== 'send' && setPending(null)}
        />
      )}
    </View>
  );
}
