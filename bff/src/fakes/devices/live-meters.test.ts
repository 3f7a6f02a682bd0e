import type { ReadingsMessage } from '@wattdesk/shared';
import { generateSite } from '../../demo/data/site';
import { syntheticReadings } from '../../demo/data/readings';
import { DemoMeterFeed, startLiveMeters } from './live-meters';

const QUARTER = 15 * 60_000;
// A short site keeps the test quick; the stream is the same code whatever its length.
const site = generateSite({ tz: 'Asia/Shanghai', startDate: '2025-12-01', days: 12 });
const live = site.meters.filter((m) => m.source === 'synthetic' || m.source === 'sum');
const ids = new Map(live.map((m, i) => [m.key, 100 + i]));

/** In one walk of the generated history (what the ingest stored before the feed starts): per meter its last reading and its last day's first and last register. */
function history(): {
  last: Map<string, { ts: number; total: number }>;
  dayBefore: Map<string, { first: number; last: number }>;
} {
  const last = new Map<string, { ts: number; total: number }>();
  const dayBefore = new Map<string, { first: number; last: number }>();
  for (const batch of syntheticReadings(site))
    for (const r of batch) {
      last.set(r.meter, r);
      if (r.ts >= site.end - 86_400_000) {
        const d = dayBefore.get(r.meter) ?? { first: r.total, last: r.total };
        d.last = r.total;
        dayBefore.set(r.meter, d);
      }
    }
  return { last, dayBefore };
}

describe('demo live meters', () => {
  const { last: historyLast, dayBefore } = history();
  const day = new DemoMeterFeed(site, ids, site.end).due(site.end + 86_400_000);
  const readings = day.flatMap((m) => m.readings);

  it("hands out the history's last step and every 15-minute step after it up to now, each live meter once per step", () => {
    expect(readings).toHaveLength(97 * live.length);
    const steps = [...new Set(readings.map((r) => r.ts))];
    expect(steps.at(-1)).toBe(site.end + 86_400_000);
    steps.forEach((t, i) => expect(t).toBe(site.end + i * QUARTER));
    expect(day.every((m) => m.readings.length <= 2000)).toBe(true);
  });

  it('continues each register from the history: never backwards, a day like the ones before', () => {
    for (const m of live) {
      const id = ids.get(m.key)!;
      const mine = readings.filter((r) => r.meter === id);
      const start = historyLast.get(m.key)!;
      expect(start.ts).toBe(site.end);
      // The first is the history's own last reading, unchanged (so re-sending it changes nothing).
      expect(mine[0]).toMatchObject({ ts: site.end, total: start.total });
      let prev = start.total;
      for (const r of mine) {
        expect(r.total).toBeGreaterThanOrEqual(prev);
        prev = r.total;
      }
      const used = prev - start.total;
      const before = dayBefore.get(m.key)!;
      const usedBefore = before.last - before.first;
      // Same load profile: a live day within a factor of three of the history's last day.
      if (usedBefore > 0) {
        expect(used).toBeGreaterThan(usedBefore / 3);
        expect(used).toBeLessThan(usedBefore * 3);
      }
    }
  });

  it('asked again, hands out only what fell due since', () => {
    const feed = new DemoMeterFeed(site, ids, site.end);
    expect(feed.due(site.end - 1)).toEqual([]);
    expect(feed.due(site.end + QUARTER - 1)[0]!.readings).toHaveLength(live.length);
    expect(feed.due(site.end + QUARTER - 1)).toEqual([]);
    expect(feed.due(site.end + QUARTER)[0]!.readings).toHaveLength(live.length);
    expect(feed.due(site.end + QUARTER + 60_000)).toEqual([]);
    expect(feed.due(site.end + 2 * QUARTER)[0]!.readings.map((r) => r.ts)).toEqual(
      new Array(live.length).fill(site.end + 2 * QUARTER),
    );
    expect(feed.last).toBe(site.end + 2 * QUARTER);
  });

  it('walks at most maxSteps per call and says whether it is still behind', () => {
    const feed = new DemoMeterFeed(site, ids, site.end);
    const until = site.end + 8 * QUARTER;
    let calls = 0;
    const got: number[] = [];
    do {
      calls++;
      got.push(...feed.due(until, 2000, 100).flatMap((m) => m.readings.map((r) => r.ts)));
    } while (feed.behind(until));
    expect(calls).toBeGreaterThan(10);
    expect([...new Set(got)]).toEqual(Array.from({ length: 9 }, (_, i) => site.end + i * QUARTER));
  });

  it('publishes the catch-up, then each step as it falls due; a failed publish is sent again, never twice', async () => {
    let now = site.end + 3 * QUARTER;
    const sent: ReadingsMessage[] = [];
    let failNext = false;
    const meters = startLiveMeters({
      feed: new DemoMeterFeed(site, ids, site.end),
      now: () => now,
      checkEveryMs: 3_600_000,
      publish: async (m) => {
        if (failNext) {
          failNext = false;
          throw new Error('broker away');
        }
        sent.push(m);
      },
    });
    expect(await meters.tick()).toBe(4 * live.length);
    now += QUARTER;
    failNext = true;
    await expect(meters.tick()).rejects.toThrow('broker away');
    now += QUARTER;
    expect(await meters.tick()).toBe(2 * live.length);
    await meters.stop();
    const stamps = sent.flatMap((m) => m.readings.map((r) => `${r.meter}@${r.ts}`));
    expect(new Set(stamps).size).toBe(stamps.length);
    expect(stamps).toHaveLength(6 * live.length);
  });
});
