import { useEffect, useRef, useState } from 'react';
import { View, Text, Input } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { ReactivePowerControlBody } from '@wattdesk/shared';
import { Button, Segmented } from '../../ui/nutui';
import { fetchReactive, sendReactive, syncReactive } from '../../api/devices';
import { endpoints } from '../../api/endpoints';
import { userMessage } from '../../api/errors';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { ConfirmSheet } from '../../components/ConfirmSheet';
import { newIdempotencyKey } from '../../domain/devices';
import { checkReactive, formFrom, reactiveFields, type ReactiveForm } from '../../domain/reactive';

/** Seed 000: reactive power settings, checked against the server's ranges before anything is sent. */
export default function ReactivePage() {
  const uid = useRouter().params.uid ?? '';
  const current = useRemote(() => fetchReactive(uid), `r:${uid}`, { pullToRefresh: false });
  const [form, setForm] = useState<ReactiveForm>(formFrom(undefined));
  const [problem, setProblem] = useState<{ field: string; message: string }>();
  const [pending, setPending] = useState<{ body: ReactivePowerControlBody; key: string } | null>(null);
  const [busy, setBusy] = useState<'send' | 'sync' | null>(null);
  const [result, setResult] = useState<{ ok: boolean; message: string }>();
  const inFlight = useRef(false);

  useEffect(() => {
    if (current.data) setForm(formFrom(current.data));
  }, [current.data]);

  const review = () => {
    const checked = checkReactive(uid, form);
    if (!checked.ok) {
      setProblem(checked);
      return;
    }
    setProblem(undefined);
    setPending({ body: checked.body, key: newIdempotencyKey() });
  };

  const send = async () => {
    if (!pending || inFlight.current) return;
    inFlight.current = true;
    setBusy('send');
    try {
      await sendReactive(pending.body, pending.key);
      setResult({ ok: true, message: '无功治理设置已下发' });
      void current.reload();
    } catch (err) {
      setResult({ ok: false, message: userMessage(err) });
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
      setForm(formFrom(await syncReactive(uid)));
      setResult({ ok: true, message: '已从设备同步当前设置' });
    } catch (err) {
      setResult({ ok: false, message: userMessage(err) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <View className="page">
      <StateView loading={current.loading && !current.error} error={undefined}>
        {current.error && (
          <View className="card muted">{`尚未读取到设备设置（${current.error}），可直接填写或同步。`}</View>
        )}
        <View className="card">
          <View className="field">
            <View className="field-label">补偿模式</View>
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
            <View className="field" key={f.key}>
              <View className="field-label">{`${f.label}${f.required ? ' *' : ''}`}</View>
              <Input
                className="field-input"
                type="digit"
                placeholder={f.hint}
                value={form[f.key]}
                onInput={(e) => setForm({ ...form, [f.key]: e.detail.value })}
              />
              {problem?.field === f.key && <View className="field-error">{problem.message}</View>}
            </View>
          ))}
          {problem && !reactiveFields.some((f) => f.key === problem.field) && (
            <View className="field-error">{problem.message}</View>
          )}
          {result && (
            <View className="card" data-testid="reactive-result">
              <Text className={result.ok ? 'ok-text' : 'error-text'}>{result.message}</Text>
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
      </StateView>
      {pending && (
        <ConfirmSheet
          visible
          title="确认下发无功治理设置"
          summary={`设备 ${uid} 将按以下参数调节功率因数`}
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
