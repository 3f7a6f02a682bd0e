import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { Button, Tag } from '../../ui/nutui';
import { fetchBms, fetchDevice, syncBms } from '../../api/devices';
import { endpoints } from '../../api/endpoints';
import { ApiError, userMessage } from '../../api/errors';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { ConfirmSheet } from '../../components/ConfirmSheet';
import { bmsCommands, describeBms, formatSeen, type BmsCommandCode } from '../../domain/devices';
import { go } from '../../routes';
import { useBmsCommand } from './useBmsCommand';
import { useResetRequest } from './useResetRequest';

/** One device: online state, BMS status, fault reset and contactor control behind a confirmation. */
export default function DevicePage() {
  const uid = useRouter().params.uid ?? '';
  const device = useRemote(() => fetchDevice(uid), `d:${uid}`);
  // A device nobody has synced yet has no stored status (100004): read it from the device once.
  const bms = useRemote(
    () =>
      fetchBms(uid).catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 100004) return syncBms(uid);
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
  return (
    <View className="page">
      <StateView loading={device.loading} error={device.error} onRetry={() => void device.reload()}>
        {d && (
          <View className="card">
            <View className="row">
              <Text className="card-title">{d.name}</Text>
              <Tag type={d.online ? 'success' : 'default'}>{d.online ? '在线' : '离线'}</Tag>
            </View>
            <Text className="muted">{`编号 ${d.device_uid} · 最后通信 ${formatSeen(d.last_seen_at)}`}</Text>
          </View>
        )}
      </StateView>

      <View className="card" data-testid="bms-card">
        <View className="card-title">电池管理系统（BMS）</View>
        <StateView loading={bms.loading} error={bms.error} onRetry={() => void bms.reload()}>
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
                  {String(bms.data.alarm_status)}
                </Text>
              </View>
            </View>
          )}
        </StateView>
        {syncError && <View className="field-error">{syncError}</View>}
        <View className="actions">
          <Button size="small" loading={syncing} disabled={syncing} onClick={() => void sync()}>
            同步状态
          </Button>
          {([1, 2, 3] as BmsCommandCode[]).map((c) => (
            <Button
              key={c}
              size="small"
              type={c === 1 ? 'warning' : 'primary'}
              disabled={cmd.sending}
              onClick={() => cmd.ask(c)}
            >
              {bmsCommands[c].name}
            </Button>
          ))}
        </View>
        {cmd.outcome && (
          <View className="card outcome" data-testid="command-outcome">
            <Text className={cmd.outcome.ok ? 'ok-text' : 'error-text'}>{cmd.outcome.message}</Text>
            {cmd.outcome.ok && cmd.outcome.readback && (
              <View className="muted" data-testid="command-readback">
                {`回读：${describeBms(cmd.outcome.readback)}`}
              </View>
            )}
          </View>
        )}
      </View>

      <View className="actions">
        <Button onClick={() => go('reactive', { uid })}>无功治理设置</Button>
        <Button onClick={() => go('history', { uid })}>命令记录</Button>
      </View>

      {cmd.pending && (
        <ConfirmSheet
          visible
          title={`确认${bmsCommands[cmd.pending.command].name}`}
          summary={`${bmsCommands[cmd.pending.command].summary}。设备：${d?.name ?? uid}`}
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
