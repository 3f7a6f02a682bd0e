import { Bms, type CommandOutcome } from './bms';

const T0 = Date.UTC(2026, 10, 21, 8, 0, 0);
const s = (n: number) => T0 + n * 1000;

/** A time-stepped table: at each second, an optional action, then the expected status. */
type Step = {
  t: number;
  act?: (bms: Bms, now: number) => CommandOutcome | void;
  expect: { operating_status: number; alarm_status: number };
  outcome?: CommandOutcome;
};

function run(bms: Bms, steps: Step[]): void {
  for (const step of steps) {
    const now = s(step.t);
    const outcome = step.act?.(bms, now);
    if (step.outcome) expect({ t: step.t, outcome }).toEqual({ t: step.t, outcome: step.outcome });
    expect({ t: step.t, ...bms.status(now) }).toEqual({ t: step.t, ...step.expect });
  }
}

describe('simulated BMS', () => {
  it('follows its load cycle while the contactor is closed: idle 10 s, charge 20 s, idle 10 s, discharge 20 s', () => {
    const bms = new Bms(s(0), [
      { ms: 10_000, flow: 'idle' },
      { ms: 20_000, flow: 'charge' },
      { ms: 10_000, flow: 'idle' },
      { ms: 20_000, flow: 'discharge' },
    ]);
    run(bms, [
      { t: 0, expect: { operating_status: 2, alarm_status: 0 } },
      { t: 9, expect: { operating_status: 2, alarm_status: 0 } },
      { t: 10, expect: { operating_status: 3, alarm_status: 0 } },
      { t: 29, expect: { operating_status: 3, alarm_status: 0 } },
      { t: 30, expect: { operating_status: 2, alarm_status: 0 } },
      { t: 40, expect: { operating_status: 4, alarm_status: 0 } },
      { t: 60, expect: { operating_status: 2, alarm_status: 0 } },
      { t: 70, expect: { operating_status: 3, alarm_status: 0 } },
    ]);
  });

  it('refuses to open the contactor while charging or discharging, and opens it when idle', () => {
    const bms = new Bms(s(0), [
      { ms: 10_000, flow: 'charge' },
      { ms: 10_000, flow: 'discharge' },
      { ms: 10_000, flow: 'idle' },
    ]);
    run(bms, [
      {
        t: 1,
        act: (b, now) => b.command(3, now),
        outcome: { refused: '电池正在充电，禁止断开接触器' },
        expect: { operating_status: 3, alarm_status: 0 },
      },
      {
        t: 11,
        act: (b, now) => b.command(3, now),
        outcome: { refused: '电池正在放电，禁止断开接触器' },
        expect: { operating_status: 4, alarm_status: 0 },
      },
      {
        t: 21,
        act: (b, now) => b.command(3, now),
        outcome: { accepted: true },
        expect: { operating_status: 1, alarm_status: 0 },
      },
      // Open stays open whatever the cycle asks for.
      { t: 31, expect: { operating_status: 1, alarm_status: 0 } },
      {
        t: 32,
        act: (b, now) => b.command(3, now),
        outcome: { accepted: true },
        expect: { operating_status: 1, alarm_status: 0 },
      },
      // Closing restarts the cycle from its first phase (charge).
      {
        t: 40,
        act: (b, now) => b.command(2, now),
        outcome: { accepted: true },
        expect: { operating_status: 3, alarm_status: 0 },
      },
    ]);
  });

  it('clears only resettable alarms on fault reset; a non-resettable alarm trips the contactor and blocks closing', () => {
    const bms = new Bms(s(0));
    run(bms, [
      {
        t: 0,
        act: (b) => b.raise({ code: 'cell_overtemp', resettable: true }),
        expect: { operating_status: 2, alarm_status: 1 },
      },
      {
        t: 1,
        act: (b, now) => b.command(1, now),
        outcome: { accepted: true },
        expect: { operating_status: 2, alarm_status: 0 },
      },
      {
        t: 2,
        act: (b) => {
          b.raise({ code: 'insulation', resettable: true });
          b.raise({ code: 'bmu_lost', resettable: false });
        },
        expect: { operating_status: 1, alarm_status: 2 },
      },
      {
        t: 3,
        act: (b, now) => b.command(1, now),
        outcome: { accepted: true },
        expect: { operating_status: 1, alarm_status: 1 },
      },
      {
        t: 4,
        act: (b, now) => b.command(2, now),
        outcome: { refused: '存在 1 个未消除的告警，禁止闭合接触器' },
        expect: { operating_status: 1, alarm_status: 1 },
      },
      { t: 5, act: (b) => b.clear('bmu_lost'), expect: { operating_status: 1, alarm_status: 0 } },
      {
        t: 6,
        act: (b, now) => b.command(2, now),
        outcome: { accepted: true },
        expect: { operating_status: 2, alarm_status: 0 },
      },
    ]);
  });
});
