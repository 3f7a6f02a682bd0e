import type { Container } from '../../container';
import { localParts } from '../../core/time';
import { createdDemoSite, DEMO_USER } from '../../demo/demo-data';
import { generateSite } from '../../demo/data/site';
import type { DemoSite } from '../../demo/data/types';
import { MetersRepository } from '../../features/meters/repository';
import { ReadingsRepository } from '../../features/readings/repository';
import type { SimulatedDevice } from './device';
import { DemoMeterFeed, startLiveMeters } from './live-meters';

const pad = (n: number) => String(n).padStart(2, '0');
const live = (site: DemoSite) => site.meters.filter((m) => m.source === 'synthetic' || m.source === 'sum');

/**
 * Where the demo's meters read on from. The process that created the demo knows its site; on later
 * starts the site is generated again (it is seeded: same plan, same stream) from the date of its first
 * stored reading, and the feed goes on from the latest reading every live meter has (sent again: no change).
 */
async function feedOf(container: Container): Promise<{ feed: DemoMeterFeed; meters: number } | null> {
  const { deps } = container;
  const made = createdDemoSite(container);
  if (made) {
    const ids = new Map(live(made.site).map((m) => [m.key, made.meterIds.get(m.key)!]));
    return { feed: new DemoMeterFeed(made.site, ids, made.site.end), meters: ids.size };
  }
  const user = await deps.accounts.userByName(DEMO_USER);
  if (!user) return null;
  const tz = await deps.accounts.timeZoneOf(user.orgId);
  const byName = new Map(
    (await new MetersRepository(deps.db).allMeters(user.orgId)).map((m) => [m.name, m.id] as const),
  );
  // Any start date gives the same meter names; the real one comes from the stored readings.
  const names = live(generateSite({ tz, startDate: '2000-01-01' }));
  const ids = names.map((m) => byName.get(m.name)).filter((id): id is number => id !== undefined);
  const spans = await new ReadingsRepository(deps.db).span(user.orgId, ids);
  if (!spans.size) return null;
  const first = Math.min(...[...spans.values()].map((s) => s.first));
  const from = Math.min(...[...spans.values()].map((s) => s.last));
  const d = localParts(new Date(first), tz);
  const site = generateSite({ tz, startDate: `${d.year}-${pad(d.month)}-${pad(d.day)}` });
  const keyed = new Map<string, number>();
  for (const m of live(site)) {
    const id = byName.get(m.name);
    if (id !== undefined) keyed.set(m.key, id);
  }
  return { feed: new DemoMeterFeed(site, keyed, from), meters: keyed.size };
}

/**
 * Demo mode: the metering gateway publishes the demo meters' readings through the normal MQTT ingest,
 * from where the stored history ends up to now at once, then every 15 minutes while the BFF runs, so
 * today and this month always have data. Returns the line for the start banner.
 */
export async function startDemoMeters(container: Container, gateway: SimulatedDevice): Promise<string> {
  const { deps } = container;
  const found = await feedOf(container);
  if (!found) return '  实时读数:            未启动（演示组织没有读数）';
  const from = found.feed.last;
  const meters = startLiveMeters({
    feed: found.feed,
    publish: (m) => gateway.publishBatch(m),
    now: () => deps.clock.now().getTime(),
    onError: (err) => deps.log.warn({ err }, 'demo live readings not published; retried at the next check'),
  });
  container.onClose(() => meters.stop());
  meters
    .tick()
    .then((n) =>
      deps.log.info({ readings: n, from: new Date(from).toISOString() }, 'demo live readings caught up'),
    )
    .catch((err: unknown) => deps.log.warn({ err }, 'demo live readings catch-up failed; retried'));
  return `  实时读数:            ${gateway.uid} 每 15 分钟上报 ${found.meters} 块演示仪表（从 ${new Date(from).toISOString().slice(0, 16)}Z 补齐至今）`;
}
