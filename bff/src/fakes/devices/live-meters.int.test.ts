import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg } from '../../../../test/support/builders';
import { formatLocal, localParts } from '../../core/time';
import { createSite, ingestSite } from '../../demo/data/load';
import { DEMO_TOU, setDemoRates } from '../../demo/data/rates';
import { generateSite } from '../../demo/data/site';
import { syntheticReadings } from '../../demo/data/readings';
import { ReadingsRepository } from '../../features/readings/repository';
import { DemoMeterFeed, startLiveMeters } from './live-meters';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** The TOU price of a local wall-clock minute, read straight off the demo rate's segments. */
function touPrice(minuteOfDay: number): number {
  for (const s of DEMO_TOU.Segments!) {
    const [bh, bm] = s.Seg_Begin.split(':').map(Number) as [number, number];
    const [eh, em] = s.Seg_End.split(':').map(Number) as [number, number];
    if (minuteOfDay >= bh * 60 + bm && minuteOfDay < eh * 60 + em) return Number(s.Rate_Value);
  }
  throw new Error(`no segment for minute ${minuteOfDay}`);
}

describe('demo live meters through the ingest, priced by the demo rates', () => {
  it("today's amounts and TOU cost per meter equal the feed's readings (reference: register differences × segment price)", async () => {
    const org = await buildOrg(app);
    const site = generateSite({ seed: 'live-int', startDate: '2025-06-01', days: 3 });
    const ports = {
      machines: app.deps.machines,
      meters: app.deps.meters,
      ingest: app.deps.ingest,
      manual: app.deps.manualData,
    };
    const ids = await createSite(ports, org.orgId, site);
    await setDemoRates(app.deps.rates, org.orgId);
    // The live feed starts while the history is still to be imported (as in demo mode's first start).

    const historyEnd = new Map<string, number>();
    for (const batch of syntheticReadings(site)) for (const r of batch) historyEnd.set(r.meter, r.total);
    const live = site.meters.filter((m) => m.source === 'synthetic' || m.source === 'sum');
    const liveIds = new Map(live.map((m) => [m.key, ids.get(m.key)!]));
    const published: { meter: number; ts: number; total: number }[] = [];
    // Ten hours into the day after the history.
    const now = site.end + 10 * 3_600_000;
    const meters = startLiveMeters({
      feed: new DemoMeterFeed(site, liveIds, site.end),
      now: () => now,
      checkEveryMs: 3_600_000,
      publish: async (m) => {
        const res = await app.deps.ingest.ingest(org.orgId, m.readings);
        expect(res.rejected).toBe(0);
        published.push(...m.readings);
      },
    });
    expect(await meters.tick()).toBe(41 * live.length);
    await meters.stop();

    const expectToday = async () => {
      const res = await app.http
        .get('/api_3/allenergy')
        .set(org.auth)
        .query({
          Time_Type: '3',
          Time_Start: formatLocal(new Date(site.end), site.tz),
          Time_End: formatLocal(new Date(now - 1000), site.tz),
          Amount_Type: '2',
        })
        .expect(200);
      const rows = new Map<string, { Total_Amount: string; Total_Cost?: string }>(
        res.body.Data.map((r: { Meter_Name: string }) => [r.Meter_Name, r]),
      );
      for (const m of live) {
        const mine = published.filter((r) => r.meter === liveIds.get(m.key)).sort((a, b) => a.ts - b.ts);
        // The register at the history's end: the generated history's last reading of the meter.
        let prevTotal = historyEnd.get(m.key)!;
        let amount = 0;
        let cost = 0;
        for (const r of mine) {
          const used = r.total - prevTotal;
          prevTotal = r.total;
          amount += used;
          const p = localParts(new Date(r.ts - 1), site.tz);
          if (m.energyType === 0) cost += used * touPrice(p.hour * 60 + p.minute);
        }
        const row = rows.get(m.name)!;
        expect([m.name, Number(row.Total_Amount)]).toEqual([m.name, Number(amount.toFixed(2))]);
        if (m.energyType === 0) expect(Math.abs(Number(row.Total_Cost) - cost)).toBeLessThan(0.011);
        else expect(row.Total_Cost).toBeDefined();
      }
    };
    await expectToday();
    await ingestSite(ports, org.orgId, site, ids);
    await expectToday();
    // The stored span of every live meter now covers the history and the feed.
    const spans = await new ReadingsRepository(app.deps.db).span(org.orgId, [...liveIds.values()]);
    for (const id of liveIds.values()) expect(spans.get(id)).toEqual({ first: site.start, last: now });
  });
});
