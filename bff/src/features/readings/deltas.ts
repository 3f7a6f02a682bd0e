import { fineBucketOfReading } from '../calendar/calendar';

/** A stored reading of one meter. `base` shifts the register into the meter's lifetime total. */
export interface MeterReading {
  ts: number;
  total: number;
  base: number;
  delta: number;
  params: Record<string, number> | null;
}

/**
 * Consumption between two consecutive readings of a meter. The lifetime total is `base + total`
 * (base changes when a meter is replaced). A drop within one register epoch is a roll-over: counted
 * through `registerMax` when the meter has one, else as the register starting again from zero.
 */
export function consumption(
  prev: Pick<MeterReading, 'total' | 'base'> | undefined,
  cur: Pick<MeterReading, 'total' | 'base'>,
  registerMax: number | null,
): number {
  if (!prev) return 0;
  const d = cur.base + cur.total - (prev.base + prev.total);
  if (d >= 0) return d;
  if (cur.base === prev.base && registerMax !== null && prev.total <= registerMax)
    return registerMax - prev.total + cur.total;
  return Math.max(0, cur.total);
}

/** What merging incoming readings into a meter's stored ones changes. */
export interface MergeResult {
  /** Rows to write (new, changed, or with a changed delta), with their final values. */
  writes: MeterReading[];
  /** Consumption change per fine bucket (epoch ms → amount). */
  fine: Map<number, number>;
  /** Param change per fine bucket and name: sum and count. */
  params: Map<number, Map<string, { sum: number; n: number }>>;
}

/** Same measure values, whatever the key order (jsonb reorders keys). */
export function sameParams(a: Record<string, number> | null, b: Record<string, number> | null): boolean {
  if (!a || !b) return !a === !b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * Merges incoming readings (sorted by ts, unique) into the stored readings of the same meter that
 * surround them: `stored` holds every stored reading from the last one before the first incoming
 * reading to the first one after the last (sorted). Recomputes each delta the merge can change.
 * (One pass over both sorted lists: this runs for every reading ingested.)
 */
export function mergeReadings(
  stored: MeterReading[],
  incoming: Omit<MeterReading, 'delta'>[],
  registerMax: number | null,
): MergeResult {
  const lo = incoming[0]!.ts;
  const params = new Map<number, Map<string, { sum: number; n: number }>>();
  const addParams = (ts: number, p: Record<string, number> | null, sign: 1 | -1) => {
    if (!p) return;
    const bucket = fineBucketOfReading(ts);
    let m = params.get(bucket);
    if (!m) params.set(bucket, (m = new Map()));
    for (const name in p) {
      let acc = m.get(name);
      if (!acc) m.set(name, (acc = { sum: 0, n: 0 }));
      acc.sum += sign * p[name]!;
      acc.n += sign;
    }
  };
  const writes: MeterReading[] = [];
  const fine = new Map<number, number>();
  let prev: MeterReading | undefined;
  let first = true;
  /** The next reading of the merged timeline: its final values, its stored delta, whether it is written. */
  const step = (row: Omit<MeterReading, 'delta'>, old: MeterReading | undefined, touched: boolean) => {
    const before = old?.delta ?? 0;
    // The stored reading before the batch keeps its delta: nothing before it changed.
    const delta = first && row.ts < lo ? before : consumption(prev, row, registerMax);
    first = false;
    const out = old && !touched && delta === before ? old : { ...row, delta };
    if (delta !== before) {
      const b = fineBucketOfReading(row.ts);
      fine.set(b, (fine.get(b) ?? 0) + delta - before);
    }
    if (touched || delta !== before) writes.push(out);
    prev = out;
  };
  let i = 0;
  for (const r of incoming) {
    while (i < stored.length && stored[i]!.ts < r.ts) step(stored[i]!, stored[i++], false);
    const o = i < stored.length && stored[i]!.ts === r.ts ? stored[i++] : undefined;
    if (!o) {
      addParams(r.ts, r.params, 1);
      step(r, undefined, true);
    } else if (o.total === r.total && o.base === r.base && sameParams(o.params, r.params)) {
      step(o, o, false);
    } else {
      if (!sameParams(o.params, r.params)) {
        addParams(r.ts, o.params, -1);
        addParams(r.ts, r.params, 1);
      }
      step(r, o, true);
    }
  }
  while (i < stored.length) step(stored[i]!, stored[i++], false);
  return { writes, fine, params };
}
