import { AppError } from '../core/errors';
import { localParts } from '../core/time';
import type { Container } from '../container';
import type { DemoPart } from './index';
import { createSite, ingestSite, type LoadPorts } from './data/load';
import { generateSite } from './data/site';
import { setDemoRates } from './data/rates';
import type { DemoSite } from './data/types';
import { loadSteelIntervals, steelReadings } from './data/steel';

/** The demo login, also stated in the README. */
export const DEMO_USER = 'demo';
export const DEMO_PASSWORD = 'demo-2026';

const pad = (n: number) => String(n).padStart(2, '0');

/** The readings load prepared by start(), run by background(). */
const pending = new WeakMap<Container, () => void>();

/** The site this process created (first start): what the live demo meters read on from. */
const created = new WeakMap<Container, { orgId: number; site: DemoSite; meterIds: Map<string, number> }>();
export const createdDemoSite = (container: Container) => created.get(container);

const portsOf = ({ deps }: Container): LoadPorts => ({
  machines: deps.machines,
  meters: deps.meters,
  ingest: deps.ingest,
  manual: deps.manualData,
});

/**
 * Demo mode: on a database without the demo user, creates the demo organization — a generated factory
 * (departments, machines, meters of all nine energy types, a total meter, virtual meters, a meter swap,
 * hand-filled months) and the steel plant's real 2018 meter — through the normal services. The site is
 * there before the BFF listens; its year of 15-minute readings (about half a million) is ingested through
 * the same ingest service in the background once every demo part has started. On later starts it only
 * prints the login.
 */
export const demoDataPart: DemoPart = {
  name: 'demo-data',
  async start(container) {
    const { deps } = container;
    const login = `  演示账号:            ${DEMO_USER} / ${DEMO_PASSWORD}`;
    const started = performance.now();
    let orgId: number;
    try {
      ({ orgId } = await deps.accounts.register(
        { name: DEMO_USER, password: DEMO_PASSWORD, email: 'demo@example.cn', company: '演示工厂（能管通）' },
        { ip: 'demo' },
      ));
    } catch (err) {
      if (err instanceof AppError && err.kind === 'conflict') return [`${login}   (演示数据已存在)`];
      throw err;
    }
    const tz = await deps.accounts.timeZoneOf(orgId);
    // A year of data ending at today's local midnight.
    const today = localParts(deps.clock.now(), tz);
    const first = new Date(Date.UTC(today.year, today.month - 1, today.day - 365));
    const site = generateSite({
      tz,
      startDate: `${first.getUTCFullYear()}-${pad(first.getUTCMonth() + 1)}-${pad(first.getUTCDate())}`,
    });
    const ports = portsOf(container);
    const meterIds = await createSite(ports, orgId, site);
    created.set(container, { orgId, site, meterIds });
    await setDemoRates(deps.rates, orgId);
    const steel = steelReadings(loadSteelIntervals(), { meter: 'eaf_e', tz, base: 120_000 });
    pending.set(container, () => {
      const abort = new AbortController();
      const loading = ingestSite(ports, orgId, site, meterIds, {
        extra: steel,
        signal: abort.signal,
        batch: 2500,
      }).then(
        (readings) => {
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          if (abort.signal.aborted)
            deps.log.warn({ orgId, readings }, 'demo readings load stopped by shutdown');
          else
            deps.log.info({ orgId, readings, seconds }, 'demo organization loaded (all readings ingested)');
        },
        (err: unknown) => deps.log.error({ err }, 'demo readings load failed'),
      );
      container.onClose(async () => {
        abort.abort();
        await loading;
      });
    });
    const metered = site.meters.filter((m) => m.source === 'synthetic' || m.source === 'sum').length;
    const expected = metered * ((site.end - site.start) / (site.intervalMinutes * 60_000) + 1) + steel.length;
    return [
      `${login}   (演示工厂：${site.meters.length} 块仪表，含 2018 年钢厂实测电表)`,
      `  演示读数:            ${expected.toLocaleString()} 条 15 分钟读数正在后台导入，日志 "demo organization loaded" 表示完成`,
    ];
  },
  // After every part started: on PGlite the load holds the database between batches, so parts
  // started after this one (the device simulator) would otherwise wait for all of it.
  background(container) {
    pending.get(container)?.();
    pending.delete(container);
  },
};
