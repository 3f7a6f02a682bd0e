import type { AllEnergyRow, DetailEnergyRow } from '@wattdesk/shared';
import {
  addDays,
  addMinutes,
  dayPeriod,
  formatWall,
  minutesBetween,
  monthPeriod,
  parseWall,
  type Period,
  type Rule,
  type Wall,
} from './periods';

/**
 * Like-with-like comparisons for home: today so far against yesterday up to the same time of the
 * business day, this month so far against last month up to the same day and time. Periods follow the
 * site's own day and month starts (4.3); the cut-off is the end of the latest 15-minute interval that
 * has data, so a partial current interval is never compared against a whole one.
 */

/** Minutes per bucket of the fine queries home makes (3.2 `Time_Interval`). */
export const FINE_MINUTES = 15;

/** One energy type's amount and cost; `cost` null when some part of it has no rate. */
export interface TypeFigure {
  type: string;
  name: string;
  amount: number;
  cost: number | null;
}

/** Sums rows per energy type (ordered by type code). */
export function sumByType(rows: readonly AllEnergyRow[]): TypeFigure[] {
  const by = new Map<string, TypeFigure>();
  for (const r of rows) {
    const f = by.get(r.Ene_Type) ?? { type: r.Ene_Type, name: r.Ene_Name, amount: 0, cost: 0 };
    f.amount += Number(r.Total_Amount) || 0;
    f.cost = f.cost === null || r.Total_Cost === undefined ? null : f.cost + (Number(r.Total_Cost) || 0);
    by.set(r.Ene_Type, f);
  }
  return [...by.values()].sort((a, b) => Number(a.type) - Number(b.type));
}

/** Rows of buckets that start before `cutoff`. */
export function rowsBefore(rows: readonly DetailEnergyRow[], cutoff: Wall): DetailEnergyRow[] {
  return rows.filter((r) => {
    const t = parseWall(r.Time);
    return t !== null && minutesBetween(t, cutoff) > 0;
  });
}

/** The end of the latest bucket with any consumption, or null when none has any. */
export function latestDataEnd(rows: readonly DetailEnergyRow[], intervalMinutes = FINE_MINUTES): Wall | null {
  let latest: Wall | null = null;
  for (const r of rows) {
    if (!(Number(r.Total_Amount) > 0)) continue;
    const t = parseWall(r.Time);
    if (t && (!latest || minutesBetween(latest, t) > 0)) latest = t;
  }
  return latest ? addMinutes(latest, intervalMinutes) : null;
}

/** Today so far and the same stretch of yesterday. */
export interface DayComparison {
  today: Period;
  yesterday: Period;
  /** Where yesterday's stretch ends (exclusive): yesterday's start plus as long as today has run. */
  yesterdayCutoff: Wall;
  /** Where today's data ends (the latest reading), or `now` when today has none yet. */
  todayCutoff: Wall;
}

export function dayComparison(rule: Rule, now: Wall, latestEnd: Wall | null): DayComparison {
  const today = dayPeriod(rule, now);
  const yesterday = dayPeriod(rule, now, -1);
  const start = parseWall(today.start)!;
  const todayCutoff = latestEnd ?? now;
  const elapsed = Math.max(0, minutesBetween(start, todayCutoff));
  return { today, yesterday, todayCutoff, yesterdayCutoff: addMinutes(parseWall(yesterday.start)!, elapsed) };
}

/** This month so far and last month up to the same day and time, in at most two queries. */
export interface MonthComparison {
  month: Period;
  lastMonth: Period;
  /** Whole business days of last month before the same day (3.1 by day); null when there are none. */
  fullDays: Period | null;
  /** The same business day of last month (3.2 in 15-minute buckets, cut at `cutoff`); null when last month is shorter. */
  partialDay: Period | null;
  /** Where last month's stretch ends (exclusive). */
  cutoff: Wall;
}

const lastSecondBefore = (w: Wall): string => {
  const p = addMinutes(w, -1);
  return `${formatWall(p).slice(0, 17)}59`;
};

export function monthComparison(rule: Rule, now: Wall, todayCutoff: Wall): MonthComparison {
  const month = monthPeriod(rule, now);
  const lastMonth = monthPeriod(rule, now, -1);
  const monthStart = parseWall(month.start)!;
  const lastStart = parseWall(lastMonth.start)!;
  const todayStart = parseWall(dayPeriod(rule, now).start)!;
  const days = Math.round(minutesBetween({ ...monthStart, min: 0 }, { ...todayStart, min: 0 }) / 1440);
  const elapsed = Math.max(0, minutesBetween(todayStart, todayCutoff));
  const sameDayStart = addDays(lastStart, days);
  const lastEnd = addMinutes(parseWall(lastMonth.end)!, 1);
  if (minutesBetween(sameDayStart, lastEnd) <= 0) {
    // Last month had fewer days: all of it is "up to the same day".
    return { month, lastMonth, fullDays: lastMonth, partialDay: null, cutoff: lastEnd };
  }
  const fullDays = days > 0 ? { start: lastMonth.start, end: lastSecondBefore(sameDayStart) } : null;
  const partialDay = dayPeriod(rule, sameDayStart);
  const cutoff = addMinutes(sameDayStart, elapsed);
  return {
    month,
    lastMonth,
    fullDays,
    partialDay,
    cutoff: minutesBetween(cutoff, lastEnd) < 0 ? lastEnd : cutoff,
  };
}

/** "11-21 15:45" of a wall-clock minute. */
export function shortWall(w: Wall): string {
  return formatWall(w).slice(5, 16);
}
