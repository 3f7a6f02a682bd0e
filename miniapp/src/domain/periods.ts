/**
 * Business periods from the site's 4.3 personalise settings, computed on the site's wall clock (the
 * API takes and answers local "YYYY-MM-DD HH:mm:ss"). A day may begin at 07:30, a month on the 26th,
 * a year in any month; the seed's minus signs only choose labels, so only the magnitudes matter here.
 */

/** The settings as 4.3 answers them (strings). */
export interface Personalise {
  Year_Start: string;
  Month_Start: string;
  Day_Start: string;
  Time_Zone?: string;
}

export interface Rule {
  dayMinute: number;
  monthDay: number;
  yearMonth: number;
}

/** A wall-clock minute: calendar date plus minutes after midnight. */
export interface Wall {
  y: number;
  m: number;
  d: number;
  min: number;
}

/** One query period: `start` and `end` inclusive (the end is the last second, "… 23:59:59", as in the seed's examples). */
export interface Period {
  start: string;
  end: string;
}

/** Reads the rule out of 4.3's strings; defaults (midnight, 1st, January) when a value is unusable. */
export function ruleOf(p: Personalise | undefined): Rule {
  const day = /^-?(\d{1,2}):(\d{2})/.exec(p?.Day_Start ?? '');
  const monthDay = Math.abs(Number(p?.Month_Start ?? 1)) || 1;
  const yearMonth = Math.abs(Number(p?.Year_Start ?? 1)) || 1;
  return {
    dayMinute: day ? Number(day[1]) * 60 + Number(day[2]) : 0,
    monthDay: Math.min(Math.max(monthDay, 1), 31),
    yearMonth: Math.min(Math.max(yearMonth, 1), 12),
  };
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** `w` moved by `n` calendar days (same minute of the day). */
export function addDays(w: Wall, n: number): Wall {
  const t = new Date(Date.UTC(w.y, w.m - 1, w.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), min: w.min };
}

function addMonths(y: number, m: number, n: number): [number, number] {
  const i = y * 12 + (m - 1) + n;
  return [Math.floor(i / 12), (i % 12) + 1];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "YYYY-MM-DD HH:mm:ss" of a wall-clock minute. */
export function formatWall(w: Wall): string {
  return `${w.y}-${pad(w.m)}-${pad(w.d)} ${pad(Math.floor(w.min / 60))}:${pad(w.min % 60)}:00`;
}

/** The wall clock of `now` in `timeZone` (falls back to China time when the zone is unknown here). */
export function wallClock(now: Date, timeZone = 'Asia/Shanghai'): Wall {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    }).formatToParts(now);
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    const w = { y: get('year'), m: get('month'), d: get('day'), min: get('hour') * 60 + get('minute') };
    if ([w.y, w.m, w.d, w.min].every(Number.isFinite)) return w;
  } catch {
    // older runtimes without time-zone data
  }
  const t = new Date(now.getTime() + 8 * 3_600_000);
  return {
    y: t.getUTCFullYear(),
    m: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    min: t.getUTCHours() * 60 + t.getUTCMinutes(),
  };
}

/** The last second before the wall-clock minute `next` ("… 07:29:59" before a 07:30 boundary). */
function endBefore(next: Wall): string {
  const prev = next.min > 0 ? { ...next, min: next.min - 1 } : { ...addDays(next, -1), min: 24 * 60 - 1 };
  return `${formatWall(prev).slice(0, 17)}59`;
}

/** The date on which the business day holding `w` began. */
function dayDate(rule: Rule, w: Wall): Wall {
  const base = { ...w, min: rule.dayMinute };
  return w.min < rule.dayMinute ? addDays(base, -1) : base;
}

function monthBegin(rule: Rule, y: number, m: number): Wall {
  return { y, m, d: Math.min(rule.monthDay, daysIn(y, m)), min: rule.dayMinute };
}

function monthKey(rule: Rule, w: Wall): [number, number] {
  const d = dayDate(rule, w);
  return d.d >= Math.min(rule.monthDay, daysIn(d.y, d.m)) ? [d.y, d.m] : addMonths(d.y, d.m, -1);
}

/** The business day holding `w`, shifted by `offset` days (−1 = the day before). */
export function dayPeriod(rule: Rule, w: Wall, offset = 0): Period {
  const start = addDays(dayDate(rule, w), offset);
  return { start: formatWall(start), end: endBefore(addDays(start, 1)) };
}

/** The business month holding `w`, shifted by `offset` months. */
export function monthPeriod(rule: Rule, w: Wall, offset = 0): Period {
  const [y, m] = addMonths(...monthKey(rule, w), offset);
  const [ny, nm] = addMonths(y, m, 1);
  return { start: formatWall(monthBegin(rule, y, m)), end: endBefore(monthBegin(rule, ny, nm)) };
}

/** The business year holding `w`, shifted by `offset` years. */
export function yearPeriod(rule: Rule, w: Wall, offset = 0): Period {
  const [ky, km] = monthKey(rule, w);
  const y = (km >= rule.yearMonth ? ky : ky - 1) + offset;
  return {
    start: formatWall(monthBegin(rule, y, rule.yearMonth)),
    end: endBefore(monthBegin(rule, y + 1, rule.yearMonth)),
  };
}

/** 1 = year, 2 = month, 3 = day (seed `Time_Type`). */
export type TimeType = 1 | 2 | 3;

/** The period of a type holding `w`, shifted by `offset` periods. */
export function periodOf(type: TimeType, rule: Rule, w: Wall, offset = 0): Period {
  if (type === 1) return yearPeriod(rule, w, offset);
  if (type === 2) return monthPeriod(rule, w, offset);
  return dayPeriod(rule, w, offset);
}

/** A short Chinese label of a period for the picker ("2026-11-21 07:30 起"). */
export function periodLabel(type: TimeType, p: Period): string {
  const [date, time] = p.start.split(' ') as [string, string];
  const [y, m] = date.split('-');
  const hm = time.slice(0, 5);
  const clock = hm === '00:00' ? '' : ` ${hm} 起`;
  if (type === 1) return `${y} 年度（${date} 起）`;
  if (type === 2) return `${y} 年 ${Number(m)} 月（${date.slice(5)} 起${clock ? ` ${hm}` : ''}）`;
  return `${date}${clock}`;
}

/** Reads "YYYY-MM-DD HH:mm[:ss]" as a wall-clock minute (seconds dropped); null when malformed. */
export function parseWall(s: string): Wall | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(s);
  if (!m) return null;
  const [y, mo, d, hh, mm] = m.slice(1).map(Number) as [number, number, number, number, number];
  return { y, m: mo, d, min: hh * 60 + mm };
}

/** Wall-clock minutes from `a` to `b` (calendar arithmetic; a zone's clock changes are not counted). */
export function minutesBetween(a: Wall, b: Wall): number {
  return (Date.UTC(b.y, b.m - 1, b.d, 0, b.min) - Date.UTC(a.y, a.m - 1, a.d, 0, a.min)) / 60_000;
}

/** `w` moved by `n` minutes. */
export function addMinutes(w: Wall, n: number): Wall {
  const t = new Date(Date.UTC(w.y, w.m - 1, w.d, 0, w.min + n));
  return {
    y: t.getUTCFullYear(),
    m: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    min: t.getUTCHours() * 60 + t.getUTCMinutes(),
  };
}
