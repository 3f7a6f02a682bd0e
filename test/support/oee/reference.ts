/**
 * A slow, obvious reference for machine states (seed 002 §7), written apart from the product code:
 * the state at every reading instant from the raw readings and rules, then the state at every step of
 * time by looking back for the latest reading instant. Durations are counted step by step.
 */
export interface RefOeeReading {
  meter: number;
  ts: number;
  params: Record<string, number>;
}
export interface RefOeeRule {
  id: number;
  meter: number;
  param: string;
  lower: number;
  upper: number;
  status: string;
}

/** The state at each reading instant of the rules' meters (latest reading per (meter, ts) wins). */
export function refPoints(readings: RefOeeReading[], rules: RefOeeRule[]): { ts: number; status: string }[] {
  const meters = new Set(rules.map((r) => r.meter));
  const latest = new Map<string, RefOeeReading>();
  for (const r of readings) if (meters.has(r.meter)) latest.set(`${r.meter}@${r.ts}`, r);
  const instants = [...new Set([...latest.values()].map((r) => r.ts))].sort((a, b) => a - b);
  const ordered = [...rules].sort((a, b) => a.id - b.id);
  return instants.map((ts) => {
    let status = '未定义';
    for (const rule of ordered) {
      const v = latest.get(`${rule.meter}@${ts}`)?.params[rule.param];
      if (v !== undefined && v >= rule.lower && v <= rule.upper) {
        status = rule.status;
        break;
      }
    }
    return { ts, status };
  });
}

/** The state at instant `t`, or null before the first reading instant and from `now` on. */
export function refStateAt(
  points: { ts: number; status: string }[],
  t: number,
  gapMs: number,
  now: number,
): string | null {
  if (t >= now) return null;
  let last: { ts: number; status: string } | undefined;
  for (const p of points) if (p.ts <= t) last = p;
  if (!last) return null;
  return t - last.ts < gapMs ? last.status : '离线';
}

/** Milliseconds per state inside each bucket (clipped to [from, to)), stepping `stepMs` at a time. */
export function refDurations(
  points: { ts: number; status: string }[],
  gapMs: number,
  now: number,
  from: number,
  to: number,
  buckets: { start: number; end: number }[],
  stepMs: number,
): Map<string, number>[] {
  // Index of the latest point at or before t, advanced as t grows (still a linear look-back).
  return buckets.map((b) => {
    const out = new Map<string, number>();
    const lo = Math.max(b.start, from);
    const hi = Math.min(b.end, to);
    let i = -1;
    for (let t = lo; t < hi; t += stepMs) {
      while (i + 1 < points.length && points[i + 1]!.ts <= t) i++;
      if (t >= now || i < 0) continue;
      const p = points[i]!;
      const s = t - p.ts < gapMs ? p.status : '离线';
      out.set(s, (out.get(s) ?? 0) + stepMs);
    }
    return out;
  });
}

/** The first state in [from, to) and every change after it, stepping `stepMs` at a time. */
export function refRecords(
  points: { ts: number; status: string }[],
  gapMs: number,
  now: number,
  from: number,
  to: number,
  stepMs: number,
): { t: number; status: string }[] {
  const out: { t: number; status: string }[] = [];
  for (let t = from; t < to; t += stepMs) {
    const s = refStateAt(points, t, gapMs, now);
    if (s !== null && out.at(-1)?.status !== s) out.push({ t, status: s });
  }
  return out;
}
