import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { loadConfig, type Config } from '@wattdesk/config';
import { buildContainer, type AppDeps, type Container, type ContainerOptions } from '../../bff/src/container';
import { createApp } from '../../bff/src/app';
import { openDatabase, type Database } from '../../bff/src/infra/db/client';
import { migrate } from '../../bff/src/infra/db/migrate';
import { createLogger } from '../../bff/src/infra/logger';
import type { Platform } from '../../bff/src/platform';

/** Which database this jest project runs on: the run's PostgreSQL database or a fresh in-memory PGlite. */
export const testDbKind = (): 'postgres' | 'pglite' =>
  process.env.WD_TEST_DB === 'pglite' ? 'pglite' : 'postgres';

export interface TestApp {
  deps: AppDeps;
  container: Container;
  /**
   * Events, jobs and features of this app. `await platform.settle()` runs every committed job and
   * event delivery (retries at once) until none is pending; `platform.runDue(queue, at)` runs the
   * queue's delayed jobs due at `at` on the test's clock; `platform.runCron(queue)` one cron tick.
   */
  platform: Platform;
  /** supertest bound to the real Koa app (no port). */
  http: TestAgent;
  /** Starts a real HTTP listener (for clients that need a URL); closed by close(). */
  listen(): Promise<string>;
  config: Config;
  close(): Promise<void>;
}

/** Opens the database this project tests against; PGlite ones are migrated here. */
export async function openTestDatabase(): Promise<Database> {
  if (testDbKind() === 'pglite') {
    const db = await openDatabase({ pgliteDir: 'memory://' });
    await migrate(db);
    return db;
  }
  const url = process.env.WD_TEST_DATABASE_URL;
  if (!url)
    throw new Error(
      'WD_TEST_DATABASE_URL is not set: run integration tests through jest (global setup creates it)',
    );
  return openDatabase({ url, pgliteDir: 'memory://', poolSize: 4 });
}

/** Config for tests: every key overridable; Redis keys get a prefix unique to this app. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    REDIS_URL: process.env.WD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_AUTOSTART: 'false',
    // Builders send a random X-Forwarded-For per organization, so per-IP limits apply per test tenant.
    TRUST_PROXY: 'true',
    // A test app runs no demo parts (no fakes in-process) unless a test starts them and says so.
    WD_DEMO: 'false',
    REDIS_KEY_PREFIX: `wdtest:${crypto.randomUUID()}:`,
    WD_DATA_DIR: `/tmp/wd-test-${process.pid}`,
    // Jobs and event deliveries run when a test says so (app.platform.settle() / runDue()), in a
    // pg-boss schema of this app's own (apps of parallel test files share one PostgreSQL database).
    WD_JOB_WORKERS: 'false',
    WD_JOBS_SCHEMA: `pgboss_t${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`,
    ...env,
  });
}

/** A real app on the real database and Redis of this machine. */
export async function startTestApp(
  opts: { env?: Record<string, string> } & ContainerOptions = {},
): Promise<TestApp> {
  const config = testConfig(opts.env);
  const database = opts.database ?? (await openTestDatabase());
  const redis = opts.redis ?? new Redis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX });
  const container = await buildContainer(config, {
    ...opts,
    database,
    redis,
    log: opts.log ?? createLogger('silent'),
  });
  const { app } = createApp(container.deps);
  const servers: import('node:http').Server[] = [];
  return {
    deps: container.deps,
    container,
    platform: container.platform,
    config,
    http: request(app.callback()),
    listen: async () => {
      const server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      servers.push(server);
      const addr = server.address() as import('node:net').AddressInfo;
      return `http://127.0.0.1:${addr.port}`;
    },
    close: async () => {
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise((r) => s.close(r));
      }
      await container.close();
      // A schema this app made for itself goes with it (one given in env may be shared by several apps).
      // (A test that closed the database itself leaves it: its data goes with the run's database.)
      if (!opts.env?.WD_JOBS_SCHEMA)
        await database
          .execScript(`drop schema if exists ${config.WD_JOBS_SCHEMA} cascade`)
          .catch(() => undefined);
      if (!opts.redis) {
        await deleteKeys(redis, config.REDIS_KEY_PREFIX);
        await redis.quit();
      }
      if (!opts.database) await database.close();
    },
  };
}

/** Removes every key under a prefix (ioredis does not apply keyPrefix to SCAN patterns). */
async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const raw = new Redis(redis.options.port ?? 6379, redis.options.host ?? '127.0.0.1');
  let cursor = '0';
  do {
    const [next, keys] = await raw.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length) await raw.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await raw.quit();
}
