import { syntheticReadings } from '../../bff/src/demo/data/readings';
import type { DemoSite, GeneratedReading } from '../../bff/src/demo/data/types';

/** One gateway's batch of wire readings (`{ meter, ts, total, params }` with database ids). */
export interface Batch {
  phase: string;
  gateway: number;
  readings: { meter: number; ts: number; total: number; params?: Record<string, number> }[];
}

/**
 * The site's readings generated once, in time order, split into `gateways` streams (each owns a share
 * of the meters, as a real gateway does) and into phases by day (`phaseOf(day start)`): each phase is
 * read with `phase(name)` in turn, so a year is generated a single time for all the runs of a bench.
 * Every generated reading is passed to `observe` (the expected totals).
 */
export class PhasedBatches {
  private readonly it: Generator<Batch>;
  private peeked: Batch | undefined;
  private done = false;

  constructor(
    site: DemoSite,
    ids: Map<string, number>,
    gateways: number,
    phaseOf: (dayStart: number) => { name: string; batch: number },
    observe: (r: GeneratedReading) => void,
  ) {
    this.it = generate(site, ids, gateways, phaseOf, observe);
  }

  /** The batches of one phase (stops at the first batch of the next). */
  *phase(name: string): Generator<Batch> {
    for (;;) {
      const next = this.peek();
      if (!next || next.phase !== name) return;
      this.peeked = undefined;
      yield next;
    }
  }

  private peek(): Batch | undefined {
    if (!this.peeked && !this.done) {
      const n = this.it.next();
      if (n.done) this.done = true;
      else this.peeked = n.value;
    }
    return this.peeked;
  }
}

function* generate(
  site: DemoSite,
  ids: Map<string, number>,
  gateways: number,
  phaseOf: (dayStart: number) => { name: string; batch: number },
  observe: (r: GeneratedReading) => void,
): Generator<Batch> {
  const owner = new Map(site.meters.map((m, i) => [m.key, i % gateways]));
  let pending: Batch['readings'][] = Array.from({ length: gateways }, () => []);
  let phase: { name: string; batch: number } | undefined;
  function* flush(): Generator<Batch> {
    for (let g = 0; g < gateways; g++)
      if (pending[g]!.length) yield { phase: phase!.name, gateway: g, readings: pending[g]! };
    pending = Array.from({ length: gateways }, () => []);
  }
  for (const day of syntheticReadings(site)) {
    if (!day.length) continue;
    const p = phaseOf(day[0]!.ts);
    if (phase && p.name !== phase.name) yield* flush();
    phase = p;
    for (const r of day) {
      observe(r);
      const g = owner.get(r.meter)!;
      pending[g]!.push({ meter: ids.get(r.meter)!, ts: r.ts, total: r.total, params: r.params });
      if (pending[g]!.length >= p.batch) {
        yield { phase: p.name, gateway: g, readings: pending[g]! };
        pending[g] = [];
      }
    }
  }
  if (phase) yield* flush();
}

/** First and last register of every meter seen: consumption over the range (bench sites have no swaps). */
export class ExpectedTotals {
  private readonly first = new Map<string, number>();
  private readonly last = new Map<string, number>();
  readonly observe = (r: GeneratedReading): void => {
    if (!this.first.has(r.meter)) this.first.set(r.meter, r.total);
    this.last.set(r.meter, r.total);
  };
  consumption(): Map<string, number> {
    return new Map([...this.first].map(([k, v]) => [k, this.last.get(k)! - v]));
  }
}
