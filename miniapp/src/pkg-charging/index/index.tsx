import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { CHARGING_STATIONS_PAGE_SIZE } from '@wattdesk/shared';
import { Button } from '../../ui/nutui';
import { fetchPersonalise } from '../../api/energy';
import { fetchStationsPage, fetchUtilisation, stationTotals, type Station } from '../../api/charging';
import { useRemote } from '../../hooks/useRemote';
import { useLiveRemote } from '../../hooks/useLive';
import { StateView } from '../../components/StateView';
import { Card } from '../../components/Card';
import { countByStatus } from '../../domain/charging';
import { formatMoney, formatPercent, formatPower, formatWithUnit } from '../../domain/format';
import { addDays, wallClock } from '../../domain/periods';
import { go } from '../../routes';
import { ConnectorCard, StatusBadge, StatusLegend } from '../ConnectorCard';
import { Totals } from '../Totals';
import '../charging.css';

/** How often the page asks again while it is open (operators report every 15 s or so; tests shorten it). */
export const livePolicy = { intervalMs: 10_000 };

function StationCard({ station, now, timeZone }: { station: Station; now: Date; timeZone?: string }) {
  const connectors = station.Equipment.flatMap((e) => e.Cells);
  const counts = countByStatus(connectors.map((c) => c.Status)).filter((x) => x.count > 0);
  return (
    <View className="card" data-testid="charging-station" data-station={station.Station_Id}>
      <View className="card-title">{station.Station_Name}</View>
      {station.Address && <Text className="muted">{station.Address}</Text>}
      <View className="charging-counts" data-testid="station-counts">
        <Text>{`共 ${connectors.length} 个充电枪`}</Text>
        {counts.map(({ status, count }) => (
          <Text key={status.code} data-testid={`count-${status.code}`}>
            <StatusBadge code={status.code} /> {`${count} 个`}
          </Text>
        ))}
      </View>
      <Text className="muted" data-testid="station-today">
        {`今日 ${formatWithUnit(station.Today_Energy, 'kWh')} · ${station.Today_Sessions} 单 · ${formatMoney(station.Today_Revenue)}`}
      </Text>
      {station.Equipment.map((e) => (
        <View key={e.Equipment_Id} data-testid="charging-equipment">
          <View className="muted">{`充电桩 ${e.Equipment_Name || e.Equipment_Id} · 额定 ${formatPower(e.Power)}`}</View>
          {e.Cells.length === 0 ? (
            <Text className="muted">（没有充电枪）</Text>
          ) : (
            e.Cells.map((c) => <ConnectorCard key={c.Cell_Id} connector={c} now={now} timeZone={timeZone} />)
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
  const timeZone = settings.data?.Time_Zone || undefined;
  // Stations load a page at a time (加载更多); the live refresh asks again for every station shown.
  const [shown, setShown] = useState(CHARGING_STATIONS_PAGE_SIZE);
  const live = useLiveRemote(() => fetchStationsPage(shown), `stations:${shown}`, livePolicy.intervalMs);
  const stations = live.data?.items;
  const total = live.data?.total ?? 0;
  const receivedAt = live.receivedAt ?? Date.now();
  const now = new Date(receivedAt);
  const totals = stations ? stationTotals(stations) : undefined;
  const today = wallClock(new Date(), timeZone);
  const ymd = (w: { y: number; m: number; d: number }) =>
    `${w.y}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;
  const week = { start: ymd(addDays(today, -6)), end: ymd(today) };
  const util = useRemote(
    async () => (settings.data || settings.error ? fetchUtilisation(week.start, week.end) : undefined),
    `${week.end}:${settings.data || settings.error ? 1 : 0}`,
    { pullToRefresh: false },
  );

  return (
    <View className="page">
      <StateView
        loading={live.loading || !stations}
        error={live.error}
        empty={!!stations && stations.length === 0}
        emptyText="还没有充电站：充电运营商接入并上报充电站后会显示在这里"
        onRetry={() => void live.reload()}
        skeletonRows={6}
      >
        {stations && totals && (
          <View>
            <View className="card" data-testid="charging-totals">
              <Totals title="今日" totals={totals.today} testId="totals-today" />
              <Totals title="本月" totals={totals.month} testId="totals-month" />
              {stations.length < total && (
                <Text className="muted" data-testid="totals-partial">
                  {`合计为已显示的 ${stations.length} / ${total} 个充电站`}
                </Text>
              )}
              <View className="actions">
                <Button size="small" onClick={() => go('chargingRecords')}>
                  充电记录
                </Button>
              </View>
            </View>
            {live.staleError ? (
              <View className="card notice-warning" data-testid="charging-stale">
                {`刷新失败（${live.staleError}），显示的是 ${clock(receivedAt)} 的数据，稍后自动重试`}
              </View>
            ) : (
              <Text className="muted" data-testid="charging-updated">
                {`实时刷新中 · 更新于 ${clock(receivedAt)}`}
              </Text>
            )}
            {stations.map((s) => (
              <StationCard
                key={`${s.Operator_Id}/${s.Station_Id}`}
                station={s}
                now={now}
                timeZone={timeZone}
              />
            ))}
            {stations.length < total && (
              <View className="actions">
                <Button
                  block
                  loading={live.loading}
                  onClick={() => setShown(shown + CHARGING_STATIONS_PAGE_SIZE)}
                >
                  {`加载更多充电站（已显示 ${stations.length} / ${total} 个）`}
                </Button>
              </View>
            )}
            <Card
              title="近 7 天充电口利用率"
              remote={util}
              testId="charging-util"
              empty={(d) => (d && d.length === 0 ? '近 7 天暂无数据' : null)}
            >
              {(days) =>
                (days ?? []).map((d) => (
                  <View className="row" key={d.Date} data-testid="util-day">
                    <Text>{d.Date.slice(5)}</Text>
                    <Text>{`利用率 ${formatPercent(d.Utilisation * 100, 1)}`}</Text>
                    <Text className="muted">{`${d.Sessions} 单 · ${formatWithUnit(d.Energy, 'kWh')}`}</Text>
                  </View>
                ))
              }
            </Card>
            <StatusLegend />
          </View>
        )}
      </StateView>
    </View>
  );
}
