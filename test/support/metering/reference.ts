import { refFromLocal as fromLocal, refLocalParts as localParts, refParseLocal as parseLocal } from './zone';

/**
 * A slow, obvious re-computation of energy figures straight from the raw readings, written apart
 * from the production code (no rollups, no shared calendar arithmetic) so tests can check one
 * against the other.
 */
export interface RefReading {
  ts: number;
  total: number;
  params?: Record<string, number>;
}
export interface RefMeter {
  id: number;
  type: number;
  readings: RefReading[];
  /** Lifetime base by reading time: replacements as [from, base]. */
  epochs?: [number, number][];
  registerMax?: number;
  /** Hand-filled amounts at their period start. */
  manual?: { start: number; amount: number }[];
  /** Virtual: a function of the component values. */
  virtual?: { refs: number[]; f: (v: Record<number, number>) => number };
}
export interface RefCalendar {
  tz: string;
  dayMinute: number;
  monthDay: number;
  /** Month a year starts in (default 1). */
  yearMonth?: number;
}

const baseOf = (m: RefMeter, ts: number) => {
  let b = 0;
  for (const [from, base] of m.epochs ?? []) if (from <= ts) b = base;
  return b;
};

/** Each reading with the consumption since the one before it. */
export function refDeltas(m: RefMeter): { ts: number; delta: number }[] {
  const sorted = [...m.readings].sort((a, b) => a.ts - b.ts);
  return sorted.map((r, i) => {
    if (i === 0) return { ts: r.ts, delta: 0 };
    const p = sorted[i - 1]!;
    const pb = baseOf(m, p.ts);
    const cb = baseOf(m, r.ts);
    const d = cb + r.total - (pb + p.total);
    if (d >= 0) return { ts: r.ts, delta: d };
    if (pb === cb && m.registerMax !== undefined)
      return { ts: r.ts, delta: m.registerMax - p.total + r.total };
    return { ts: r.ts, delta: Math.max(0, r.total) };
  });
}

function dayStarts(cal: RefCalendar, from: number, to: number): number[] {
  const out: number[] = [];
  const p = localParts(from - 40 * 86_400_000, cal.tz);
  for (let i = 0; ; i++) {
    const t = fromLocal(
      p.year,
      p.month,
      p.day + i,
      Math.floor(cal.dayMinute / 60),
      cal.dayMinute % 60,
      0,
      cal.tz,
    );
    out.push(t);
    if (t > to + 40 * 86_400_000) return out;
  }
}

function monthStartsTagged(cal: RefCalendar, from: number, to: number): { t: number; m: number }[] {
  const out: { t: number; m: number }[] = [];
  const p = localParts(from, cal.tz);
  for (let i = -14; ; i++) {
    const y = p.year + Math.floor((p.month - 1 + i) / 12);
    const m = ((((p.month - 1 + i) % 12) + 12) % 12) + 1;
    const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const t = fromLocal(
      y,
      m,
      Math.min(cal.monthDay, dim),
      Math.floor(cal.dayMinute / 60),
      cal.dayMinute % 60,
      0,
      cal.tz,
    );
    out.push({ t, m });
    if (t > to + 400 * 86_400_000) return out;
  }
}

/** Buckets [start, end) of a query, by searching period starts rather than doing arithmetic. */
export function refBuckets(
  cal: RefCalendar,
  type: 1 | 2 | 3,
  startText: string,
  endText: string,
  interval?: number,
) {
  const from = parseLocal(startText, cal.tz);
  const to = parseLocal(endText, cal.tz);
  const out: { start: number; end: number }[] = [];
  if (type === 3) {
    const starts = dayStarts(cal, from, to);
    const anchor = starts.filter((s) => s <= from).pop()!;
    const step = (interval ?? 60) * 60_000;
    let s = anchor;
    while (s + step <= from) s += step;
    do {
      out.push({ start: s, end: s + step });
      s += step;
    } while (s < to);
    return out;
  }
  // The grid starts at the business year (year queries) or month (month queries) holding `from`.
  const tagged = monthStartsTagged(cal, from, to);
  const starts = type === 1 ? tagged.map((x) => x.t) : dayStarts(cal, from, to);
  const anchor =
    type === 1
      ? tagged.filter((x) => x.t <= from && x.m === (cal.yearMonth ?? 1)).pop()!.t
      : tagged.filter((x) => x.t <= from).pop()!.t;
  const k = interval ?? 1;
  let i = starts.indexOf(anchor);
  while (starts[i + k]! <= from) i += k;
  do {
    out.push({ start: starts[i]!, end: starts[i + k]! });
    i += k;
  } while (starts[i]! < to);
  return out;
}

/** Local half hour (0–47) of the interval a reading at `ts` closes. */
export function refSlot(tz: string, ts: number): number {
  const p = localParts(ts - 1, tz);
  return p.hour * 2 + (p.minute >= 30 ? 1 : 0);
}

export interface RefFigure {
  amount: number;
  cost: number | null;
  shifts: number[];
}

/** Figures of a meter per bucket: amount, cost with 48 slot prices (or none), amounts per shift slot set. */
export function refFigures(
  meters: Map<number, RefMeter>,
  id: number,
  buckets: { start: number; end: number }[],
  tz: string,
  prices: Map<number, number[]>,
  shifts: number[][] = [],
): RefFigure[] {
  const m = meters.get(id)!;
  if (m.virtual) {
    const parts = m.virtual.refs.map((r) => refFigures(meters, r, buckets, tz, prices, shifts));
    return buckets.map((_, k) => {
      const pick = (f: (x: RefFigure) => number | null) => {
        const v: Record<number, number> = {};
        for (const [i, r] of m.virtual!.refs.entries()) {
          const x = f(parts[i]![k]!);
          if (x === null) return null;
          v[r] = x;
        }
        return m.virtual!.f(v);
      };
      return {
        amount: pick((x) => x.amount)!,
        cost: pick((x) => x.cost),
        shifts: shifts.map((_, s) => pick((x) => x.shifts[s]!)!),
      };
    });
  }
  const price = prices.get(m.type);
  const out = buckets.map(
    () => ({ amount: 0, cost: price ? 0 : null, shifts: shifts.map(() => 0) }) as RefFigure,
  );
  const add = (k: number, v: number, slot: number) => {
    const f = out[k]!;
    f.amount += v;
    if (price) f.cost! += v * price[slot]!;
    shifts.forEach((set, s) => {
      if (set.includes(slot)) f.shifts[s]! += v;
    });
  };
  for (const d of refDeltas(m)) {
    const k = buckets.findIndex((b) => d.ts > b.start && d.ts <= b.end);
    if (k >= 0) add(k, d.delta, refSlot(tz, d.ts));
  }
  for (const a of m.manual ?? []) {
    const k = buckets.findIndex((b) => a.start >= b.start && a.start < b.end);
    if (k >= 0) add(k, a.amount, refSlot(tz, a.start + 1));
  }
  return out;
}

/** Average (or, for day queries, last) of a param per bucket; buckets without readings are absent. */
export function refMeasure(
  m: RefMeter,
  name: string,
  buckets: { start: number; end: number }[],
  last: boolean,
) {
  return buckets.map((b) => {
    const inside = m.readings
      .filter((r) => r.ts > b.start && r.ts <= b.end && r.params?.[name] !== undefined)
      .sort((x, y) => x.ts - y.ts);
    if (!inside.length) return null;
    if (last) return inside[inside.length - 1]!.params![name]!;
    return inside.reduce((a, r) => a + r.params![name]!, 0) / inside.length;
  });
}
