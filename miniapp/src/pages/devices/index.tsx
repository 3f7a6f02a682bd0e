import { View, Text } from '@tarojs/components';
import { Cell, CellGroup, Tag } from '../../ui/nutui';
import { fetchDevices } from '../../api/devices';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { formatSeen } from '../../domain/devices';
import { go } from '../../routes';

/** Devices of the organization with online state and last-seen time; pull down to refresh. */
export default function DevicesPage() {
  const devices = useRemote(fetchDevices, 'devices');
  const list = devices.data ?? [];
  return (
    <View className="page">
      <StateView
        loading={devices.loading}
        error={devices.error}
        empty={devices.data !== undefined && list.length === 0}
        emptyText="还没有设备"
        onRetry={() => void devices.reload()}
      >
        <CellGroup>
          {list.map((d) => (
            <Cell
              key={d.device_uid}
              data-testid={`device-${d.device_uid}`}
              title={
                <View>
                  <Text>{d.name}</Text>
                  <Text className="muted">{`  ${d.device_uid}`}</Text>
                </View>
              }
              description={`最后通信：${formatSeen(d.last_seen_at)}${d.site ? ` · ${d.site}` : ''}`}
              extra={<Tag type={d.online ? 'success' : 'default'}>{d.online ? '在线' : '离线'}</Tag>}
              onClick={() => go('device', { uid: d.device_uid })}
            />
          ))}
        </CellGroup>
      </StateView>
    </View>
  );
}
