import type { AlarmStatisticRow } from '@wattdesk/shared';
import type { TrendSeries } from '../../components/trend-option';
import { levelName, notifyName, typeName } from '../../domain/alarms';

/** 6.10 `Statistic_Method`: how counts are grouped. */
export const methods = [
  { label: '总计', value: 0 },
  { label: '按级别', value: 1 },
  { label: '按类型', value: 2 },
  { label: '按通知方式', value: 3 },
] as const;
export type Method = (typeof methods)[number]['value'];

const groupOf: Record<Method, (r: AlarmStatisticRow) => string> = {
  0: () => '告警数',
  1: (r) => levelName(r.Alarm_Level ?? 0),
  2: (r) => typeName(r.Alarm_Type ?? 0),
  3: (r) => notifyName(r.Alarm_Notify ?? 0),
};

/** The bucket label: an hour of a day, a day of a month, a month of a year. */
function label(time: string, timeType: 1 | 2 | 3): string {
  if (timeType === 3) return time.slice(11, 16);
  if (timeType === 2) return time.slice(5, 10);
  return time.slice(0, 7);
}

/** Chart lines (one per group, buckets in time order) and each group's total. */
export function countSeries(rows: AlarmStatisticRow[], method: Method, timeType: 1 | 2 | 3) {
  const times = [...new Set(rows.map((r) => r.Time))].sort();
  const groups = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const name = groupOf[method](r);
    if (!groups.has(name)) groups.set(name, new Map());
    const g = groups.get(name)!;
    g.set(r.Time, (g.get(r.Time) ?? 0) + r.Total_Amount);
  }
  const series: TrendSeries[] = [...groups].map(([name, byTime]) => ({
    name,
    values: times.map((t) => byTime.get(t) ?? 0),
  }));
  const totals = series.map((s) => ({
    name: s.name,
    total: s.values.reduce<number>((a, b) => a + (b ?? 0), 0),
  }));
  return { labels: times.map((t) => label(t, timeType)), series, totals };
}
