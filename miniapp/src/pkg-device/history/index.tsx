import { View, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { CommandRecord } from '@wattdesk/shared';
import { Tag } from '../../ui/nutui';
import { fetchCommands } from '../../api/devices';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { count, describeBms, formatSeen } from '../../domain/devices';
import { describeReactiveParams } from '../../domain/reactive';

const tagType = (s: CommandRecord['status']) =>
  s === 'succeeded'
    ? 'success'
    : s === 'pending' || s === 'sent'
      ? 'info'
      : s === 'timed_out'
        ? 'warning'
        : 'danger';

/** What was sent, in words (a BMS command's name already says it all). */
function sentValues(c: CommandRecord): string | undefined {
  if (c.method === 'reactive.set') return describeReactiveParams(c.params);
  return undefined;
}

/** The device's commands, newest first: who, when (to the second), what was sent, the answer, the read-back. */
export default function HistoryPage() {
  const uid = useRouter().params.uid ?? '';
  const history = useRemote(() => fetchCommands(uid), `h:${uid}`);
  const items = history.data?.items ?? [];
  return (
    <View className="page">
      <StateView
        loading={history.loading}
        error={history.error}
        empty={history.data !== undefined && items.length === 0}
        emptyText="还没有发送过命令"
        onRetry={() => void history.reload()}
        skeletonRows={6}
      >
        {items.map((c) => {
          const values = sentValues(c);
          return (
            <View className="card" key={c.id} data-testid="command-row">
              <View className="row">
                <Text className="card-title">{c.operation}</Text>
                <Tag type={tagType(c.status)}>
                  {c.status === 'timed_out' ? '结果未知（设备未在期限内应答）' : c.status_name}
                </Tag>
              </View>
              <View className="muted" data-testid="command-when">
                {`${formatSeen(c.requested_at, true)} · ${c.user_name ?? '系统'}`}
              </View>
              {values && (
                <View className="command-values" data-testid="command-values">
                  {`下发：${values}`}
                </View>
              )}
              {c.answered_at && (
                <View className="muted">{`设备应答：${formatSeen(c.answered_at, true)}`}</View>
              )}
              {c.error && <View className="error-text">{`原因：${c.error.message}`}</View>}
              {c.method === 'bms.command' &&
                c.params.command === 1 &&
                c.status === 'succeeded' &&
                (c.readback?.alarm_status ?? 0) > 0 && (
                  <View className="warn-text" data-testid="command-not-cleared">
                    {`故障未清除：仍有 ${count(c.readback!.alarm_status)}报警`}
                  </View>
                )}
              {c.readback && (
                <View className={c.readback.alarm_status > 0 ? 'warn-text' : 'muted'}>
                  {`回读：${describeBms(c.readback)}`}
                </View>
              )}
              {c.readback_error && <View className="warn-text">{`状态回读失败：${c.readback_error}`}</View>}
            </View>
          );
        })}
        {history.data && history.data.total > items.length && (
          <View className="muted">{`共 ${count(history.data.total, '条')}，显示最近 ${count(items.length, '条')}`}</View>
        )}
      </StateView>
    </View>
  );
}
