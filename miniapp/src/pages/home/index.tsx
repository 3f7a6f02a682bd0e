import { useMemo } from 'react';
import { View, Text } from '@tarojs/components';
import { Button } from '../../ui/nutui';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { EnergySummary } from '../../components/EnergySummary';
import { TrendChart } from '../../components/TrendChart';
import type { TrendSeries } from '../../components/trend-option';
import { go } from '../../routes';
import { loadHome, type HomeData } from './load';

function trendOf(data: HomeData | undefined): { labels: string[]; series: TrendSeries[] } {
  if (!data) return { labels: [], series: [] };
  const labels = [...new Set(data.trend.map((r) => r.Time))].sort();
  const byType = new Map<string, Map<string, number>>();
  for (const r of data.trend) {
    const key = r.Ene_Name || r.Ene_Type;
    if (!byType.has(key)) byType.set(key, new Map());
    byType.get(key)!.set(r.Time, Number(r.Total_Amount));
  }
  return {
    labels: labels.map((t) => t.slice(5, 10)),
    series: [...byType].map(([name, m]) => ({ name, values: labels.map((t) => m.get(t) ?? 0) })),
  };
}

/** Home: today's and this month's energy by type with cost against the previous period, and the trend. */
export default function HomePage() {
  const home = useRemote(() => loadHome(), 'home');
  const trend = useMemo(() => trendOf(home.data), [home.data]);
  const d = home.data;
  return (
    <View className="page">
      <StateView loading={home.loading} error={home.error} onRetry={() => void home.reload()}>
        {d && (
          <View>
            <EnergySummary
              title={`今日（${d.today.start.slice(5, 16)} 起）`}
              previousName="昨日全天"
              rows={d.todayRows}
              previousRows={d.yesterdayRows}
              testId="today"
            />
            <EnergySummary
              title={`本月（${d.month.start.slice(0, 10)} 起）`}
              previousName="上月全月"
              rows={d.monthRows}
              previousRows={d.lastMonthRows}
              testId="month"
            />
            <View className="card">
              <View className="card-title">本月每日趋势</View>
              {trend.labels.length ? (
                <TrendChart labels={trend.labels} series={trend.series} />
              ) : (
                <Text className="muted">暂无趋势数据</Text>
              )}
            </View>
            <View className="actions">
              <Button type="primary" onClick={() => go('energyDetail', { by: 'department' })}>
                按部门
              </Button>
              <Button onClick={() => go('energyDetail', { by: 'machine' })}>按机器</Button>
              <Button onClick={() => go('energyDetail', { by: 'meter' })}>按仪表</Button>
            </View>
          </View>
        )}
      </StateView>
    </View>
  );
}
