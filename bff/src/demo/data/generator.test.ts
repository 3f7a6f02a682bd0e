import { syntheticReadings } from './readings';
import { generateSite } from './site';
import { ENERGY_TYPES, type GeneratedReading } from './types';

const all = (site: ReturnType<typeof generateSite>) => {
  const out: GeneratedReading[] = [];
  for (const batch of syntheticReadings(site)) out.push(...batch);
  return out;
};

describe('demo site generator', () => {
  const site = generateSite({ startDate: '2025-01-01', days: 60 });
  const readings = all(site);

  it('gives the same site and readings for the same seed, and different ones for another seed', () => {
    const again = generateSite({ startDate: '2025-01-01', days: 60 });
    expect(again).toEqual(site);
    expect(all(again)).toEqual(readings);
    const other = all(generateSite({ startDate: '2025-01-01', days: 60, seed: 'other' }));
    expect(other.map((r) => r.total)).not.toEqual(readings.map((r) => r.total));
  });

  it('does not depend on how the stream is batched', () => {
    const hourly: GeneratedReading[] = [];
    for (const b of syntheticReadings(site, { batchSteps: 4 })) hourly.push(...b);
    expect(hourly).toEqual(readings);
  });

  it('has meters of all nine energy types, a virtual, a hand-filled, a total and the steel meter', () => {
    expect(new Set(site.meters.map((m) => m.energyType))).toEqual(new Set(ENERGY_TYPES));
    const sources = new Set(site.meters.map((m) => m.source));
    expect(sources).toEqual(new Set(['synthetic', 'sum', 'virtual', 'hand', 'steel']));
    expect(site.handFilled.length).toBeGreaterThanOrEqual(1);
    for (const m of site.meters) expect(site.machines.map((x) => x.key)).toContain(m.machine);
  });

  it('writes one reading per meter every 15 minutes from the first midnight to the last, registers never falling except at the swap', () => {
    const byMeter = new Map<string, GeneratedReading[]>();
    for (const r of readings) byMeter.set(r.meter, [...(byMeter.get(r.meter) ?? []), r]);
    for (const [key, list] of byMeter) {
      expect(list).toHaveLength(60 * 96 + 1);
      expect(list[0]!.ts).toBe(site.start);
      expect(list[list.length - 1]!.ts).toBe(site.end);
      for (let i = 1; i < list.length; i++) {
        if (key === site.replacement?.meter && list[i]!.ts === site.replacement.at) continue;
        expect(list[i]!.total).toBeGreaterThanOrEqual(list[i - 1]!.total);
      }
    }
  });

  it('restarts the replaced meter from its new register right after the swap, the old register being its Meter_TotalAmount', () => {
    const rep = site.replacement!;
    const list = readings.filter((r) => r.meter === rep.meter);
    const i = list.findIndex((r) => r.ts === rep.at);
    expect(list[i - 1]!.total).toBe(rep.oldTotal);
    expect(list[i]!.total).toBeLessThan(rep.oldTotal);
    expect(list[i]!.total).toBeGreaterThanOrEqual(rep.newInitial);
    expect(list[i + 1]!.total).toBeGreaterThanOrEqual(list[i]!.total);
  });

  it('makes the total meter see at least what its sub-meters consume', () => {
    const main = site.meters.find((m) => m.source === 'sum')!;
    const used = (key: string) => {
      const list = readings.filter((r) => r.meter === key && r.ts < site.replacement!.at);
      return list[list.length - 1]!.total - list[0]!.total;
    };
    const parts = main.sumOf!.reduce((s, k) => s + used(k), 0);
    expect(used(main.key)).toBeGreaterThan(parts);
  });

  it('shows daily and weekly patterns: weekday afternoons use more than nights and Sundays', () => {
    const site2 = generateSite({ startDate: '2025-03-03', days: 14, size: 9 });
    const elec = all(site2).filter((r) => r.meter === 'b1');
    const use = (fromH: number, toH: number, day: number) => {
      const a = elec.find((r) => r.ts === site2.start + (day * 24 + fromH) * 3_600_000)!;
      const b = elec.find((r) => r.ts === site2.start + (day * 24 + toH) * 3_600_000)!;
      return b.total - a.total;
    };
    expect(use(13, 17, 1)).toBeGreaterThan(2 * use(0, 4, 1)); // Tuesday afternoon vs night
    expect(use(13, 17, 1)).toBeGreaterThan(2 * use(13, 17, 6)); // Tuesday vs Sunday afternoon
  });

  it('sizes benchmark sites by meter count, four params per reading', () => {
    const big = generateSite({ startDate: '2025-01-01', days: 1, size: 100 });
    expect(big.meters).toHaveLength(100);
    expect(big.machines).toHaveLength(10);
    const first = all(big)[0]!;
    expect(Object.keys(first.params!)).toHaveLength(4);
  });
});
