/**
 * Wall-clock conversion for the brute-force reference, written apart from the product's `core/time.ts`
 * (which uses Luxon): Intl.DateTimeFormat renders an instant, and a local time is found by trying every
 * quarter-hour offset from −14:00 to +14:00 and keeping the instants that render back to it.
 * The rule it checks: in a DST fold the earlier instant; in a gap, the offset before the gap.
 */
const renderers = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock parts of an instant in a zone. */
export function refLocalParts(t: number, tz: string) {
  let f = renderers.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    renderers.set(tz, f);
  }
  const p: Record<string, string> = {};
  for (const x of f.formatToParts(new Date(t))) p[x.type] = x.value;
  const year = p.era === 'BC' || p.era === 'B' ? 1 - Number(p.year) : Number(p.year);
  return {
    year,
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

/** Milliseconds of a wall-clock time read as if it were UTC (fields may overflow). */
function wallMs(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const x = new Date(0);
  x.setUTCFullYear(y, mo - 1, d);
  x.setUTCHours(h, mi, s, 0);
  return x.getTime();
}

/** The instant of a wall-clock time in a zone, by searching offsets. */
export function refFromLocal(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  tz: string,
): number {
  const wall = wallMs(y, mo, d, h, mi, s);
  const matches: number[] = [];
  for (let q = -14 * 4; q <= 14 * 4; q++) {
    const t = wall - q * 15 * 60_000;
    const p = refLocalParts(t, tz);
    if (wallMs(p.year, p.month, p.day, p.hour, p.minute, p.second) === wall) matches.push(t);
  }
  if (matches.length) return Math.min(...matches);
  // A gap: the offset in force a day before, which moves the time forward by the gap.
  const before = refLocalParts(wall - 86_400_000, tz);
  const offset =
    wallMs(before.year, before.month, before.day, before.hour, before.minute, before.second) -
    (wall - 86_400_000);
  return wall - offset;
}

/** Parses "YYYY-MM-DD HH:mm:ss" in a zone. */
export function refParseLocal(text: string, tz: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) throw new Error(`not a local time: ${text}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return refFromLocal(y, mo, d, h, mi, s, tz);
}

/** "YYYY-MM-DD HH:mm:ss" of an instant in a zone. */
export function refFormatLocal(t: number, tz: string): string {
  const p = refLocalParts(t, tz);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(p.year).padStart(4, '0')}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}
