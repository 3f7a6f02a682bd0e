import { OEE_OFFLINE, OEE_UNDEFINED } from '@wattdesk/shared';

/**
 * The state model, pure (no database):
 *
 * - A machine's state at an instant one of its rule meters has a reading is the status of the first rule
 *   (by id) whose meter has a reading at exactly that instant with the rule's parameter inside
 *   [LowerLimit, UpperLimit]; no such rule → 未定义.
 * - A point holds its state from its instant until the next point, but for at most the offline gap;
 *   time after that with no reading is 离线. Time before the machine's first point is not counted.
 * - Runs are the maximal intervals [start, end) of one state that points cover (离线 is never stored:
 *   it is the time between the first point and now that no run covers).
 */
export interface Rule {
  id: number;
  meterId: number;
  param: string;
  lower: number;
  upper: number;
  status: string;
}
export interface Point {
  ts: number;
  status: string;
}
export interface Segment {
  start: number;
  end: number;
  status: string;
}

/** The state for the parameters read at one instant (`params` by meter id). */
export function stateAt(
  rules: readonly Rule[],
  params: ReadonlyMap<number, Record<string, number> | null>,
): string {
  for (const r of rules) {
    const v = params.get(r.meterId)?.[r.param];
    if (typeof v === 'number' && v >= r.lower && v <= r.upper) return r.status;
  }
  return OEE_UNDEFINED;
}

/** Joins touching segments of the same state (input sorted by start, not overlapping). */
export function merge(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    if (s.end <= s.start) continue;
    const last = out.at(-1);
    if (last && last.status === s.status && last.end === s.start) last.end = s.end;
    else out.push({ ...s });
  }
  return out;
}

/**
 * The runs the sorted `points` cover. `next` is the first point after them (it bounds the last one's
 * coverage and is not covered itself); without it, the last point covers one gap.
 */
export function coverage(points: readonly Point[], gapMs: number, next?: number): Segment[] {
  const segs: Segment[] = [];
  points.forEach((p, i) => {
    const after = i + 1 < points.length ? points[i + 1]!.ts : next;
    const end = after === undefined ? p.ts + gapMs : Math.min(after, p.ts + gapMs);
    segs.push({ start: p.ts, end, status: p.status });
  });
  return merge(segs);
}

/**
 * The whole timeline inside [from, to): the runs clipped to it, the uncovered time between the first
 * point and `now` as 离线; nothing before `first` (no point yet) or after `now`.
 */
export function timeline(
  runs: readonly Segment[],
  first: number | null,
  now: number,
  from: number,
  to: number,
): Segment[] {
  if (first === null) return [];
  const lo = Math.max(from, first);
  const hi = Math.min(to, now);
  const out: Segment[] = [];
  let t = lo;
  for (const r of runs) {
    if (r.end <= t || r.start >= hi) continue;
    const s = Math.max(r.start, t);
    if (s > t) out.push({ start: t, end: s, status: OEE_OFFLINE });
    const e = Math.min(r.end, hi);
    out.push({ start: s, end: e, status: r.status });
    t = e;
  }
  if (t < hi) out.push({ start: t, end: hi, status: OEE_OFFLINE });
  return merge(out);
}

/** Milliseconds per state in each bucket [start, end) of a timeline sorted by start. */
export function bucketDurations(
  segs: readonly Segment[],
  buckets: readonly { start: number; end: number }[],
): Map<string, number>[] {
  const out: Map<string, number>[] = [];
  let i = 0;
  for (const b of buckets) {
    const m = new Map<string, number>();
    while (i < segs.length && segs[i]!.end <= b.start) i++;
    for (let j = i; j < segs.length && segs[j]!.start < b.end; j++) {
      const s = segs[j]!;
      const d = Math.min(s.end, b.end) - Math.max(s.start, b.start);
      if (d > 0) m.set(s.status, (m.get(s.status) ?? 0) + d);
    }
    out.push(m);
  }
  return out;
}

/** The time of `segs` that falls inside the sorted, disjoint `windows`, per state (ms). */
export function durationsWithin(
  segs: readonly Segment[],
  windows: readonly { start: number; end: number }[],
): Map<string, number> {
  const total = new Map<string, number>();
  for (const m of bucketDurations(segs, windows))
    for (const [k, v] of m) total.set(k, (total.get(k) ?? 0) + v);
  return total;
}
