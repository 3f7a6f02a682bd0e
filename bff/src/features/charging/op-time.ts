import { parseLocal, zoneOffsetMs } from '../../core/time';

/** Parses `yyyy-MM-dd HH:mm:ss[.SSS]` in a zone; null when it is not a real time. */
export function parseOpTime(s: string, tz: string): Date | null {
  const [base, frac] = s.split('.');
  const d = parseLocal(base ?? '', tz);
  if (!d) return null;
  return frac ? new Date(d.getTime() + Number(frac.padEnd(3, '0'))) : d;
}

const BUCKET_MS = 15 * 60_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * A `yyyy-MM-dd HH:mm:ss` formatter for one zone that asks the zone database once per 15-minute UTC
 * bucket (offset changes fall on such boundaries), not once per value: a page of records formats
 * many times. (The stations page formats its cell times in PostgreSQL, `ManagerRepository.stationsPage`.)
 */
export function opTimeFormatter(tz: string): (d: Date) => string {
  const offsets = new Map<number, number>();
  return (d) => {
    const bucket = Math.floor(d.getTime() / BUCKET_MS);
    let off = offsets.get(bucket);
    if (off === undefined) offsets.set(bucket, (off = zoneOffsetMs(new Date(bucket * BUCKET_MS), tz)));
    const l = new Date(d.getTime() + off);
    return `${pad(l.getUTCFullYear(), 4)}-${pad(l.getUTCMonth() + 1)}-${pad(l.getUTCDate())} ${pad(l.getUTCHours())}:${pad(l.getUTCMinutes())}:${pad(l.getUTCSeconds())}`;
  };
}

/** `yyyy-MM-dd HH:mm:ss` in a zone. */
export const formatOpTime = (d: Date, tz: string): string => opTimeFormatter(tz)(d);
