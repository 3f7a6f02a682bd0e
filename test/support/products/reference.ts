import { refDeltas, type RefMeter } from '../metering/reference';

/**
 * A slow, obvious re-computation of the 8.9 / 8.14 figures from the raw readings and the outputs,
 * sharing no product code. It walks every reading: a reading at `ts` closes the interval before it, so
 * its consumption belongs to the outputs of its machine running at that instant (start < ts <= end, after
 * cutting the outputs at the query window) and to the period holding it (start < ts <= end); a
 * hand-filled amount belongs where start <= its period start < end. Running outputs share it by output
 * rate (amount ÷ span), equally when all rates are 0. A virtual meter is expanded into its meters'
 * readings with the coefficients of its formula (the test formulas are linear: f(x) = Σ c·x).
 */
export interface RefOutput {
  product: string;
  unit: string;
  machine: string;
  batch: string;
  amount: number;
  start: number;
  end: number;
}

export interface RefGroupTotals {
  amount: number;
  /** Energy by energy type. */
  energy: Map<number, number>;
  hours: number;
  units: Set<string>;
}

/** Physical meters and coefficients a counted meter stands for. */
function expand(meters: Map<number, RefMeter>, id: number, coef = 1): { id: number; c: number }[] {
  const m = meters.get(id)!;
  if (!m.virtual) return [{ id, c: coef }];
  const zero: Record<number, number> = {};
  for (const r of m.virtual.refs) zero[r] = 0;
  const base = m.virtual.f(zero);
  return m.virtual.refs.flatMap((r) => {
    const unit = { ...zero, [r]: 1 };
    return expand(meters, r, coef * (m.virtual!.f(unit) - base));
  });
}

/** Every consumption event of a machine's counted meters: time, energy type, amount, and whether it is hand-filled. */
export function refEvents(
  meters: Map<number, RefMeter>,
  counted: number[],
): { ts: number; type: number; amount: number; manual: boolean }[] {
  const out: { ts: number; type: number; amount: number; manual: boolean }[] = [];
  for (const id of counted) {
    const type = meters.get(id)!.type;
    for (const { id: pid, c } of expand(meters, id)) {
      const pm = meters.get(pid)!;
      for (const d of refDeltas(pm)) out.push({ ts: d.ts, type, amount: c * d.delta, manual: false });
      for (const a of pm.manual ?? []) out.push({ ts: a.start, type, amount: c * a.amount, manual: true });
    }
  }
  return out;
}

/**
 * Per output and period: amount, energy by type and hours. `machines` maps a machine name to its
 * counted meters; `window` cuts the outputs (8.9) or is null (8.14, one period covering everything).
 */
export function refShares(
  outputs: RefOutput[],
  machines: Map<string, number[]>,
  meters: Map<number, RefMeter>,
  window: { start: number; end: number } | null,
  periods: { start: number; end: number }[],
): { output: RefOutput; period: number; amount: number; energy: Map<number, number>; hours: number }[] {
  const cut = outputs
    .map((o) => ({
      o,
      s: window ? Math.max(o.start, window.start) : o.start,
      e: window ? Math.min(o.end, window.end) : o.end,
    }))
    .filter((c) => c.s < c.e);
  const rate = (o: RefOutput) => o.amount / (o.end - o.start);
  const events = new Map<string, ReturnType<typeof refEvents>>();
  const eventsOf = (machine: string) => {
    if (!events.has(machine)) events.set(machine, refEvents(meters, machines.get(machine) ?? []));
    return events.get(machine)!;
  };
  const out = [];
  for (const c of cut) {
    for (let p = 0; p < periods.length; p++) {
      const per = periods[p]!;
      const lo = Math.max(c.s, per.start);
      const hi = Math.min(c.e, per.end);
      const energy = new Map<number, number>();
      const share = { output: c.o, period: p, amount: 0, energy, hours: 0 };
      if (hi > lo) {
        share.amount = rate(c.o) * (hi - lo);
        share.hours = (hi - lo) / 3_600_000;
      }
      for (const ev of eventsOf(c.o.machine)) {
        const inOutput = ev.manual ? c.s <= ev.ts && ev.ts < c.e : c.s < ev.ts && ev.ts <= c.e;
        const inPeriod = ev.manual
          ? per.start <= ev.ts && ev.ts < per.end
          : per.start < ev.ts && ev.ts <= per.end;
        if (!inOutput || !inPeriod) continue;
        const running = cut.filter(
          (x) =>
            x.o.machine === c.o.machine &&
            (ev.manual ? x.s <= ev.ts && ev.ts < x.e : x.s < ev.ts && ev.ts <= x.e),
        );
        const total = running.reduce((s, x) => s + rate(x.o), 0);
        const frac = total > 0 ? rate(c.o) / total : 1 / running.length;
        energy.set(ev.type, (energy.get(ev.type) ?? 0) + ev.amount * frac);
      }
      if (hi > lo) out.push(share);
    }
  }
  return out;
}

/** Sums shares into groups named by `key`. */
export function refGroups<K extends string>(
  shares: ReturnType<typeof refShares>,
  key: (o: RefOutput) => K,
  periods: number,
): Map<K, RefGroupTotals[]> {
  const out = new Map<K, RefGroupTotals[]>();
  for (const s of shares) {
    const k = key(s.output);
    if (!out.has(k))
      out.set(
        k,
        Array.from({ length: periods }, () => ({ amount: 0, energy: new Map(), hours: 0, units: new Set() })),
      );
    const t = out.get(k)![s.period]!;
    t.amount += s.amount;
    t.hours += s.hours;
    t.units.add(s.output.unit);
    for (const [type, v] of s.energy) t.energy.set(type, (t.energy.get(type) ?? 0) + v);
  }
  return out;
}

/** The figure of an Amount_Type for a group (null: nothing to divide by); kgce factors per energy type. */
export function refValue(
  type: number,
  t: RefGroupTotals,
  energyType: number | undefined,
  factors: Record<number, number>,
): number | null {
  const e = energyType === undefined ? 0 : (t.energy.get(energyType) ?? 0);
  let kg = 0;
  for (const [ty, v] of t.energy) kg += v * factors[ty]!;
  switch (type) {
    case 1:
      return t.amount;
    case 2:
      return e;
    case 3:
      return kg / 1000;
    case 4:
      return t.amount > 0 ? e / t.amount : null;
    case 5:
      return t.amount > 0 ? kg / t.amount : null;
    default:
      return t.hours > 0 ? t.amount / t.hours : null;
  }
}
