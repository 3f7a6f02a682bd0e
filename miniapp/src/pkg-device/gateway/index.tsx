import { View, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { GatewayDetail } from '@wattdesk/shared';
import { Tag } from '../../ui/nutui';
import { fetchGateway } from '../../api/devices';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { count, formatSeen } from '../../domain/devices';
import { energyName, formatEnergy, MISSING } from '../../domain/format';

function Meters({ meters }: { meters: GatewayDetail['meters'] }) {
  return (
    <View className="card" data-testid="gateway-meters">
      <View className="card-title">{`上报的电表（${count(meters.length)}）`}</View>
      {meters.length === 0 ? (
        <Text className="muted" data-testid="gateway-meters-empty">
          还没有收到这个网关的读数
        </Text>
      ) : (
        meters.map((m) => (
          <View key={m.meter_id} className="row" data-testid="gateway-meter">
            <View>
              <Text>{m.name ?? `电表 #${m.meter_id}（已删除）`}</Text>
              <Text className="muted">{` ${m.energy_type === null ? '' : energyName(m.energy_type)} · ${formatSeen(m.last_reading_at, true)}`}</Text>
            </View>
            <Text>{m.energy_type === null ? MISSING : formatEnergy(m.last_total, m.energy_type)}</Text>
          </View>
        ))
      )}
    </View>
  );
}

function LastBatch({ batch }: { batch: GatewayDetail['last_batch'] }) {
  return (
    <View className="card" data-testid="gateway-batch">
      <View className="card-title">最近一批读数</View>
      {!batch ? (
        <Text className="muted">还没有收到读数</Text>
      ) : (
        <>
          <View className="row">
            <Text>接收时间</Text>
            <Text>{formatSeen(batch.received_at, true)}</Text>
          </View>
          <View className="row">
            <Text>读数</Text>
            <Text>{count(batch.readings, '条')}</Text>
          </View>
          <View className="row">
            <Text>已接收</Text>
            <Text>{count(batch.accepted, '条')}</Text>
          </View>
          <View className="row">
            <Text>已拒收</Text>
            <Tag type={batch.refused ? 'warning' : 'default'}>{count(batch.refused, '条')}</Tag>
          </View>
          {batch.errors.map((e) => (
            <Text key={e.index} className="muted" data-testid="gateway-batch-error">
              {`第 ${e.index + 1} 条：${e.rule}`}
            </Text>
          ))}
        </>
      )}
    </View>
  );
}

function OnlineHistory({ history }: { history: GatewayDetail['online_history'] }) {
  return (
    <View className="card" data-testid="gateway-history">
      <View className="card-title">在线记录</View>
      {history.length === 0 ? (
        <Text className="muted">暂无上下线记录</Text>
      ) : (
        history.map((h, i) => (
          <View key={`${h.at}-${i}`} className="row" data-testid="gateway-history-row">
            <Text>{formatSeen(h.at, true)}</Text>
            <Tag type={h.online ? 'success' : 'default'}>{h.online ? '上线' : '离线'}</Tag>
          </View>
        ))
      )}
    </View>
  );
}

/** A meter gateway: the meters it reports, its last batch and its online history; no BMS controls. */
export default function GatewayPage() {
  const uid = useRouter().params.uid ?? '';
  const gateway = useRemote(() => fetchGateway(uid), `g:${uid}`);
  const d = gateway.data;
  return (
    <View className="page">
      <StateView
        loading={gateway.loading}
        error={gateway.error}
        onRetry={() => void gateway.reload()}
        skeletonRows={6}
      >
        {d && (
          <>
            <View className="card" data-testid="gateway-card">
              <View className="row">
                <Text className="card-title">{d.name}</Text>
                <Tag type={d.online ? 'success' : 'default'}>{d.online ? '在线' : '离线'}</Tag>
              </View>
              <Text className="muted">{`计量网关 · 编号 ${d.device_uid}${d.site ? ` · ${d.site}` : ''}`}</Text>
              <View className="row">
                <Text>{d.online ? '上线时间' : '离线时间'}</Text>
                <Text>{formatSeen(d.status_changed_at, true)}</Text>
              </View>
              <View className="row">
                <Text>最后通信</Text>
                <Text>{formatSeen(d.last_seen_at, true)}</Text>
              </View>
            </View>
            <Meters meters={d.meters} />
            <LastBatch batch={d.last_batch} />
            <OnlineHistory history={d.online_history} />
          </>
        )}
      </StateView>
    </View>
  );
}
