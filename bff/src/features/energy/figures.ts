import { evaluateFormula, parseFormula, type Formula } from '../meters/formula';
import type { Figure, FigureTable } from './repository';
import type { QueryMeter } from './groups';

/** Physical meters whose figures a set of (possibly virtual) meters needs. */
export function physicalMeters(ids: number[], byId: Map<number, QueryMeter>): number[] {
  const out = new Set<number>();
  const seen = new Set<number>();
  const visit = (id: number) => {
    if (seen.has(id)) return;
    seen.add(id);
    const m = byId.get(id);
    if (!m) return;
    if (!m.isVirtual) {
      out.add(id);
      return;
    }
    for (const ref of refsOf(m)) visit(ref);
  };
  ids.forEach(visit);
  return [...out];
}

const parsed = new Map<string, Formula | null>();
function formulaOf(m: QueryMeter): Formula | null {
  if (!parsed.has(m.formula)) {
    try {
      parsed.set(m.formula, parseFormula(m.formula));
    } catch {
      parsed.set(m.formula, null);
    }
  }
  return parsed.get(m.formula)!;
}
function refsOf(m: QueryMeter): number[] {
  const f = formulaOf(m);
  const out: number[] = [];
  const walk = (n: Formula): void => {
    if (n.k === 'ref') out.push(n.id);
    else if (n.k === 'neg') walk(n.e);
    else if (n.k === 'bin') {
      walk(n.l);
      walk(n.r);
    }
  };
  if (f) walk(f);
  return out;
}

/** What evaluating figures needs: meters by id, the fetched table, shift count, energy types with a rate. */
export interface FigureContext {
  byId: Map<number, QueryMeter>;
  table: FigureTable;
  shifts: number;
  priced: Set<number>;
  memo: Map<number, Figure>;
}

/**
 * A meter's figure in a bucket. A physical meter's comes from the table (zero when it has none); a
 * virtual meter's is its formula applied to its meters' figures, separately for the amount, the cost
 * and each shift amount (so a virtual meter costs what its formula makes of its meters' costs).
 * Cost is null when a meter's energy type has no rate.
 */
export function figureOf(id: number, bucket: number, ctx: FigureContext): Figure {
  // ids < 2^31 and buckets < 2^21 keep the key below 2^53 (exact); segment queries may exceed 4096 buckets.
  const key = id * 2_097_152 + bucket;
  const hit = ctx.memo.get(key);
  if (hit) return hit;
  const m = ctx.byId.get(id);
  let out: Figure;
  if (!m || !m.isVirtual) {
    const priced = m ? ctx.priced.has(m.energyType) : false;
    const f = ctx.table.get(id)?.get(bucket);
    out = f
      ? { ...f, cost: priced ? (f.cost ?? 0) : null }
      : { amount: 0, cost: priced ? 0 : null, shifts: new Array<number>(ctx.shifts).fill(0) };
  } else {
    const f = formulaOf(m);
    const parts = new Map(refsOf(m).map((r) => [r, figureOf(r, bucket, ctx)]));
    const apply = (pick: (x: Figure) => number | null): number | null => {
      if ([...parts.values()].some((p) => pick(p) === null)) return null;
      return f ? evaluateFormula(f, (r) => pick(parts.get(r)!) ?? 0) : 0;
    };
    out = {
      amount: apply((x) => x.amount) ?? 0,
      cost: apply((x) => x.cost),
      shifts: Array.from({ length: ctx.shifts }, (_, k) => apply((x) => x.shifts[k]!) ?? 0),
    };
  }
  ctx.memo.set(key, out);
  return out;
}
