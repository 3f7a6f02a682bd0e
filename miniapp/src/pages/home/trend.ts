import type { DetailEnergyRow } from '@wattdesk/shared';
import type { TrendSeries } from '../../components/chart-option';
import type { TrendData } from './load';

/** Energy types that have anything this month or last month, ordered by code. */
export function trendTypes(d: TrendData): string[] {
  const has = new Set<string>();
  for (const r of [...d.current, ...d.previous]) if (Number(r.Total_Amount) > 0) has.add(r.Ene_Type);
  return [...has].sort((a, b) => Number(a) - Number(b));
}

function daily(rows: DetailEnergyRow[], type: string): { times: string[]; values: number[] } {
  const byTime = new Map<string, number>();
  for (const r of rows)
    if (r.Ene_Type === type) byTime.set(r.Time, (byTime.get(r.Time) ?? 0) + (Number(r.Total_Amount) || 0));
  const times = [...byTime.keys()].sort();
  return { times, values: times.map((t) => byTime.get(t)!) };
}

/**
 * One energy type's days of this month (none after today: those are not 0, they have not happened)
 * beside last month's same days, matched by position in the business month.
 */
export function trendOf(d: TrendData, type: string): { labels: string[]; series: TrendSeries[] } {
  const cur = daily(d.current, type);
  const prev = daily(d.previous, type);
  const labels = cur.times.map((t) => t.slice(5, 10));
  return {
    labels,
    series: [
      { name: '本月', values: cur.values.map((v, i) => (i < d.daysSoFar ? v : null)) },
      { name: '上月同日', values: labels.map((_, i) => prev.values[i] ?? null), compare: true },
    ],
  };
}
