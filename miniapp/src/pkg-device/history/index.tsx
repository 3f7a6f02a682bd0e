import { View, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { Tag } from '../../ui/nutui';
import { fetchCommands } from '../../api/devices';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { describeBms, formatSeen } from '../../domain/devices';

/** The device's commands, newest first: who, when, what, the device's answer and the read-back. */
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
      >
        {items.map((c) => (
          <View className="card" key={c.id} data-testid="command-row">
            <View className="row">
              <Text className="card-title">{c.operation}</Text>
              <Tag
                type={
                  c.status === 'succeeded'
                    ? 'success'
                    : c.status === 'sent' || c.status === 'pending'
                      ? 'info'
                      : 'danger'
                }
              >
                {c.status_name}
              </Tag>
            </View>
            <View className="muted">{`${formatSeen(c.requested_at)} · ${c.user_name ?? '系统'}`}</View>
            {c.error && <View className="error-text">{`原因：${c.error.message}`}</View>}
            {c.readback && <View className="muted">{`回读：${describeBms(c.readback)}`}</View>}
          </View>
        ))}
        {history.data && history.data.total > items.length && (
          <View className="muted">{`共 ${history.data.total} 条，显示最近 ${items.length} 条`}</View>
        )}
      </StateView>
    </View>
  );
}
