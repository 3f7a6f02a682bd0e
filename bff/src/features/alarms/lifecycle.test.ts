import { ManualClock } from '../../infra/clock';
import {
  acknowledged,
  cleared,
  deadbandOf,
  initialPoint,
  realarmed,
  settle,
  step,
  type Limits,
  type PointState,
} from './lifecycle';

/** One row of a time-stepped table: advance the clock, feed a value, expect these transition kinds. */
type Row = [advanceSec: number, value: number, expect: string[], activeAfter: boolean];

/** Runs a table on a ManualClock: each row's sample is stamped with the clock's time. */
function run(limits: Limits, rows: Row[]): PointState {
  const clock = new ManualClock(new Date('2026-03-01T08:00:00Z'));
  let state = initialPoint();
  rows.forEach(([advance, value, expect, activeAfter], i) => {
    clock.advance(advance * 1000);
    const r = step(state, limits, { ts: clock.now().getTime(), value });
    expect.sort();
    const got = r.transitions.map((t) => t.kind).sort();
    if (JSON.stringify(got) !== JSON.stringify(expect) || r.state.active !== activeAfter)
      throw new Error(
        `row ${i} (value ${value}): expected ${JSON.stringify(expect)} active=${activeAfter}, ` +
          `got ${JSON.stringify(got)} active=${r.state.active}`,
      );
    state = r.state;
  });
  return state;
}

// Power factor rule on [0.9, 1.0]: default deadband 1 % of the band = 0.001.
const pf: Limits = { lower: 0.9, upper: 1, deadband: deadbandOf(0.9, 1, null), delayMs: 0 };

describe('alarm lifecycle', () => {
  it('raises at once without an on-delay and clears only inside the deadband', () => {
    run(pf, [
      [0, 0.95, [], false],
      [60, 0.85, ['raise'], true],
      [60, 0.84, [], true], // still outside: no second alarm, no re-trigger
      [60, 0.9005, [], true], // back inside the limits but within the deadband: stays active
      [60, 0.95, ['clear'], false],
    ]);
  });

  it('ignores an excursion shorter than Delay_Seconds and raises a longer one', () => {
    const delayed = { ...pf, delayMs: 120_000 };
    run(delayed, [
      [0, 0.85, [], false], // pending since t0
      [60, 0.86, [], false],
      [60, 0.95, [], false], // back inside after 120 s … but the sample at 120 s is inside: no alarm
      [60, 0.8, [], false], // pending again
      [60, 0.8, [], false], // 60 s
      [60, 0.8, ['raise'], true], // 120 s outside → raise
    ]);
  });

  it('counts a re-trigger from the deadband zone, never a second alarm', () => {
    run(pf, [
      [0, 0.8, ['raise'], true],
      [60, 0.9005, [], true],
      [60, 0.85, ['retrigger'], true],
      [60, 0.9005, [], true],
      [60, 1.2, ['retrigger'], true],
    ]);
  });

  it('flags chattering at the third transition within a minute and calms down after a quiet minute', () => {
    const s = run(pf, [
      [0, 0.8, ['raise'], true],
      [20, 0.95, ['clear'], false],
      [20, 0.8, ['raise', 'chattering'], true], // 3 transitions in 40 s
      [10, 0.95, ['clear'], false],
      [61, 0.95, ['chattering_end'], false], // a full minute without a transition
      [10, 0.8, ['raise'], true], // a single raise is not chattering
    ]);
    expect(s.chattering).toBe(false);
  });

  it('ends chattering on a tick without samples', () => {
    const t0 = Date.UTC(2026, 2, 1);
    let s = initialPoint();
    for (const [dt, v] of [
      [0, 0.8],
      [10, 0.95],
      [20, 0.8],
    ] as const)
      s = step(s, pf, { ts: t0 + dt * 1000, value: v }).state;
    expect(s.chattering).toBe(true);
    expect(settle(s, t0 + 50_000).transitions).toEqual([]);
    expect(settle(s, t0 + 81_000).transitions.map((t) => t.kind)).toEqual(['chattering_end']);
  });

  it('ignores a duplicate or older sample (idempotent by the reading time)', () => {
    const t = Date.UTC(2026, 2, 1);
    const a = step(initialPoint(), pf, { ts: t, value: 0.8 });
    expect(a.transitions.map((x) => x.kind)).toEqual(['raise']);
    expect(step(a.state, pf, { ts: t, value: 0.8 }).transitions).toEqual([]);
    expect(step(a.state, pf, { ts: t - 1000, value: 0.95 }).transitions).toEqual([]);
  });

  it('uses an explicit deadband instead of the 1 % default', () => {
    const wide = { ...pf, deadband: 0.02 };
    run(wide, [
      [0, 0.85, ['raise'], true],
      [60, 0.915, [], true], // 0.9 + 0.02 not reached
      [60, 0.925, ['clear'], false],
    ]);
  });

  it.each([
    [1, 'ack', 2],
    [3, 'ack', 4],
    [2, 'clear', 4],
    [1, 'clear', 3],
    [2, 'realarm', 1],
    [4, 'realarm', 4],
  ] as const)('record state %i after %s is %i', (from, op, to) => {
    const f = op === 'ack' ? acknowledged : op === 'clear' ? cleared : realarmed;
    expect(f(from)).toBe(to);
  });
});
