import { useMemo, useState } from 'react';
import { View, Text } from '@tarojs/components';
import { Button, Segmented } from '../../ui/nutui';
import { fetchAlarmCounts } from '../../api/alarms';
import { fetchPersonalise } from '../../api/energy';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { TrendChart } from '../../components/TrendChart';
import { formatWithUnit } from '../../domain/format';
import { periodLabel, periodOf, ruleOf, wallClock, type TimeType } from '../../domain/periods';
import { countSeries, methods, type Method } from './counts';

const timeTypes = [
  { label: '日', value: 3 },
  { label: '月', value: 2 },
  { label: '年', value: 1 },
];

/** 6.10 alarm counts over a day (by hour), a month (by day) or a year (by month), as a chart. */
export default function AlarmStatsPage() {
  const [timeType, setTimeType] = useState<TimeType>(2);
  const [method, setMethod] = useState<Method>(1);
  const [offset, setOffset] = useState(0);
  const settings = useRemote(fetchPersonalise, 'personalise', { pullToRefresh: false });
  const period = periodOf(
    timeType,
    ruleOf(settings.data),
    wallClock(new Date(), settings.data?.Time_Zone || undefined),
    offset,
  );
  const ready = !!(settings.data || settings.error);
  const counts = useRemote(
    async () =>
      ready ? fetchAlarmCounts({ timeType, start: period.start, end: period.end, method }) : undefined,
    `${timeType}:${method}:${period.start}:${ready ? 1 : 0}`,
  );
  const chart = useMemo(
    () => (counts.data ? countSeries(counts.data, method, timeType) : undefined),
    [counts.data, method, timeType],
  );
  const total = chart?.totals.reduce((a, t) => a + t.total, 0) ?? 0;

  return (
    <View className="page">
      <View className="card">
        <Segmented
          value={timeType}
          options={timeTypes}
          onChange={(v) => {
            setTimeType(Number(v) as TimeType);
            setOffset(0);
          }}
        />
        <View className="actions">
          <Segmented value={method} options={[...methods]} onChange={(v) => setMethod(Number(v) as Method)} />
        </View>
        <View className="row">
          <Button size="small" onClick={() => setOffset(offset - 1)}>
            ‹ 上一期
          </Button>
          <Text data-testid="stats-period">{periodLabel(timeType, period)}</Text>
          <Button size="small" disabled={offset >= 0} onClick={() => setOffset(offset + 1)}>
            下一期 ›
          </Button>
        </View>
      </View>
      <StateView
        loading={counts.loading || !chart}
        error={counts.error}
        empty={!!chart && total === 0}
        emptyText="本期没有告警"
        onRetry={() => void counts.reload()}
      >
        {chart && (
          <View>
            <View className="card">
              <View className="card-title">告警数量（条）</View>
              <TrendChart labels={chart.labels} series={chart.series} unit="条" kind="bar" />
            </View>
            <View className="card" data-testid="stats-totals">
              {chart.totals.map((t) => (
                <View className="row" key={t.name}>
                  <Text>{t.name}</Text>
                  <Text>{formatWithUnit(t.total, '条', { decimals: 0 })}</Text>
                </View>
              ))}
              <View className="row">
                <Text className="card-title">合计</Text>
                <Text className="card-title">{formatWithUnit(total, '条', { decimals: 0 })}</Text>
              </View>
            </View>
          </View>
        )}
      </StateView>
    </View>
  );
}
