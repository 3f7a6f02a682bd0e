import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, testDbKind } from '../../test/support/app';

// The real entry point, as `npm start` runs it: boot, serve, and stop on SIGTERM (issue 2: graceful shutdown).
const root = path.resolve(__dirname, '../..');

function boot(
  port: number,
  dataDir: string,
  extra: { env?: Record<string, string | undefined>; args?: string[] } = {},
): { child: ChildProcess; out: () => string; exited: Promise<number | null> } {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'bff/src/main.ts', ...(extra.args ?? [])], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: '127.0.0.1',
      WD_DATA_DIR: dataDir,
      WD_DEMO: 'false',
      WD_MQTT_MODE: 'off',
      REDIS_AUTOSTART: 'false',
      REDIS_URL: process.env.WD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `wdtest:${crypto.randomUUID()}:`,
      WD_ADMIN_PASSWORD: 'Admin-passw0rd-for-tests',
      ...(testDbKind() === 'postgres' ? { DATABASE_URL: process.env.WD_TEST_DATABASE_URL } : {}),
      ...extra.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, out: () => out, exited };
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wd-main-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('bff/src/main.ts', () => {
  it('boots, prints its URL, serves, and on SIGTERM drains, closes and exits 0', async () => {
    const port = await freePort();
    const app = boot(port, dataDir);
    try {
      await until(() => app.out().includes('已启动') || app.child.exitCode !== null, 110_000);
      expect(app.out()).toContain(`能管通 WattDesk 已启动: http://localhost:${port}`);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
      expect(app.out()).toMatch(/"msg":"stopped"/);
    } finally {
      app.child.kill('SIGKILL');
    }
  }, 120_000);

  it('stops promptly when told to while it is still starting', async () => {
    const app = boot(await freePort(), dataDir);
    try {
      await until(() => app.out().length > 0 || app.child.exitCode !== null, 60_000); // the process is running
      app.child.kill('SIGTERM');
      const code = await Promise.race([app.exited, new Promise((r) => setTimeout(() => r('hung'), 20_000))]);
      expect(code).not.toBe('hung');
    } finally {
      app.child.kill('SIGKILL');
    }
  }, 90_000);

  it('refuses to start in demo mode under NODE_ENV=production, naming WD_DEMO, and never listens', async () => {
    const cases = [
      { env: { NODE_ENV: 'production', WD_DEMO: 'true' } },
      // `npm start` chooses demo mode (--demo); production refuses it as well.
      { env: { NODE_ENV: 'production', WD_DEMO: undefined }, args: ['--demo'] },
    ];
    for (const extra of cases) {
      const port = await freePort();
      const app = boot(port, dataDir, extra);
      try {
        expect(await app.exited).toBe(2);
        expect(app.out()).toMatch(/WD_DEMO=.*NODE_ENV=production 下不允许演示模式/);
        expect(app.out()).not.toContain('已启动');
        await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
      } finally {
        app.child.kill('SIGKILL');
      }
    }
  }, 180_000); // two process starts (tsx loading the BFF) on a loaded machine
});
