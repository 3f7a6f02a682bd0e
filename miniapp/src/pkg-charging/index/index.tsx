import { View, Text } from '@tarojs/components';
import { Button } from '../../ui/nutui';
import { fetchPersonalise } from '../../api/energy';
import { fetchStations, fetchTotals, type ChargingTotals, type Station } from '../../api/charging';
import { useRemote } from '../../hooks/useRemote';
import { useLiveRemote } from '../../hooks/useLive';
import { StateView } from '../../components/StateView';
import { countByStatus } from '../../domain/charging';
import { formatMoney, formatNumber, formatWithUnit } from '../../domain/format';
import { dayPeriod, monthPeriod, ruleOf, wallClock } from '../../domain/periods';
import { go } from '../../routes';
import { ConnectorCard, StatusBadge, StatusLegend } from '../ConnectorCard';
import '../charging.css';

/** How often the page asks again while it is open (operators report every 15 s or so; tests shorten it). */
export const livePolicy = { intervalMs: 10_000 };

function Totals({ title, totals, testId }: { title: string; totals: ChargingTotals; testId: string }) {
  return (
    <View data-testid={testId}>
      <Text className="muted">{title}</Text>
      <View className="charging-totals">
        <View>
          <Text className="muted">充电量</Text>
          <View className="charging-total-value" data-testid={`${testId}-kwh`}>
            {formatWithUnit(totals.kwh, 'kWh', { compact: true })}
          </View>
        </View>
        <View>
          <Text className="muted">订单</Text>
          <View className="charging-total-value" data-testid={`${testId}-sessions`}>
            {formatNumber(totals.sessions, { decimals: 0 })} 单
          </View>
        </View>
        <View>
          <Text className="muted">收入</Text>
          <View className="charging-total-value" data-testid={`${testId}-revenue`}>
            {formatMoney(totals.revenue, { compact: true })}
          </View>
        </View>
      </View>
    </View>
  );
}

function StationCard({ station, now }: { station: Station; now: number }) {
  const connectors = station.equipment.flatMap((e) => e.connectors);
  const counts = countByStatus(connectors.map((c) => c.status)).filter((x) => x.count > 0);
  return (
    <View className="card" data-testid="charging-station" data-station={station.id}>
      <View className="card-title">{station.name}</View>
      {station.address && <Text className="muted">{station.address}</Text>}
      <View className="charging-counts" data-testid="station-counts">
        <Text>共 {connectors.length} 个充电枪</Text>
        {counts.map(({ status, count }) => (
          <Text key={status.code} data-testid={`count-${status.code}`}>
            <StatusBadge code={status.code} /> {count} 个
          </Text>
        ))}
      </View>
      {station.equipment.map((e) => (
        <View key={e.id} data-testid="charging-equipment">
          <Text className="muted">充电桩 {e.name || e.id}</Text>
          {e.connectors.length === 0 ? (
            <Text className="muted">（没有充电枪）</Text>
          ) : (
            e.connectors.map((c) => <ConnectorCard key={c.id} connector={c} now={now} />)
          )}
        </View>
      ))}
    </View>
  );
}

const clock = (ms: number) => {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
};

/** Charging points of the site, live: totals of today and this month, every station's connectors. */
export default function ChargingPage() {
  const settings = useRemote(fetchPersonalise, 'personalise', { pullToRefresh: false });
  const ready = !!(settings.data || settings.error);
  const rule = ruleOf(settings.data);
  const wall = wallClock(new Date(), settings.data?.Time_Zone || undefined);
  const day = dayPeriod(rule, wall);
  const month = monthPeriod(rule, wall);
  const live = useLiveRemote(
    async () => {
      if (!ready) return undefined;
      const [stations, today, thisMonth] = await Promise.all([
        fetchStations(),
        fetchTotals(day.start, day.end),
        fetchTotals(month.start, month.end),
      ]);
      return { stations, today, thisMonth };
    },
    `${day.start}:${ready ? 1 : 0}`,
    livePolicy.intervalMs,
  );
  const data = live.data;
  const now = live.receivedAt ?? Date.now();

  return (
    <View className="page">
      <StateView
        loading={live.loading || !data}
        error={live.error}
        empty={!!data && data.stations.length === 0}
        emptyText="还没有充电站：充电运营商接入并上报充电站后会显示在这里"
        onRetry={() => void live.reload()}
        skeletonRows={6}
      >
        {data && (
          <View>
            <View className="card" data-testid="charging-totals">
              <Totals title="今日" totals={data.today} testId="totals-today" />
              <Totals title="本月" totals={data.thisMonth} testId="totals-month" />
              <View className="actions">
                <Button size="small" onClick={() => go('chargingRecords')}>
                  充电记录
                </Button>
              </View>
            </View>
            {live.staleError ? (
              <View className="card notice-warning" data-testid="charging-stale">
                {`刷新失败（${live.staleError}），显示的是 ${clock(now)} 的数据，稍后自动重试`}
              </View>
            ) : (
              <Text className="muted" data-testid="charging-updated">
                {`实时刷新中 · 更新于 ${clock(now)}`}
              </Text>
            )}
            {data.stations.map((s) => (
              <StationCard key={s.id} station={s} now={now} />
            ))}
            <StatusLegend />
          </View>
        )}
      </StateView>
    </View>
  );
}
