import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { freePort, testDbKind } from './app';

// The real BFF (`bff/src/main.ts`) as a child process, for kill -9 tests (alarms, payments).

const root = path.resolve(__dirname, '../..');

/**
 * The environment of a child BFF on this run's database (PostgreSQL, or PGlite in `dataDir`), this
 * machine's Redis under a fresh prefix, workers on, jobs in `jobsSchema`, no demo and no MQTT.
 */
export function childEnv(dataDir: string, jobsSchema: string): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    WD_DATA_DIR: dataDir,
    WD_DEMO: 'false',
    WD_MQTT_MODE: 'off',
    REDIS_AUTOSTART: 'false',
    REDIS_URL: process.env.WD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `wdtest:${crypto.randomUUID()}:`,
    WD_ADMIN_PASSWORD: 'Admin-passw0rd-for-tests',
    TRUST_PROXY: 'true',
    LOG_LEVEL: 'warn',
    WD_JOB_WORKERS: 'true',
    WD_JOBS_SCHEMA: jobsSchema,
    ...(testDbKind() === 'postgres' ? { DATABASE_URL: process.env.WD_TEST_DATABASE_URL! } : {}),
  };
}

export interface Bff {
  child: ChildProcess;
  url: string;
  exited: Promise<unknown>;
}

/**
 * Starts the real BFF (workers on) with `env` on a free port. On this loaded machine the BFF's 1.5 s
 * Redis connect timeout is sometimes missed at boot: tried again then.
 */
export async function boot(env: Record<string, string>, tries = 3): Promise<Bff> {
  try {
    return await bootOnce(env);
  } catch (err) {
    if (tries <= 1 || !/Redis 无法连接/.test((err as Error).message)) throw err;
    return boot(env, tries - 1);
  }
}

async function bootOnce(env: Record<string, string>): Promise<Bff> {
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'bff/src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((r) => child.once('exit', r));
  const end = Date.now() + 150_000;
  while (!out.includes('已启动')) {
    if (child.exitCode !== null || Date.now() > end) throw new Error(`BFF did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url: `http://127.0.0.1:${port}`, exited };
}

/** kill -9; the restart opens the same data folder (a stale PGlite lock is cleared by openDatabase itself). */
export async function kill9(bff: Bff): Promise<void> {
  bff.child.kill('SIGKILL');
  await bff.exited;
}

/** Polls every 50 ms until `fn` is truthy, or fails naming `what`. */
export async function until<T>(
  what: string,
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 120_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
