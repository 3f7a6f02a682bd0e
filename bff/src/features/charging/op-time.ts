import { formatLocal, parseLocal } from '../../core/time';

/** Parses `yyyy-MM-dd HH:mm:ss[.SSS]` in a zone; null when it is not a real time. */
export function parseOpTime(s: string, tz: string): Date | null {
  const [base, frac] = s.split('.');
  const d = parseLocal(base ?? '', tz);
  if (!d) return null;
  return frac ? new Date(d.getTime() + Number(frac.padEnd(3, '0'))) : d;
}

/** `yyyy-MM-dd HH:mm:ss` in a zone. */
export const formatOpTime = (d: Date, tz: string): string => formatLocal(d, tz);
