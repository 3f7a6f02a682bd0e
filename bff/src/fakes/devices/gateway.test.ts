import { MeterGateway } from './gateway';

const T0 = Date.UTC(2026, 10, 21, 8, 0, 0);

describe('simulated meter gateway', () => {
  it('advances each register by kW × hours between reads (checked against a step-by-step sum)', () => {
    const gw = new MeterGateway(T0, [
      { meter: 12, kw: 6.9, total: 10523.4 },
      { meter: 13, kw: 120 },
    ]);
    const steps = [15, 15, 30, 7, 53].map((m) => m * 60_000);
    let t = T0;
    const expected = { 12: 10523.4, 13: 0 };
    for (const dt of steps) {
      t += dt;
      const batch = gw.read(t);
      expected[12] += (6.9 * dt) / 3_600_000;
      expected[13] += (120 * dt) / 3_600_000;
      expect(batch.readings.map((r) => r.meter)).toEqual([12, 13]);
      expect(batch.readings.every((r) => r.ts === t)).toBe(true);
      expect(batch.readings[0]!.total).toBeCloseTo(expected[12], 2);
      expect(batch.readings[1]!.total).toBeCloseTo(expected[13], 2);
      expect(batch.readings[1]!.params).toMatchObject({ P: 120, PF: 0.95 });
    }
    expect(expected[13]).toBeCloseTo(240, 6); // 2 hours at 120 kW
  });
});
