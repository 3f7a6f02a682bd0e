import { View, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { Tag } from '../../ui/nutui';
import { fetchDevice } from '../../api/devices';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { formatSeen } from '../../domain/devices';

/** A meter gateway: what a gateway has (its link to the platform and what it last reported); no BMS. */
export default function GatewayPage() {
  const uid = useRouter().params.uid ?? '';
  const device = useRemote(() => fetchDevice(uid), `g:${uid}`);
  const d = device.data;
  return (
    <View className="page">
      <StateView
        loading={device.loading}
        error={device.error}
        onRetry={() => void device.reload()}
        skeletonRows={4}
      >
        {d && (
          <>
            <View className="card" data-testid="gateway-card">
              <View className="row">
                <Text className="card-title">{d.name}</Text>
                <Tag type={d.online ? 'success' : 'default'}>{d.online ? '在线' : '离线'}</Tag>
              </View>
              <Text className="muted">{`计量网关 · 编号 ${d.device_uid}${d.site ? ` · ${d.site}` : ''}`}</Text>
            </View>
            <View className="card">
              <View className="card-title">连接</View>
              <View className="row">
                <Text>{d.online ? '上线时间' : '离线时间'}</Text>
                <Text>{formatSeen(d.status_changed_at, true)}</Text>
              </View>
              <View className="row">
                <Text>最后通信</Text>
                <Text>{formatSeen(d.last_seen_at, true)}</Text>
              </View>
              <View className="row">
                <Text>登记时间</Text>
                <Text>{formatSeen(d.created_at)}</Text>
              </View>
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
