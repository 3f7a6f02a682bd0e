import path from 'node:path';
import type { Redis } from 'ioredis';
import type { Config } from '@wattdesk/config';
import { openDatabase, type Database, type Db } from './infra/db/client';
import { migrate } from './infra/db/migrate';
import { connectRedis } from './infra/redis';
import { createLogger, type Logger } from './infra/logger';
import { systemClock, type Clock } from './infra/clock';
import type { Authenticator } from './core/auth/actor';
import type { DevicesFeature, DevicesOptions } from './features/devices/wiring';
import type { MeteringDeps } from './features/meters/wiring';
import type { ReportsService } from './features/reports/service';
import type { AccountsService } from './features/accounts/service';
import type { WeChatClient } from './adapters/wechat/client';
import type { WeChatIdentityService } from './features/wechat/service';
import { Platform } from './platform';
import { featureModules } from './features';
import { coreFeatures } from './features/core';
import type { FeatureModule } from './platform/contract';
import { Foreground } from './core/http/foreground';

/**
 * The `deps` argument of the core features' route handlers: a compatibility view built from the
 * feature apis (`ctx.use`). New features close over their own services instead; do not add members.
 */
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
  /** Requests in flight (counted by the app), which background work on the event loop gives way to. */
  foreground: Foreground;
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
  /** Feature modules built after the core ones and those of `features/index.ts` (tests add their own). */
  features?: FeatureModule<string, unknown>[];
}

/** Opens storage, applies migrations, builds every feature module and starts them. */
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
  const foreground = new Foreground();
  let stopping = false;
  const close = async () => {
    stopping = true;
    for (const fn of closers.splice(0).reverse()) await fn();
  };
  try {
    const registry = await platform.attachFeatures(
      [...coreFeatures({ devices: opts.devices }), ...featureModules, ...(opts.features ?? [])],
      { config, log, database, db: database.db, redis, clock, demo: config.WD_DEMO, foreground },
    );
    closers.push(() => platform.stop());
    // The compatibility view handed to the core features' route handlers (`deps`), built from feature apis.
    const { accounts } = registry.api('accounts');
    const wechat = registry.api('wechat');
    const deps: AppDeps = {
      config,
      log,
      database,
      db: database.db,
      redis,
      clock,
      auth: accounts,
      accounts,
      devices: registry.api('devices'),
      wechat: wechat.client,
      wechatIdentity: wechat.identity,
      ...registry.api('metering'),
      reports: registry.api('reports'),
      extraReadiness: () => registry.readiness(),
      shuttingDown: () => stopping,
      platform,
      foreground,
    };
    await platform.start();
    return { deps, platform, onClose: (fn) => closers.push(fn), close };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}
