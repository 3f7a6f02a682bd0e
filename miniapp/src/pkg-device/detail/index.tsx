import { useEffect, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Tag } from '../../ui/nutui';
import { fetchBms, fetchDevice, syncBms } from '../../api/devices';
import { endpoints } from '../../api/endpoints';
import { ApiError, userMessage } from '../../api/errors';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { ConfirmSheet } from '../../components/ConfirmSheet';
import {
  bmsCommands,
  bmsControls,
  count,
  describeBms,
  formatSeen,
  type BmsCommandCode,
} from '../../domain/devices';
import { go, urlOf } from '../../routes';
import { useBmsCommand, type CommandOutcome } from './useBmsCommand';
import { useResetRequest } from './useResetRequest';

const buttonType: Record<BmsCommandCode, 'warning' | 'primary' | 'default'> = {
  1: 'warning',
  2: 'primary',
  3: 'default',
};

function Outcome({ outcome, uid }: { outcome: CommandOutcome; uid: string }) {
  const name = bmsCommands[outcome.command].name;
  if (outcome.kind === 'unknown')
    return (
      <View className="card notice-unknown" data-testid="command-outcome" data-tone="unknown">
        <View className="card-title">{`${name}：结果未知`}</View>
        <View>{outcome.message}</View>
        <Text className="link" data-testid="outcome-history" onClick={() => go('history', { uid })}>
          查看命令记录 ›
        </Text>
      </View>
    );
  if (outcome.kind === 'failed')
    return (
      <View className="card notice-error" data-testid="command-outcome" data-tone="error">
        <View className="card-title">{`${name}未执行`}</View>
        <View>{outcome.message}</View>
      </View>
    );
  return (
    <View
      className={`card ${outcome.tone === 'ok' ? 'notice-ok' : 'notice-warning'}`}
      data-testid="command-outcome"
      data-tone={outcome.tone}
    >
      <View className="card-title">{outcome.title}</View>
      {outcome.detail && <View data-testid="command-readback">{outcome.detail}</View>}
      {outcome.next && <View className="outcome-next">{`下一步：${outcome.next}`}</View>}
    </View>
  );
}

/** One EMS device: online state, BMS status, fault reset and contactor control behind a confirmation. */
export default function DevicePage() {
  const uid = useRouter().params.uid ?? '';
  const device = useRemote(() => fetchDevice(uid), `d:${uid}`);
  const isGateway = device.data?.kind === 'gateway';
  useEffect(() => {
    // A meter gateway has no BMS: it has its own page.
    if (isGateway) void Taro.redirectTo({ url: urlOf('gateway', { uid }) });
  }, [isGateway, uid]);
  // A device nobody has synced yet has no stored status (100004): read it from the device once.
  const bms = useRemote(
    () =>
      fetchBms(uid).catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 100004) return syncBms(uid, 'auto');
        throw err;
      }),
    `b:${uid}`,
  );
  const [syncing, setSyncing] = useState(false);
  const [syncError, setSyncError] = useState<string>();
  const cmd = useBmsCommand(uid, () => void bms.reload());
  useResetRequest(cmd.ask);

  const sync = async () => {
    if (syncing) return;
    setSyncing(true);
    setSyncError(undefined);
    try {
      await syncBms(uid);
      await bms.reload();
    } catch (err) {
      setSyncError(userMessage(err));
    } finally {
      setSyncing(false);
    }
  };

  const d = device.data;
  const state = bms.loading || syncing ? undefined : bms.data;
  const controls = bmsControls(state);
  const busy = cmd.sending || syncing || bms.loading;
  const reasons = ([1, 2, 3] as BmsCommandCode[])
    .filter((c) => !controls[c].enabled && controls[c].reason && state)
    .map((c) => `${bmsCommands[c].name}：${controls[c].reason}`);
  if (isGateway) return <View className="page" />;
  return (
    <View className="page">
      <StateView
        loading={device.loading}
        error={device.error}
        onRetry={() => void device.reload()}
        skeletonRows={2}
      >
        {d && (
          <View className="card">
            <View className="row">
              <Text className="card-title">{d.name}</Text>
              <Tag type={d.online ? 'success' : 'default'}>{d.online ? '在线' : '离线'}</Tag>
            </View>
            <Text className="muted">{`编号 ${d.device_uid}${d.site ? ` · ${d.site}` : ''} · 最后通信 ${formatSeen(d.last_seen_at)}`}</Text>
          </View>
        )}
      </StateView>

      <View className="card" data-testid="bms-card">
        <View className="card-title">电池管理系统（BMS）</View>
        <StateView loading={bms.loading} error={bms.error} onRetry={() => void bms.reload()} skeletonRows={2}>
          {bms.data && (
            <View data-testid="bms-status">
              <View className="row">
                <Text>运行状态</Text>
                <Text>{describeBms(bms.data)}</Text>
              </View>
              <View className="row">
                <Text>报警数</Text>
                <Text
                  className={bms.data.alarm_status > 0 ? 'error-text' : 'ok-text'}
                  data-testid="bms-alarms"
                >
                  {count(bms.data.alarm_status)}
                </Text>
              </View>
            </View>
          )}
        </StateView>
        {syncError && <View className="field-error">{syncError}</View>}
        <View className="actions">
          <Button size="small" loading={syncing} disabled={busy} onClick={() => void sync()}>
            同步状态
          </Button>
          {([1, 2, 3] as BmsCommandCode[]).map((c) => (
            <Button
              key={c}
              size="small"
              type={buttonType[c]}
              fill={c === 3 ? 'outline' : 'solid'}
              disabled={busy || !controls[c].enabled}
              onClick={() => cmd.ask(c)}
            >
              {bmsCommands[c].name}
            </Button>
          ))}
        </View>
        {reasons.length > 0 && (
          <View className="muted" data-testid="control-reasons">
            {reasons.map((r) => (
              <View key={r}>{r}</View>
            ))}
          </View>
        )}
        {cmd.outcome && <Outcome outcome={cmd.outcome} uid={uid} />}
      </View>

      <View className="actions">
        <Button onClick={() => go('reactive', { uid })}>无功治理设置</Button>
        <Button onClick={() => go('history', { uid })}>命令记录</Button>
      </View>

      {cmd.pending && (
        <ConfirmSheet
          visible
          title={`确认${bmsCommands[cmd.pending.command].name}`}
          device={d ? `${d.name}（${d.device_uid}）` : uid}
          action={`${bmsCommands[cmd.pending.command].name}：${bmsCommands[cmd.pending.command].summary}`}
          request={{
            method: endpoints.bmsCommand.method,
            path: endpoints.bmsCommand.path,
            body: { device_uid: uid, command: cmd.pending.command },
          }}
          sending={cmd.sending}
          onConfirm={() => void cmd.confirm()}
          onCancel={cmd.cancel}
        />
      )}
    </View>
  );
}
