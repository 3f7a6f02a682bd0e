import { DEFAULT_CONTROL, ReactiveController } from './reactive';

const T0 = Date.UTC(2026, 10, 21, 8, 0, 0);

describe('simulated reactive-power controller', () => {
  it('applies a control, filling phases B and C from A, and reports it as applied', () => {
    const c = new ReactiveController(T0);
    expect(c.current()).toEqual(DEFAULT_CONTROL);
    const out = c.apply({ phase_min_power_factor_a: 0.95, period: 1000, step: 0.05, mode: 2 });
    expect(out).toEqual({
      control: {
        ...DEFAULT_CONTROL,
        phase_min_power_factor_a: 0.95,
        phase_min_power_factor_b: 0.95,
        phase_min_power_factor_c: 0.95,
        period: 1000,
        step: 0.05,
        mode: 2,
      },
    });
    expect(c.apply({ phase_min_power_factor_a: 1.5, mode: 1 })).toEqual({
      invalid: 'phase_min_power_factor_a 必须在 [0,1] 范围内',
    });
    expect(c.current().phase_min_power_factor_a).toBe(0.95); // a refused control changes nothing
  });

  it('raises each phase one step per period until within hysteresis of its minimum (time-stepped)', () => {
    const c = new ReactiveController(T0, { a: 0.7, b: 0.85, c: 0.9 }, 0.7);
    c.apply({
      phase_min_power_factor_a: 0.9,
      phase_power_factor_hysteresis_a: 0.02,
      period: 500,
      step: 0.05,
      mode: 1,
    });
    const table: Array<[number, { a: number; b: number; c: number }]> = [
      [0, { a: 0.7, b: 0.85, c: 0.9 }],
      [499, { a: 0.7, b: 0.85, c: 0.9 }],
      [500, { a: 0.75, b: 0.85, c: 0.9 }],
      [1000, { a: 0.8, b: 0.85, c: 0.9 }],
      [1500, { a: 0.85, b: 0.85, c: 0.9 }],
      [2000, { a: 0.9, b: 0.85, c: 0.9 }],
      [2500, { a: 0.9, b: 0.85, c: 0.9 }],
      [10_000, { a: 0.9, b: 0.85, c: 0.9 }],
    ];
    for (const [t, pf] of table) {
      c.tick(T0 + t);
      expect({ t, pf: c.powerFactors() }).toEqual({ t, pf });
    }
  });
});
