import { fromLocal, localParts } from '../../core/time';

/**
 * An organization's business calendar (4.3/4.4 personalise + its time zone): where days, months and
 * years begin. Only the boundaries matter here; the seed's signs ("-07:30:00", -26) choose which
 * calendar label a period gets, and answers name a period by its local start time instead.
 */
export interface CalendarRule {
  tz: string;
  /** Minutes after local midnight where a day begins (on the half-hour grid). */
  dayMinute: number;
  /** Day of the month (1–31, clamped to the month's length) where a month begins. */
  monthDay: number;
  /** Month (1–12) where a year begins. */
  yearMonth: number;
}

export const DEFAULT_RULE: Omit<CalendarRule, 'tz'> = { dayMinute: 0, monthDay: 1, yearMonth: 1 };

/** The fine rollup grain: every rollup bucket, rate segment, shift and day boundary sits on it. */
export const FINE_MS = 30 * 60_000;

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
/** Calendar date arithmetic on (y, m, d) without a zone. */
function addDays(y: number, m: number, d: number, n: number): [number, number, number] {
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}
function addMonths(y: number, m: number, n: number): [number, number] {
  const i = y * 12 + (m - 1) + n;
  return [Math.floor(i / 12), (i % 12) + 1];
}

/** Period arithmetic for one calendar rule. Instants are epoch milliseconds. */
export class BusinessCalendar {
  constructor(readonly rule: CalendarRule) {}

  private at(y: number, m: number, d: number): number {
    const mins = this.rule.dayMinute;
    return fromLocal(y, m, d, Math.floor(mins / 60), mins % 60, 0, this.rule.tz).getTime();
  }

  /** The local date on which the business day holding `t` begins. */
  dayDate(t: number): [number, number, number] {
    const p = localParts(new Date(t), this.rule.tz);
    const mins = p.hour * 60 + p.minute;
    return mins < this.rule.dayMinute ? addDays(p.year, p.month, p.day, -1) : [p.year, p.month, p.day];
  }

  /** Start of the business day holding `t`. */
  dayStart(t: number): number {
    return this.at(...this.dayDate(t));
  }

  /** Start of the business day after the one starting at `start`. */
  nextDay(start: number): number {
    const [y, m, d] = this.dayDate(start);
    return this.at(...addDays(y, m, d, 1));
  }

  private monthBegin(y: number, m: number): number {
    return this.at(y, m, Math.min(this.rule.monthDay, daysIn(y, m)));
  }

  /** The (year, month) whose business month holds `t`. */
  monthKey(t: number): [number, number] {
    const [y, m, d] = this.dayDate(t);
    return d >= Math.min(this.rule.monthDay, daysIn(y, m)) ? [y, m] : addMonths(y, m, -1);
  }

  /** Start of the business month holding `t`. */
  monthStart(t: number): number {
    return this.monthBegin(...this.monthKey(t));
  }

  /** Start of the business month `n` months after the one holding `t`. */
  addMonths(t: number, n: number): number {
    const [y, m] = this.monthKey(t);
    return this.monthBegin(...addMonths(y, m, n));
  }

  /** Start of the business year holding `t`. */
  yearStart(t: number): number {
    const [y, m] = this.monthKey(t);
    return this.monthBegin(m >= this.rule.yearMonth ? y : y - 1, this.rule.yearMonth);
  }

  /** Local half-hour of day (0–47) of an instant: where rate segments and shifts apply. */
  slot(t: number): number {
    const p = localParts(new Date(t), this.rule.tz);
    return p.hour * 2 + Math.floor(p.minute / 30);
  }
}

/** 1 = year (buckets of months), 2 = month (buckets of days), 3 = day (buckets of minutes). */
export type TimeType = 1 | 2 | 3;

export interface Bucket {
  start: number;
  end: number;
}

/** The seed's `Time_Interval` defaults: year → 1 month, month → 1 day, day → 60 minutes. */
export const defaultInterval = (type: TimeType): number => (type === 3 ? 60 : 1);

/** Thrown by `buckets` when a range would produce more buckets than allowed. */
export class TooManyBuckets extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} buckets`);
  }
}

/**
 * The buckets of a query: `interval` units at a time on a grid anchored at the start of the business
 * year (year queries, months), month (month queries, days) or day (day queries, minutes) holding
 * `from`, from the bucket holding `from` while a bucket starts before `to` (the first always counts).
 * With interval 1 that is simply the month, day or hour holding `from`; with 3 or 12 months, quarters
 * and years follow the organization's year start.
 */
export function buckets(
  cal: BusinessCalendar,
  type: TimeType,
  from: number,
  to: number,
  interval: number,
  limit: number,
): Bucket[] {
  const out: Bucket[] = [];
  let start: number;
  let next: (s: number) => number;
  if (type === 1) {
    start = cal.yearStart(from);
    next = (s) => cal.addMonths(s, interval);
  } else if (type === 2) {
    start = cal.monthStart(from);
    next = (s) => {
      let e = s;
      for (let i = 0; i < interval; i++) e = cal.nextDay(e);
      return e;
    };
  } else {
    const anchor = cal.dayStart(from);
    const step = interval * 60_000;
    start = anchor + Math.floor((from - anchor) / step) * step;
    next = (s) => s + step;
  }
  for (let end = next(start); end <= from; end = next(start)) start = end;
  do {
    if (out.length >= limit) throw new TooManyBuckets(limit);
    const end = next(start);
    out.push({ start, end });
    start = end;
  } while (start < to);
  return out;
}

/** The fine (30-minute) bucket a reading at `ts` closes: readings stamp the end of their interval. */
export const fineBucketOfReading = (ts: number): number => Math.floor((ts - 1) / FINE_MS) * FINE_MS;
/** The fine bucket an amount starting at `t` falls in (hand-filled periods). */
export const fineBucketAt = (t: number): number => Math.floor(t / FINE_MS) * FINE_MS;

/** Whether an IANA zone's offset from UTC stays on the half-hour grid (needed by the fine rollup). */
export function zoneOnHalfHourGrid(tz: string, year: number): boolean {
  for (let m = 0; m < 12; m++) {
    const t = Date.UTC(year, m, 15);
    const p = localParts(new Date(t), tz);
    const local = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    if ((local - t) % FINE_MS !== 0) return false;
  }
  return true;
}
