import type { AllEnergyRow, DetailEnergyRow } from '@wattdesk/shared';
import {
  fetchAllEnergy,
  fetchDetailEnergy,
  fetchMeasure,
  fetchMeters,
  fetchPersonalise,
} from '../../api/energy';
import {
  dayPeriod,
  minutesBetween,
  monthPeriod,
  parseWall,
  ruleOf,
  wallClock,
  type Period,
  type Rule,
  type Wall,
} from '../../domain/periods';
import {
  FINE_MINUTES,
  dayComparison,
  latestDataEnd,
  monthComparison,
  rowsBefore,
  sumByType,
  type TypeFigure,
} from '../../domain/same-period';

/** The site's calendar and clock at the moment home loaded. */
export interface SiteNow {
  rule: Rule;
  now: Wall;
}

/** Today's 15-minute amounts by type and where its data ends. */
export interface TodayFine {
  site: SiteNow;
  rows: DetailEnergyRow[];
  /** End of the latest interval with data, or null when today has none yet. */
  latestEnd: Wall | null;
}

/**
 * What the home cards share: the calendar (4.3) and today's fine amounts, each fetched once while it
 * succeeds; a card's retry asks again (`fresh`), so one failure never sticks.
 */
export function homeSource(clock: () => Date = () => new Date()) {
  let site: Promise<SiteNow> | undefined;
  let today: Promise<TodayFine> | undefined;
  const settle = <T>(p: Promise<T>, clear: () => void) => {
    p.catch(clear);
    return p;
  };
  const siteNow = (fresh = false): Promise<SiteNow> => {
    if (!site || fresh)
      site = settle(
        fetchPersonalise().then((s) => ({
          rule: ruleOf(s),
          now: wallClock(clock(), s.Time_Zone || undefined),
        })),
        () => (site = undefined),
      );
    return site;
  };
  const todayFine = (fresh = false): Promise<TodayFine> => {
    if (!today || fresh)
      today = settle(
        siteNow(fresh).then(async (s) => {
          const rows = await fetchDetailEnergy({
            timeType: 3,
            interval: FINE_MINUTES,
            amountType: 1,
            period: dayPeriod(s.rule, s.now),
          });
          return { site: s, rows, latestEnd: latestDataEnd(rows) };
        }),
        () => (today = undefined),
      );
    return today;
  };
  return { siteNow, todayFine };
}
export type HomeSource = ReturnType<typeof homeSource>;

/** One period's figures against the same stretch of the previous one. */
export interface Comparison {
  period: Period;
  figures: TypeFigure[];
  previous: TypeFigure[];
  /** Where the compared stretches end: this period's latest data, the previous one's same point. */
  cutoff: Wall;
  previousCutoff: Wall;
  /** False when the period has no reading yet. */
  hasData: boolean;
}

const fine = (period: Period) =>
  fetchDetailEnergy({ timeType: 3, interval: FINE_MINUTES, amountType: 1, period });

/** Today so far against yesterday up to the same time. */
export async function loadToday(src: HomeSource, fresh = false): Promise<Comparison> {
  const t = await src.todayFine(fresh);
  const cmp = dayComparison(t.site.rule, t.site.now, t.latestEnd);
  const yesterday = rowsBefore(await fine(cmp.yesterday), cmp.yesterdayCutoff);
  return {
    period: cmp.today,
    figures: sumByType(t.rows),
    previous: sumByType(yesterday),
    cutoff: cmp.todayCutoff,
    previousCutoff: cmp.yesterdayCutoff,
    hasData: t.latestEnd !== null,
  };
}

/** This month so far against last month up to the same day and time. */
export async function loadMonth(src: HomeSource, fresh = false): Promise<Comparison> {
  const t = await src.todayFine(fresh);
  const { rule, now } = t.site;
  const cutoff = t.latestEnd ?? now;
  const cmp = monthComparison(rule, now, cutoff);
  const [rows, full, partial] = await Promise.all([
    fetchAllEnergy({ timeType: 2, amountType: 1, period: cmp.month }),
    cmp.fullDays ? fetchAllEnergy({ timeType: 2, amountType: 1, period: cmp.fullDays }) : [],
    cmp.partialDay ? fine(cmp.partialDay).then((r) => rowsBefore(r, cmp.cutoff)) : [],
  ]);
  const figures = sumByType(rows);
  return {
    period: cmp.month,
    figures,
    previous: sumByType([...full, ...partial]),
    cutoff,
    previousCutoff: cmp.cutoff,
    hasData: figures.some((f) => f.amount > 0),
  };
}

/** Live figures of the site's total electricity meter. */
export interface LiveFigures {
  meter: string | null;
  /** Latest total active power (kW), its time, today's peak and when, and the latest power factor. */
  power: number | null;
  powerAt: string | null;
  peak: number | null;
  peakAt: string | null;
  pf: number | null;
}

/** Latest power, today's peak and power factor of the total electricity meter (3.3 on today's 15-minute buckets). */
export async function loadLive(src: HomeSource, fresh = false): Promise<LiveFigures> {
  const { rule, now } = await src.siteNow(fresh);
  const meters = await fetchMeters(0);
  const total =
    meters.find((m) => m.Meter_IsTotal === '1' && m.Meter_IsVirtual !== '1') ??
    meters.find((m) => m.Meter_IsTotal === '1');
  const none = { meter: null, power: null, powerAt: null, peak: null, peakAt: null, pf: null };
  if (!total) return none;
  const params = total.Meter_Parameter.split(/[,，]/).map((s) => s.trim());
  const names = ['P', 'PF'].filter((n) => params.includes(n));
  if (!names.length) return { ...none, meter: total.Meter_Name };
  const rows = await fetchMeasure({
    timeType: 3,
    interval: FINE_MINUTES,
    period: dayPeriod(rule, now),
    meter: total.Meter_Name,
    names,
  });
  const series = (name: string) =>
    rows
      .filter((r) => r.Measure_Name === name && Number.isFinite(Number(r.Measure_Value)))
      .sort((a, b) => (a.Time < b.Time ? -1 : 1));
  const p = series('P');
  const pf = series('PF');
  const peak = p.reduce<(typeof p)[number] | null>(
    (best, r) => (!best || Number(r.Measure_Value) > Number(best.Measure_Value) ? r : best),
    null,
  );
  return {
    meter: total.Meter_Name,
    power: p.length ? Number(p.at(-1)!.Measure_Value) : null,
    powerAt: p.at(-1)?.Time ?? null,
    peak: peak ? Number(peak.Measure_Value) : null,
    peakAt: peak?.Time ?? null,
    pf: pf.length ? Number(pf.at(-1)!.Measure_Value) : null,
  };
}

/** One consumer (machine) of this month with its electricity and its cost over all energy types. */
export interface Consumer {
  name: string;
  department: string;
  kwh: number;
  cost: number | null;
}

/** This month's five largest consumers: machines by cost when every one is priced, else by electricity. */
export async function loadTop(
  src: HomeSource,
  fresh = false,
): Promise<{ by: 'cost' | 'kwh'; list: Consumer[] }> {
  const { rule, now } = await src.siteNow(fresh);
  const rows: AllEnergyRow[] = await fetchAllEnergy({
    timeType: 2,
    amountType: 3,
    period: monthPeriod(rule, now),
  });
  const by = new Map<string, Consumer>();
  for (const r of rows) {
    const c = by.get(r.Meter_Superior) ?? {
      name: r.Meter_Superior,
      department: r.Meter_Department,
      kwh: 0,
      cost: 0,
    };
    if (r.Ene_Type === '0') c.kwh += Number(r.Total_Amount) || 0;
    const amount = Number(r.Total_Amount) || 0;
    if (amount > 0)
      c.cost = c.cost === null || r.Total_Cost === undefined ? null : c.cost + (Number(r.Total_Cost) || 0);
    by.set(r.Meter_Superior, c);
  }
  const list = [...by.values()].filter((c) => c.name && (c.kwh > 0 || (c.cost ?? 0) > 0));
  const priced = list.length > 0 && list.every((c) => c.cost !== null);
  list.sort((a, b) => (priced ? (b.cost ?? 0) - (a.cost ?? 0) : b.kwh - a.kwh));
  return { by: priced ? 'cost' : 'kwh', list: list.slice(0, 5) };
}

/** This month's and last month's daily amounts of every type, for the trend chart. */
export interface TrendData {
  month: Period;
  lastMonth: Period;
  /** Days of this month so far (index from 0 = the month's first business day). */
  current: DetailEnergyRow[];
  previous: DetailEnergyRow[];
  /** Business days elapsed, including today. */
  daysSoFar: number;
}

export async function loadTrend(src: HomeSource, fresh = false): Promise<TrendData> {
  const { rule, now } = await src.siteNow(fresh);
  const month = monthPeriod(rule, now);
  const lastMonth = monthPeriod(rule, now, -1);
  const [current, previous] = await Promise.all([
    fetchDetailEnergy({ timeType: 2, amountType: 1, period: month }),
    fetchDetailEnergy({ timeType: 2, amountType: 1, period: lastMonth }),
  ]);
  const start = parseWall(month.start)!;
  const today = parseWall(dayPeriod(rule, now).start)!;
  const daysSoFar = Math.round(minutesBetween(start, today) / 1440) + 1;
  return { month, lastMonth, current, previous, daysSoFar };
}
