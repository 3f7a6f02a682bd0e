import { startTestApp, type TestApp } from '../../../test/support/app';
import { buildOrg } from '../../../test/support/builders';
import { formatLocal } from '../core/time';
import { createSite, ingestSite } from './data/load';
import { syntheticReadings } from './data/readings';
import { generateSite } from './data/site';
import { loadSteelIntervals, steelReadings } from './data/steel';
import type { GeneratedReading } from './data/types';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** Slow, obvious reference: each meter's consumption from its generated readings, the swap bridged. */
function reference(site: ReturnType<typeof generateSite>, readings: GeneratedReading[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of site.meters) {
    const list = readings.filter((r) => r.meter === m.key);
    if (!list.length) continue;
    let used = 0;
    for (let i = 1; i < list.length; i++) {
      const swap = site.replacement?.meter === m.key && list[i]!.ts === site.replacement.at;
      used += swap ? list[i]!.total - site.replacement!.newInitial : list[i]!.total - list[i - 1]!.total;
    }
    out.set(m.key, used);
  }
  return out;
}

describe('demo data loaded through the real services', () => {
  it('answers allenergy per meter equal to the generated readings, across the swap, virtual and hand-filled meters', async () => {
    const org = await buildOrg(app);
    const site = generateSite({ seed: 'demo-int', startDate: '2025-06-01', days: 31 });
    const steel = steelReadings(loadSteelIntervals().slice(0, 192), {
      meter: 'eaf_e',
      tz: site.tz,
      base: 120_000,
    });
    const ports = {
      machines: app.deps.machines,
      meters: app.deps.meters,
      ingest: app.deps.ingest,
      manual: app.deps.manualData,
    };
    const ids = await createSite(ports, org.orgId, site);
    const stored = await ingestSite(ports, org.orgId, site, ids, { extra: steel });
    const generated: GeneratedReading[] = [];
    for (const batch of syntheticReadings(site)) generated.push(...batch);
    expect(stored).toBe(generated.length + steel.length);

    const range = {
      Time_Type: '2',
      Time_Start: formatLocal(new Date(site.start), site.tz),
      Time_End: formatLocal(new Date(site.end - 1000), site.tz),
      Amount_Type: '2',
    };
    const res = await app.http.get('/api_3/allenergy').set(org.auth).query(range).expect(200);
    const byName = new Map<string, number>(
      res.body.Data.map((r: any) => [r.Meter_Name, Number(r.Total_Amount)]),
    );
    const ref = reference(site, generated);
    const expected = new Map(ref);
    for (const h of site.handFilled) expected.set(h.meter, (expected.get(h.meter) ?? 0) + h.amount);
    expected.set('press_sum', ref.get('press1_e')! + ref.get('press2_e')!);
    expected.set(
      'unmetered_e',
      ref.get('main_e')! -
        ['press1_e', 'press2_e', 'paint_e', 'aircomp_e'].reduce((s, k) => s + ref.get(k)!, 0),
    );
    expect(site.handFilled.map((h) => h.month)).toEqual(['2025-06-01 00:00:00']);
    for (const m of site.meters) {
      if (m.source === 'steel') continue;
      expect([m.name, byName.get(m.name)]).toEqual([m.name, Number(expected.get(m.key)!.toFixed(2))]);
    }

    // The steel meter keeps its 2018 timestamps: two days of the CSV, the 00:00 rows inside them.
    const steelRes = await app.http
      .get('/api_3/allenergy')
      .set(org.auth)
      .query({
        ...range,
        Time_Start: '2018-01-01 00:00:00',
        Time_End: '2018-01-02 23:59:59',
        Amount_SortName: '电弧炉电表（2018 实测）',
      })
      .expect(200);
    const kwh =
      loadSteelIntervals()
        .slice(0, 192)
        .reduce((s, r) => s + r.kwhCents, 0) / 100;
    expect(steelRes.body.Data[0].Total_Amount).toBe(kwh.toFixed(2));
  });
});
