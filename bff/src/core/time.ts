import { DateTime } from 'luxon';

/**
 * Local wall-clock time in an IANA zone, as the seeds write it ("YYYY-MM-DD HH:mm:ss"), through Luxon
 * (zone rules from the runtime's Intl/ICU data).
 *
 * Daylight-saving transitions, e.g. Europe/Berlin:
 * - **Fold** (last Sunday of October, 03:00 CEST → 02:00 CET): a wall time between 02:00 and 03:00 happens
 *   twice; `fromLocal` returns the **earlier** instant (the one still on summer time, +02:00).
 * - **Gap** (last Sunday of March, 02:00 CET → 03:00 CEST): a wall time between 02:00 and 03:00 never
 *   happens; `fromLocal` reads it with the offset in force before the gap, i.e. moves it **forward by the
 *   gap's length** (02:30 → the instant of 03:30 CEST).
 */

function inZone(d: Date | number, tz: string): DateTime {
  const t = typeof d === 'number' ? d : d.getTime();
  const dt = DateTime.fromMillis(t, { zone: tz });
  if (!dt.isValid) throw new RangeError(`time zone or instant not supported: ${tz} ${t}`);
  return dt;
}

/**
 * Answers already worked out, for instants and wall-clock times that recur (a rollup batch asks for the
 * same bucket starts and day starts for every meter, batch after batch): the zone database is asked
 * once per zone and value. Exact (pure functions of their keys); each map is cleared when full, a bound
 * rather than an eviction policy.
 */
const MEMO_MAX = 50_000;
type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number };
const partsMemo = new Map<string, Map<number, Parts>>();
const instantMemo = new Map<string, number>();

/** Wall-clock parts of an instant in a zone. */
export function localParts(d: Date, tz: string): Parts {
  const t = d.getTime();
  let byZone = partsMemo.get(tz);
  let p = byZone?.get(t);
  if (!p) {
    const dt = inZone(t, tz);
    p = { year: dt.year, month: dt.month, day: dt.day, hour: dt.hour, minute: dt.minute, second: dt.second };
    if (!byZone || byZone.size >= MEMO_MAX) partsMemo.set(tz, (byZone = new Map()));
    byZone.set(t, p);
  }
  return { ...p };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "YYYY-MM-DD HH:mm:ss" for an instant in a zone. */
export function formatLocal(d: Date, tz: string): string {
  const p = localParts(d, tz);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** Offset of a zone from UTC at an instant, in milliseconds. */
export function zoneOffsetMs(d: Date, tz: string): number {
  return Math.round(inZone(d, tz).offset * 60_000);
}

/**
 * The instant of a wall-clock time in a zone: the earlier one in a DST fold, moved forward by the gap in
 * a DST gap (see the module comment). Fields may overflow (day 32, month 13, hour 24) and are carried
 * as calendar arithmetic, as `Date.UTC` does, before the zone is applied.
 */
export function fromLocal(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  tz: string,
): Date {
  const key = `${tz} ${year} ${month} ${day} ${hour} ${minute} ${second}`;
  const known = instantMemo.get(key);
  if (known !== undefined) return new Date(known);
  // Not Date.UTC: it maps years 0–99 to 1900–1999 (0001-01-01 became 1901).
  const n = new Date(0);
  n.setUTCFullYear(year, month - 1, day);
  n.setUTCHours(hour, minute, second, 0);
  const dt = DateTime.fromObject(
    {
      year: n.getUTCFullYear(),
      month: n.getUTCMonth() + 1,
      day: n.getUTCDate(),
      hour: n.getUTCHours(),
      minute: n.getUTCMinutes(),
      second: n.getUTCSeconds(),
    },
    { zone: tz },
  );
  if (!dt.isValid) throw new RangeError(`time zone or time not supported: ${tz} ${dt.invalidExplanation}`);
  const candidates = dt.getPossibleOffsets();
  const t = Math.min(...candidates.map((c) => c.toMillis()));
  if (instantMemo.size >= MEMO_MAX) instantMemo.clear();
  instantMemo.set(key, t);
  return new Date(t);
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/**
 * Resolved minutes, by zone and "YYYY-MM-DD HH:mm": the instant of the minute's second 0, or null when the
 * minute is not a calendar time. Zone rules change offsets only on whole minutes, so a time's instant is
 * its minute's plus its seconds — the same answer `fromLocal` gives, without asking the zone database for
 * every report and signed header of the same minute. Cleared when full (a bound, not an eviction policy).
 */
const minutes = new Map<string, number | null>();
const MINUTES_MAX = 10_000;

/** Parses "YYYY-MM-DD HH:mm:ss" in a zone; null when malformed or not a real calendar time. */
export function parseLocal(s: string, tz: string): Date | null {
  const m = LOCAL_RE.exec(s);
  if (!m) return null;
  const se = Number(m[6]);
  if (se > 59) return null;
  const key = `${tz} ${s.slice(0, 16)}`;
  let start = minutes.get(key);
  if (start === undefined) {
    const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
    start =
      mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || d > (DateTime.utc(y, mo).daysInMonth ?? 0)
        ? null
        : fromLocal(y, mo, d, h, mi, 0, tz).getTime();
    if (minutes.size >= MINUTES_MAX) minutes.clear();
    minutes.set(key, start);
  }
  return start === null ? null : new Date(start + se * 1000);
}
