import { AppError } from '../core/errors';
import { localParts } from '../core/time';
import type { Clock } from '../infra/clock';
import type { Db } from '../infra/db/client';
import type { Logger } from '../infra/logger';
import type { Events } from '../platform/contract';
import type { Container } from '../container';
import type { AccountsService } from '../features/accounts/service';
import type { RatesService } from '../features/tariffs/service';
import { DemoImportRepository } from '../features/demo-import/repository';
import { createSite, ingestSite, type LoadPorts } from './data/load';
import { generateSite } from './data/site';
import { loadSteelIntervals, steelReadings } from './data/steel';
import type { DemoSite, GeneratedReading } from './data/types';
import { setDemoRates } from './data/rates';
import type { Foreground } from '../core/http/foreground';

/** The demo login, also stated in the README. */
export const DEMO_USER = 'demo';
export const DEMO_PASSWORD = 'demo-2026';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Pacing of the background import on the embedded database: PGlite runs each statement on the event
 * loop, so the import goes in slices of about SLICE_MS, rests REST_MS (the event loop serves whatever
 * else is waiting: device messages, timers), then waits until no request has been in flight for
 * QUIET_MS, at most MAX_DEFER_MS. So a slice rarely starts inside a page load, and a request that arrives
 * during a slice waits for that slice only. Under a steady stream of requests the import slows down to
 * one slice per MAX_DEFER_MS; it never stops.
 */
const SLICE_MS = 25;
const REST_MS = 10;
const QUIET_MS = 15;
const MAX_DEFER_MS = 400;
const MIN_BATCH = 250;
const MAX_BATCH = 5000;

/** What the demo data needs: the accounts and metering services, the database, the clock and a logger. */
export interface DemoDataPorts extends LoadPorts {
  accounts: Pick<AccountsService, 'register' | 'timeZoneOf' | 'userByName'>;
  rates: RatesService;
  db: Db;
  clock: Clock;
  log: Logger;
  /** When given, a finished import emits `demo.import.finished` (other features react to it). */
  events?: Events;
  /** When given, the import's slices give way to requests in flight. */
  foreground?: Pick<Foreground, 'quiet'>;
}

/**
 * The demo site this process created, by database: the demo's live gateway (fakes/devices) reads on
 * from its generated stream while the history is still importing (on later starts it regenerates it).
 */
const created = new WeakMap<Db, { orgId: number; site: DemoSite; meterIds: Map<string, number> }>();
export const createdDemoSite = (db: Db) => created.get(db);

/** Sizes of the demo organization (tests make it small). */
export interface DemoDataOptions {
  /** Days of readings ending at today's local midnight (365). */
  days?: number;
  /** How many of the steel plant's 15-minute intervals to load (all of 2018). */
  steelIntervals?: number;
  /** The demo user's name (DEMO_USER). */
  user?: string;
}

/** The demo site and its steel meter's readings for an organization's time zone and first date. */
function demoSite(
  tz: string,
  startDate: string,
  days: number,
  steelIntervals?: number,
): { site: DemoSite; steel: GeneratedReading[] } {
  const site = generateSite({ tz, startDate, days });
  const intervals = loadSteelIntervals();
  return {
    site,
    steel: steelReadings(steelIntervals === undefined ? intervals : intervals.slice(0, steelIntervals), {
      meter: 'eaf_e',
      tz,
      base: 120_000,
    }),
  };
}

/** Readings the import sends: every metered meter at every interval, then the steel meter's. */
function readingsCount(site: DemoSite, steel: GeneratedReading[]): number {
  const metered = site.meters.filter((m) => m.source === 'synthetic' || m.source === 'sum').length;
  return metered * ((site.end - site.start) / (site.intervalMinutes * 60_000) + 1) + steel.length;
}

/**
 * Demo mode: on a database without the demo user, creates the demo organization — a generated factory
 * (departments, machines, meters of all nine energy types, a total meter, virtual meters, a meter swap,
 * hand-filled months) and the steel plant's real 2018 meter — through the normal services. The site is
 * there before the BFF listens; its year of 15-minute readings (about half a million) is ingested through
 * the same ingest service in the background, in paced slices, once every demo part has started; its
 * progress is kept in demo_imports (GET /api_3/demo_import_status, /readyz). A start stopped mid-import
 * resumes it. On later starts it only prints the login.
 */
export function demoData(deps: DemoDataPorts, opts: DemoDataOptions = {}) {
  const days = opts.days ?? 365;
  const user = opts.user ?? DEMO_USER;
  const imports = new DemoImportRepository(deps.db, deps.events);
  /** The readings load prepared by start(), run by background(); stop() aborts it. */
  let pending: (() => void) | undefined;
  let stopLoad: (() => Promise<void>) | undefined;

  /**
   * Prepares the background import of an organization's readings from position `from` on; it starts in
   * background() and records its progress in demo_imports after every slice, so a stop resumes there.
   */
  const scheduleImport = (imp: {
    orgId: number;
    site: DemoSite;
    steel: GeneratedReading[];
    meterIds: Map<string, number>;
    from: number;
  }): void => {
    const started = performance.now();
    let batch = 1000;
    let lastSaved = 0;
    pending = () => {
      const abort = new AbortController();
      const loading = ingestSite(deps, imp.orgId, imp.site, imp.meterIds, {
        extra: imp.steel,
        signal: abort.signal,
        from: imp.from,
        batchSize: () => batch,
        after: async (done, ms) => {
          batch = Math.max(MIN_BATCH, Math.min(MAX_BATCH, Math.round((batch * SLICE_MS) / Math.max(ms, 1))));
          const now = performance.now();
          if (now - lastSaved >= 500) {
            lastSaved = now;
            await imports.progress(imp.orgId, done, deps.clock.now());
          }
          await new Promise((r) => setTimeout(r, REST_MS));
          await deps.foreground?.quiet(MAX_DEFER_MS, QUIET_MS);
        },
      }).then(
        async (position) => {
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          if (abort.signal.aborted) {
            await imports.progress(imp.orgId, position, deps.clock.now());
            deps.log.warn(
              { orgId: imp.orgId, position },
              'demo readings import stopped by shutdown; resumes at the next start',
            );
          } else {
            await imports.finish(imp.orgId, 'done', null, deps.clock.now());
            deps.log.info(
              { orgId: imp.orgId, readings: position, seconds },
              'demo organization loaded (all readings ingested)',
            );
          }
        },
        async (err: unknown) => {
          deps.log.error({ err }, 'demo readings load failed');
          await imports.finish(imp.orgId, 'failed', String(err), deps.clock.now()).catch(() => undefined);
        },
      );
      stopLoad = async () => {
        abort.abort();
        await loading;
      };
    };
  };

  return {
    async start(): Promise<string[]> {
      const login = `  演示账号:            ${user} / ${DEMO_PASSWORD}`;
      let orgId: number;
      try {
        ({ orgId } = await deps.accounts.register(
          { name: user, password: DEMO_PASSWORD, email: `${user}@example.cn`, company: '演示工厂（能管通）' },
          { ip: 'demo' },
        ));
      } catch (err) {
        if (!(err instanceof AppError && err.kind === 'conflict')) throw err;
        const found = await deps.accounts.userByName(user);
        const imp = found && (await imports.get(found.orgId));
        if (imp?.state === 'readings') {
          const { site, steel } = demoSite(imp.timeZone, imp.startDate, imp.days, opts.steelIntervals);
          scheduleImport({
            orgId: imp.orgId,
            site,
            steel,
            meterIds: new Map(Object.entries(imp.meterIds)),
            from: imp.done,
          });
          const pct = Math.floor((imp.done / imp.total) * 100);
          return [`${login}   (演示读数上次未导入完，从 ${pct}% 处继续在后台导入)`];
        }
        if (imp?.state === 'site') {
          // Stopped while the machines and meters were being created (about a second at the first start).
          await imports.finish(imp.orgId, 'failed', 'demo site creation was interrupted', deps.clock.now());
          return [`${login}   (演示工厂创建曾被中断，演示数据不完整：删除数据目录后重新启动可重建)`];
        }
        return [`${login}   (演示数据已存在)`];
      }
      const tz = await deps.accounts.timeZoneOf(orgId);
      // A year of data ending at today's local midnight.
      const today = localParts(deps.clock.now(), tz);
      const first = new Date(Date.UTC(today.year, today.month - 1, today.day - days));
      const startDate = `${first.getUTCFullYear()}-${pad(first.getUTCMonth() + 1)}-${pad(first.getUTCDate())}`;
      const { site, steel } = demoSite(tz, startDate, days, opts.steelIntervals);
      const total = readingsCount(site, steel);
      await imports.create({ orgId, startDate, days, timeZone: tz, total }, deps.clock.now());
      const meterIds = await createSite(deps, orgId, site);
      created.set(deps.db, { orgId, site, meterIds });
      await setDemoRates(deps.rates, orgId);
      await imports.siteCreated(orgId, Object.fromEntries(meterIds), deps.clock.now());
      scheduleImport({ orgId, site, steel, meterIds, from: 0 });
      return [
        `${login}   (演示工厂：${site.meters.length} 块仪表，含 2018 年钢厂实测电表)`,
        `  演示读数:            ${total.toLocaleString()} 条 15 分钟读数正在后台导入，进度见 /readyz 或 GET /api_3/demo_import_status`,
      ];
    },
    // After every part started: on PGlite the load holds the database between batches, so parts
    // started after this one (the device simulator) would otherwise wait for all of it.
    background(): void {
      pending?.();
      pending = undefined;
    },
    async stop(): Promise<void> {
      await stopLoad?.();
      stopLoad = undefined;
    },
  };
}

/**
 * The demo data of one organization run against a test container (tests size it small): `start` and
 * `background` as the metering feature's demo hooks run them; the load stops when the container closes.
 */
export function demoDataPartWith(opts: DemoDataOptions) {
  const parts = new WeakMap<Container, ReturnType<typeof demoData>>();
  const of = (container: Container) => {
    let part = parts.get(container);
    if (!part) {
      const { deps } = container;
      part = demoData(
        {
          accounts: deps.accounts,
          rates: deps.rates,
          db: deps.db,
          clock: deps.clock,
          log: deps.log,
          machines: deps.machines,
          meters: deps.meters,
          ingest: deps.ingest,
          manual: deps.manualData,
        },
        opts,
      );
      parts.set(container, part);
      const p = part;
      container.onClose(() => p.stop());
    }
    return part;
  };
  return {
    start: (container: Container) => of(container).start(),
    background: (container: Container) => of(container).background(),
  };
}
