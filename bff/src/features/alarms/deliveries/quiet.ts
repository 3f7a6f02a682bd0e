import { fromLocal, localParts } from '../../../core/time';

const minutesOf = (hhmm: string): number | null => {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};

/**
 * When a level-1 push may go out: `now` outside the user's quiet hours, else the end of them (local
 * time). Quiet hours [start, end) may cross midnight (22:00 → 07:00); empty or equal = none.
 */
export function quietUntil(now: Date, tz: string, start: string, end: string): Date | null {
  const s = minutesOf(start);
  const e = minutesOf(end);
  if (s === null || e === null || s === e) return null;
  const p = localParts(now, tz);
  const m = p.hour * 60 + p.minute;
  const inside = s < e ? m >= s && m < e : m >= s || m < e;
  if (!inside) return null;
  // The end is later today, or tomorrow (22:00 → 07:00 seen at 23:00); Date.UTC rolls day + 1 over.
  const endToday = fromLocal(p.year, p.month, p.day, Math.floor(e / 60), e % 60, 0, tz);
  return endToday > now ? endToday : fromLocal(p.year, p.month, p.day + 1, Math.floor(e / 60), e % 60, 0, tz);
}

/** The next local `hh:mm` strictly after `now` (the daily digest). */
export function nextAt(now: Date, tz: string, hhmm: string): Date {
  const t = minutesOf(hhmm) ?? 8 * 60;
  const p = localParts(now, tz);
  const today = fromLocal(p.year, p.month, p.day, Math.floor(t / 60), t % 60, 0, tz);
  return today > now ? today : fromLocal(p.year, p.month, p.day + 1, Math.floor(t / 60), t % 60, 0, tz);
}
