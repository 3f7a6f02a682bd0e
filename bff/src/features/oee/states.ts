import type { Db } from '../../infra/db/client';
import type { DomainEvent, Tx } from '../../platform/contract';
import type { OeeRepository, RuleRow } from './repository';
import { coverage, merge, stateAt, type Point, type Rule, type Segment } from './timeline';

/** Readings fetched per slice when a machine's states are rebuilt from its stored readings. */
const REBUILD_SLICE = 20_000;

const asRules = (rows: readonly RuleRow[]): Rule[] =>
  rows.map((r) => ({
    id: r.id,
    meterId: r.meterId,
    param: r.param,
    lower: r.lower,
    upper: r.upper,
    status: r.statusName,
  }));

/** Points for the reading instants of a machine's rule meters. */
function pointsOf(
  rules: readonly Rule[],
  readings: readonly { meterId: number; ts: number; params: Record<string, number> | null }[],
): Point[] {
  const byTs = new Map<number, Map<number, Record<string, number> | null>>();
  for (const r of readings) {
    let m = byTs.get(r.ts);
    if (!m) byTs.set(r.ts, (m = new Map()));
    m.set(r.meterId, r.params);
  }
  return [...byTs.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([ts, params]) => ({ ts, status: stateAt(rules, params) }));
}

/**
 * Keeps each machine's points and runs current: from committed readings (the `readings.ingested`
 * consumer; idempotent by (machine, reading ts), late readings splice into the timeline) and, after a
 * rule or setting change, by rebuilding the machine's states from its stored readings.
 */
export class OeeStates {
  constructor(
    private readonly db: Db,
    private readonly repo: OeeRepository,
  ) {}

  /** Offline gap of a machine in milliseconds. */
  async gapMs(machineId: number, tx?: Tx): Promise<number> {
    const s = await this.repo.settings(machineId, tx);
    return s.readingInterval * s.offlineIntervals * 1000;
  }

  async onReadings(events: DomainEvent[]): Promise<void> {
    const byMeter = new Map<number, Set<number>>();
    for (const e of events) {
      if (e.type !== 'readings.ingested') continue;
      const p = e.payload as { readings: { meterId: number; ts: number }[] };
      for (const r of p.readings) {
        let s = byMeter.get(r.meterId);
        if (!s) byMeter.set(r.meterId, (s = new Set()));
        s.add(r.ts);
      }
    }
    if (!byMeter.size) return;
    const pairs = await this.repo.machinesOfMeters([...byMeter.keys()]);
    const byMachine = new Map<number, Set<number>>();
    for (const { machineId, meterId } of pairs) {
      let s = byMachine.get(machineId);
      if (!s) byMachine.set(machineId, (s = new Set()));
      for (const t of byMeter.get(meterId) ?? []) s.add(t);
    }
    for (const [machineId, instants] of byMachine) await this.update(machineId, [...instants]);
  }

  /** Re-evaluates the machine's points at these instants and splices the runs they change. */
  async update(machineId: number, instants: number[]): Promise<void> {
    if (!instants.length) return;
    await this.db.transaction(async (tx) => {
      await this.repo.lockMachine(tx, machineId);
      const rules = asRules(await this.repo.machineRules(machineId, tx));
      if (!rules.length) return;
      const meters = [...new Set(rules.map((r) => r.meterId))];
      const readings = await this.repo.readingsAt(tx, meters, instants);
      const points = pointsOf(rules, readings);
      if (!points.length) return;
      await this.repo.upsertPoints(tx, machineId, points);
      const gap = await this.gapMs(machineId, tx);
      await this.splice(tx, machineId, points[0]!.ts, points.at(-1)!.ts, gap);
    });
  }

  /** Recomputes the runs around the points in [lo, hi] (their neighbours' coverage changes too). */
  private async splice(tx: Tx, machineId: number, lo: number, hi: number, gap: number): Promise<void> {
    const prev = await this.repo.pointBefore(tx, machineId, lo);
    const next = await this.repo.pointAfter(tx, machineId, hi);
    const a = prev ?? lo;
    const b = next ?? hi + gap;
    const points = await this.repo.pointsIn(tx, machineId, a, next ?? hi + 1);
    const segs = coverage(points, gap, next ?? undefined);
    const old = await this.repo.runsTouching(tx, machineId, a, b);
    const left: Segment[] = old
      .filter((r) => r.start < a)
      .map((r) => ({ start: r.start, end: Math.min(r.end, a), status: r.status }));
    const right: Segment[] = old
      .filter((r) => r.end > b)
      .map((r) => ({ start: Math.max(r.start, b), end: r.end, status: r.status }));
    await this.repo.replaceRuns(tx, machineId, old, merge([...left, ...segs, ...right]));
  }

  /** Rebuilds a machine's points and runs from its stored readings under its current rules (a job). */
  async rebuild(machineId: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.repo.lockMachine(tx, machineId);
      await this.repo.deleteStates(tx, machineId);
      const rules = asRules(await this.repo.machineRules(machineId, tx));
      if (!rules.length) return;
      const meters = [...new Set(rules.map((r) => r.meterId))];
      const all: Point[] = [];
      let from = 0;
      for (;;) {
        const slice = await this.repo.readingsBetween(tx, meters, from, REBUILD_SLICE);
        const full = slice.length === REBUILD_SLICE;
        const lastTs = slice.at(-1)?.ts;
        // A full slice may have cut the last instant's readings: that instant starts the next slice.
        const kept = full ? slice.filter((r) => r.ts !== lastTs) : slice;
        if (full && !kept.length) throw new Error(`more than ${REBUILD_SLICE} readings at one instant`);
        const points = pointsOf(rules, kept);
        await this.repo.upsertPoints(tx, machineId, points);
        all.push(...points);
        if (!full) break;
        from = lastTs!;
      }
      const gap = await this.gapMs(machineId, tx);
      await this.repo.replaceRuns(tx, machineId, [], coverage(all, gap));
    });
  }
}
