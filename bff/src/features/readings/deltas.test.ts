import { consumption, mergeReadings, type MeterReading } from './deltas';

const r = (ts: number, total: number, delta = 0, base = 0): MeterReading => ({
  ts,
  total,
  base,
  delta,
  params: null,
});
const M = 15 * 60_000;

describe('consumption between readings', () => {
  it('is the register difference, and 0 for a first reading', () => {
    expect(consumption(undefined, { total: 50, base: 0 }, null)).toBe(0);
    expect(consumption({ total: 50, base: 0 }, { total: 57.5, base: 0 }, null)).toBe(7.5);
  });

  it('counts a roll-over through the register maximum instead of a negative jump', () => {
    expect(consumption({ total: 99_998, base: 0 }, { total: 3, base: 0 }, 100_000)).toBe(5);
  });

  it('counts a register that restarts from zero (no maximum known) from zero', () => {
    expect(consumption({ total: 4_000, base: 0 }, { total: 2, base: 0 }, null)).toBe(2);
  });

  it('bridges a meter replacement through the base (total before the swap minus the new start)', () => {
    // old meter ended at 5000 (last reading 4990); new meter installed at 20, now reads 26.
    expect(consumption({ total: 4_990, base: 0 }, { total: 26, base: 5_000 - 20 }, null)).toBe(16);
  });
});

describe('merging incoming readings', () => {
  it('changes nothing when the same readings arrive again', () => {
    const stored = [r(0, 10), r(M, 12, 2), r(2 * M, 15, 3)];
    const res = mergeReadings(stored, [{ ts: M, total: 12, base: 0, params: null }], null);
    expect(res.writes).toEqual([]);
    expect(res.fine.size).toBe(0);
  });

  it('splits the following interval when a late reading lands between two stored ones', () => {
    const stored = [r(0, 10), r(2 * M, 16, 6)];
    const res = mergeReadings(stored, [{ ts: M, total: 11, base: 0, params: null }], null);
    expect(res.writes.map((w) => [w.ts, w.delta])).toEqual([
      [M, 1],
      [2 * M, 5],
    ]);
    const total = [...res.fine.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(0, 10); // the day total stays 6: consumption moved, none appeared
  });

  it('gives a reading before every stored one a zero delta and the old first reading its share', () => {
    const stored = [r(M, 20), r(2 * M, 25, 5)];
    const res = mergeReadings(stored, [{ ts: 0, total: 18, base: 0, params: null }], null);
    expect(res.writes.map((w) => [w.ts, w.delta])).toEqual([
      [0, 0],
      [M, 2],
    ]);
  });
});
