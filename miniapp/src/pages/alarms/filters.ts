import type { Period, Rule, Wall } from '../../domain/periods';
import { dayPeriod } from '../../domain/periods';

/** The list's time choices, in business days (they follow the site's day boundary, 4.3). */
export const timeRanges = [
  { key: 'today', label: '今天', days: 1 },
  { key: 'week', label: '近 7 天', days: 7 },
  { key: 'month', label: '近 30 天', days: 30 },
] as const;
export type TimeRange = (typeof timeRanges)[number]['key'];

/** The period of a time choice ending with today's business day. */
export function rangePeriod(range: TimeRange, rule: Rule, wall: Wall): Period {
  const days = timeRanges.find((r) => r.key === range)?.days ?? 1;
  return { start: dayPeriod(rule, wall, 1 - days).start, end: dayPeriod(rule, wall, 0).end };
}

/** A Segmented choice list with 全部 first; 0 stands for "no filter". */
export function withAll<T extends Record<number, { short?: string; name: string }>>(codes: T) {
  return [
    { label: '全部', value: 0 },
    ...Object.entries(codes).map(([value, c]) => ({ label: c.short ?? c.name, value: Number(value) })),
  ];
}
