import path from 'node:path';
import type { Redis } from 'ioredis';
import type { Config } from '@wattdesk/config';
import { openDatabase, type Database, type Db } from './infra/db/client';
import { migrate } from './infra/db/migrate';
import { connectRedis } from './infra/redis';
import { createLogger, type Logger } from './infra/logger';
import { systemClock, type Clock } from './infra/clock';
import type { Authenticator } from './core/auth/actor';
import { AccountsRepository } from './features/accounts/repository';
import { AccountsService } from './features/accounts/service';
import { startDevices, type DevicesFeature, type DevicesOptions } from './features/devices/wiring';
import { WeChatClient } from './adapters/wechat/client';
import { WeChatIdentityService } from './features/wechat/service';
import { DEMO_APPID, DEMO_SECRET } from './fakes/wechat/state';
import { buildMetering, type MeteringDeps } from './features/meters/wiring';
import { buildReports } from './features/reports/wiring';
import type { ReportsService } from './features/reports/service';
import { Platform } from './platform';
import { featureModules } from './features';
import type { FeatureModule } from './platform/contract';

/** Everything a route or service may use; built once per process (or per test app). */
export interface AppDeps extends MeteringDeps {
  config: Config;
  log: Logger;
  database: Database;
  db: Db;
  redis: Redis;
  clock: Clock;
  auth: Authenticator;
  accounts: AccountsService;
  /** WeChat server APIs (WECHAT_API_BASE/APPID/SECRET; demo mode points it at the fake). */
  wechat: WeChatClient;
  wechatIdentity: WeChatIdentityService;
  /** Device registry, command relay and the MQTT bus (issue 4). */
  devices: DevicesFeature;
  /** Reports 3.4: xlsx built from the 3.5 query, served to the organization that made them. */
  reports: ReportsService;
  /** Readiness checks added by features (e.g. the MQTT bus). */
  extraReadiness(): Promise<Record<string, string>>;
  shuttingDown(): boolean;
  /** Events outbox, job runner and feature registry (bff/src/platform). */
  platform: Platform;
}

export interface Container {
  deps: AppDeps;
  /** Events, jobs and the feature registry; tests use `platform.settle()` / `runDue()`. */
  platform: Platform;
  /** Registers a closer run (in reverse order) by close(). */
  onClose(fn: () => Promise<void> | void): void;
  close(): Promise<void>;
}

export interface ContainerOptions {
  /** Use an already open database (tests share one per worker). */
  database?: Database;
  redis?: Redis;
  clock?: Clock;
  log?: Logger;
  /** Devices feature overrides (instance id, topic root). */
  devices?: DevicesOptions;
  /** Feature modules built after those of `features/index.ts` (tests plug in consumers and jobs). */
  features?: FeatureModule<string, unknown>[];
}

/** Opens storage, applies migrations and wires services. */
export async function buildContainer(config: Config, opts: ContainerOptions = {}): Promise<Container> {
  const closers: Array<() => Promise<void> | void> = [];
  const log =
    opts.log ?? createLogger(config.LOG_LEVEL, process.stdout.isTTY && config.NODE_ENV !== 'production');
  const database =
    opts.database ??
    (await openDatabase({
      url: config.DATABASE_URL,
      pgliteDir: path.join(config.WD_DATA_DIR, 'pglite'),
      poolSize: config.DATABASE_POOL_SIZE,
    }));
  if (!opts.database) closers.push(() => database.close());
  if (!opts.database) {
    const applied = await migrate(database);
    if (applied.length) log.info({ applied }, 'migrations applied');
  }
  let redis = opts.redis;
  if (!redis) {
    const handle = await connectRedis({
      url: config.REDIS_URL,
      keyPrefix: config.REDIS_KEY_PREFIX,
      autostart: config.REDIS_AUTOSTART,
      dataDir: config.WD_DATA_DIR,
      log,
    });
    redis = handle.redis;
    closers.push(() => handle.close());
  }
  const clock = opts.clock ?? systemClock;
  const platform = new Platform({ config, database, clock, log });
  const accountsRepo = new AccountsRepository(database.db);
  const accounts = new AccountsService(accountsRepo, redis, clock, {
    sessionTtlHours: config.SESSION_TTL_HOURS,
    maxFailures: config.LOGIN_MAX_FAILURES,
    lockMinutes: config.LOGIN_LOCK_MINUTES,
    defaultTimeZone: config.DEFAULT_TIME_ZONE,
  });
  const wechat = new WeChatClient({
    baseUrl: config.WECHAT_API_BASE,
    appid: config.WECHAT_APPID ?? DEMO_APPID,
    secret: config.WECHAT_SECRET ?? DEMO_SECRET,
    redis,
    clock,
    log: log.child({ adapter: 'wechat' }),
    timeoutMs: config.WECHAT_TIMEOUT_MS,
  });
  const wechatIdentity = new WeChatIdentityService(wechat, accountsRepo, accounts, clock);
  const devices = await startDevices(
    { config, db: database.db, redis, clock, log, events: platform.events },
    opts.devices,
  );
  closers.push(() => devices.close());
  let stopping = false;
  const readiness: Array<() => Promise<Record<string, string>>> = [
    () => devices.readiness(),
    () => platform.registry.readiness(),
  ];
  const deps: AppDeps = {
    config,
    log,
    database,
    db: database.db,
    redis,
    clock,
    auth: accounts,
    accounts,
    devices,
    wechat,
    wechatIdentity,
    ...buildMetering(database.db, clock, config.WD_DATA_DIR, platform.events),
    // Reads deps.energy when a report is made (deps is complete by then).
    reports: buildReports(database.db, clock, accounts, {
      formDetailEnergy: (o, q) => deps.energy.formDetailEnergy(o, q),
    }),
    extraReadiness: async () => Object.assign({}, ...(await Promise.all(readiness.map((r) => r())))),
    shuttingDown: () => stopping,
    platform,
  };
  // Gateway readings (MQTT wd/{uid}/readings) go through the same ingest service as the HTTP batch.
  devices.setReadingsSink({
    ingestGatewayReadings: ({ orgId, readings }) => deps.ingest.ingest(orgId, readings, 'mqtt'),
  });
  await platform.attachFeatures([...featureModules, ...(opts.features ?? [])], {
    config,
    log,
    database,
    db: database.db,
    redis,
    clock,
    demo: config.WD_DEMO,
  });
  await platform.start();
  closers.push(() => platform.stop());
  return {
    deps,
    platform,
    onClose: (fn) => closers.push(fn),
    close: async () => {
      stopping = true;
      for (const fn of closers.reverse()) await fn();
    },
  };
}
