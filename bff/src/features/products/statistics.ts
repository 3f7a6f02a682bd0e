/**
 * The arithmetic of 8.9 / 8.14, apart from SQL so it can be read (and unit-tested) on its own.
 *
 * Energy of an output is its machine's metered energy inside the output's span. Time is cut into
 * elementary segments at every output start and end and every period boundary; in each segment a
 * machine's energy goes to the outputs of that machine running in it, in proportion to their output
 * rate (Total_Amount ÷ span), i.e. to the part of each output that falls in the segment. One output
 * alone gets all of it; two overlapping outputs of one machine share it in proportion to output; when
 * every running output has Total_Amount 0 they share it equally. Energy in segments where the machine
 * has no output counts for no product. An output's amount counts in a period pro rata to the part of
 * its span inside the period (8.9 with Time_Start/Time_End cutting an output: only that part).
 */

/** An output as the statistics see it (times in epoch ms). */
export interface StatOutput {
  id: number;
  productName: string;
  productUnit: string;
  machineId: number;
  machineName: string;
  batchName: string;
  amount: number;
  start: number;
  end: number;
}

/** What one output contributes to one period. */
export interface Share {
  output: StatOutput;
  period: number;
  amount: number;
  /** Energy by energy type, in the type's unit. */
  energy: Map<number, number>;
  /** Hours of the output's own span inside the period (run time of 8.14 type 6). */
  hours: number;
}

/** Machine id → energy type → energy per segment [points[k], points[k+1]). */
export type SegmentEnergy = Map<number, Map<number, number[]>>;

/** Outputs clipped to [lo, hi) (null: not clipped); those with nothing left are dropped. */
export function clip(outputs: StatOutput[], window: { start: number; end: number } | null) {
  return outputs
    .map((o) => ({
      o,
      s: window ? Math.max(o.start, window.start) : o.start,
      e: window ? Math.min(o.end, window.end) : o.end,
    }))
    .filter((c) => c.s < c.e);
}

/** The segment boundaries: every clipped output's start and end and every period boundary, sorted. */
export function segmentPoints(
  clipped: { s: number; e: number }[],
  periods: { start: number; end: number }[],
): number[] {
  const set = new Set<number>();
  for (const c of clipped) set.add(c.s).add(c.e);
  for (const p of periods) set.add(p.start).add(p.end);
  return [...set].sort((a, b) => a - b);
}

/**
 * Each output's share per period. `periods` must be consecutive and cover every clipped output
 * (their boundaries are among `points`).
 */
export function shares(
  clipped: { o: StatOutput; s: number; e: number }[],
  points: number[],
  periods: { start: number; end: number }[],
  energy: SegmentEnergy,
): Share[] {
  const index = new Map(points.map((p, k) => [p, k]));
  const segs = points.length - 1;
  // period of each segment (a sweep: periods are consecutive, their boundaries are points)
  const segPeriod = new Int32Array(Math.max(segs, 0)).fill(-1);
  let p = 0;
  for (let k = 0; k < segs; k++) {
    while (p < periods.length && periods[p]!.end <= points[k]!) p++;
    if (p < periods.length && periods[p]!.start <= points[k]!) segPeriod[k] = p;
  }
  const rate = (o: StatOutput) => o.amount / (o.end - o.start);
  // per machine, per segment: the sum of running rates and the count of running outputs
  const rateSum = new Map<number, Float64Array>();
  const running = new Map<number, Int32Array>();
  for (const c of clipped) {
    let r = rateSum.get(c.o.machineId);
    let n = running.get(c.o.machineId);
    if (!r || !n) {
      rateSum.set(c.o.machineId, (r = new Float64Array(segs)));
      running.set(c.o.machineId, (n = new Int32Array(segs)));
    }
    const w = rate(c.o);
    for (let k = index.get(c.s)!; k < index.get(c.e)!; k++) {
      r[k]! += w;
      n[k]! += 1;
    }
  }
  const out: Share[] = [];
  for (const c of clipped) {
    const w = rate(c.o);
    const r = rateSum.get(c.o.machineId)!;
    const n = running.get(c.o.machineId)!;
    const byType = energy.get(c.o.machineId);
    const perPeriod = new Map<number, Share>();
    for (let k = index.get(c.s)!; k < index.get(c.e)!; k++) {
      const period = segPeriod[k]!;
      if (period < 0) continue;
      let sh = perPeriod.get(period);
      if (!sh) perPeriod.set(period, (sh = { output: c.o, period, amount: 0, energy: new Map(), hours: 0 }));
      const len = points[k + 1]! - points[k]!;
      sh.amount += w * len;
      sh.hours += len / 3_600_000;
      const frac = r[k]! > 0 ? w / r[k]! : 1 / n[k]!;
      if (byType)
        for (const [type, list] of byType) sh.energy.set(type, (sh.energy.get(type) ?? 0) + list[k]! * frac);
    }
    out.push(...perPeriod.values());
  }
  return out;
}

/** Sums of a group of shares. */
export interface Totals {
  amount: number;
  energy: Map<number, number>;
  hours: number;
  units: Set<string>;
}

export const emptyTotals = (): Totals => ({ amount: 0, energy: new Map(), hours: 0, units: new Set() });

export function addShare(t: Totals, s: Share): void {
  t.amount += s.amount;
  t.hours += s.hours;
  t.units.add(s.output.productUnit);
  for (const [type, v] of s.energy) t.energy.set(type, (t.energy.get(type) ?? 0) + v);
}

/** kgce of a group's energy with the organization's factors (kgce per unit of each type). */
export function kgce(t: Totals, factors: Map<number, number>): number {
  let sum = 0;
  for (const [type, v] of t.energy) sum += v * (factors.get(type) ?? 0);
  return sum;
}

/** Six decimals: enough for tce of a few kWh, stable in JSON. */
export const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
