import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startDeviceApp, registerDevice, eventually, unique } from '../../../../../test/support/devices';
import { buildOrg } from '../../../../../test/support/builders';
import {
  deleteKeys as deleteKeysUnder,
  freePort,
  openTestDatabase,
  testDbKind,
  type TestApp,
} from '../../../../../test/support/app';
import type { Database } from '../../../infra/db/client';
import { SimulatedDevice } from '../../../fakes/devices/device';

const API = '/wad/ems/v1/api';
const root = path.resolve(__dirname, '../../../../..');
const REDIS_URL = process.env.WD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const deleteKeys = async (prefix: string) => {
  const redis = new Redis(REDIS_URL);
  await deleteKeysUnder(redis, prefix);
  await redis.quit();
};

const sim = (url: string, device: { uid: string; secret: string }, bareStatus = false) =>
  new SimulatedDevice({
    url,
    uid: device.uid,
    secret: device.secret,
    kind: 'ems',
    topicRoot: 'wd',
    bareStatus,
  });

describe('device presence after restarts (embedded broker, sessions and retained statuses in Redis)', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it('stale Redis: after instances on other ports came and went against one Redis, a new instance sees the devices online', async () => {
    const prefix = `wdtest:${crypto.randomUUID()}:`;
    const redis = new Redis(REDIS_URL, { keyPrefix: prefix });
    const mqttPort = await freePort();
    const start = (instanceId: string) =>
      startDeviceApp('embedded', {
        database,
        redis,
        instanceId,
        env: { REDIS_KEY_PREFIX: prefix, WD_MQTT_PORT: String(mqttPort) },
      });
    const sims: SimulatedDevice[] = [];
    let app: TestApp | undefined;
    try {
      app = await start('host-3001');
      const admin = await buildOrg(app);
      // One device speaks protocol v1 (bare, byte-identical "online" every time), one sends `{status, ts}`.
      const bare = await registerDevice(app, admin);
      const stamped = await registerDevice(app, admin);
      const url = `mqtt://127.0.0.1:${mqttPort}`;
      sims.push(sim(url, bare, true), sim(url, stamped));
      await Promise.all(sims.map((s) => s.start()));
      const online = async (uid: string) =>
        (await app!.http.get(`${API}/devices/detail`).query({ device_uid: uid }).set(admin.auth)).body.data
          .online as boolean;
      await eventually(async () => (await online(bare.uid)) && (await online(stamped.uid)), 10_000);
      // Stop and start on other ports (SIGTERM-like close), the devices reconnecting each time.
      for (const instance of ['host-3002', 'host-3003']) {
        await app.close();
        app = await start(instance);
        await eventually(async () => (await online(bare.uid)) && (await online(stamped.uid)), 10_000);
      }
      await app.close();
      app = await start('host-3004');
      await eventually(async () => (await online(bare.uid)) && (await online(stamped.uid)), 10_000);
      // Commands are sent (not refused as 100005 设备离线).
      for (const d of [bare, stamped]) {
        const res = await app.http
          .put(`${API}/bms-control/sync`)
          .query({ device_uid: d.uid })
          .set(admin.auth);
        expect([res.status, res.body.code]).toEqual([200, 0]);
      }
    } finally {
      for (const s of sims) await s.stop();
      await app?.close();
      await redis.quit();
      await deleteKeys(prefix);
    }
  }, 90_000);
});

function boot(env: Record<string, string>): {
  child: ChildProcess;
  out: () => string;
  exited: Promise<unknown>;
} {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'bff/src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((r) => child.once('exit', r));
  return { child, out: () => out, exited };
}

describe('device presence after kill -9 of the BFF (a real process with its embedded broker)', () => {
  it('on restart, presence comes from the broker: the device that came back is online, the one that left is offline', async () => {
    const port = await freePort();
    const mqttPort = await freePort();
    const prefix = `wdtest:${crypto.randomUUID()}:`;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wd-presence-'));
    const adminUser = unique('adm').replace('-', '_');
    const adminPassword = 'Admin-passw0rd-for-tests';
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      WD_DATA_DIR: dataDir,
      WD_DEMO: 'false',
      WD_MQTT_MODE: 'embedded',
      WD_MQTT_PORT: String(mqttPort),
      DEVICE_RPC_TIMEOUT_MS: '3000',
      REDIS_AUTOSTART: 'false',
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      WD_ADMIN_USER: adminUser,
      WD_ADMIN_PASSWORD: adminPassword,
      LOG_LEVEL: 'warn',
      ...(testDbKind() === 'postgres' ? { DATABASE_URL: process.env.WD_TEST_DATABASE_URL! } : {}),
    };
    const base = `http://127.0.0.1:${port}`;
    const sims: SimulatedDevice[] = [];
    let proc = boot(env);
    const started = async (p: typeof proc) =>
      eventually(async () => {
        if (p.child.exitCode !== null) throw new Error(`BFF exited: ${p.out()}`);
        return p.out().includes('已启动');
      }, 110_000);
    try {
      await started(proc);
      const login = await fetch(`${base}/api/auth`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ Usr_Name: adminUser, Usr_Password: adminPassword }),
      }).then((r) => r.json() as Promise<{ Data: Array<{ Usr_Token: string }> }>);
      const auth = {
        Authorization: `Bearer ${login.Data[0]!.Usr_Token}`,
        'Content-Type': 'application/json',
      };
      const register = async () => {
        const uid = unique('ems');
        const res = await fetch(`${base}${API}/devices`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ device_uid: uid, name: 'BMS', kind: 'ems', site: '一号厂房' }),
        }).then((r) => r.json() as Promise<{ data: { secret: string } }>);
        return { uid, secret: res.data.secret };
      };
      const online = async (uid: string) =>
        (
          await fetch(`${base}${API}/devices/detail?device_uid=${uid}`, { headers: auth }).then(
            (r) => r.json() as Promise<{ data: { online: boolean } }>,
          )
        ).data.online;
      const stays = await register();
      const leaves = await register();
      const url = `mqtt://127.0.0.1:${mqttPort}`;
      sims.push(sim(url, stays), sim(url, leaves));
      await Promise.all(sims.map((s) => s.start()));
      await eventually(async () => (await online(stays.uid)) && (await online(leaves.uid)), 10_000);

      proc.child.kill('SIGKILL');
      await proc.exited;
      await sims[1]!.stop(); // leaves while no broker runs: no goodbye, no will reaches anyone
      proc = boot(env);
      await started(proc);
      await eventually(async () => online(stays.uid), 15_000);
      expect(await online(leaves.uid)).toBe(false);
      const sync = await fetch(`${base}${API}/bms-control/sync?device_uid=${stays.uid}`, {
        method: 'PUT',
        headers: auth,
      }).then((r) => r.json() as Promise<{ code: number }>);
      expect(sync.code).toBe(0);
    } finally {
      for (const s of sims) await s.stop();
      proc.child.kill('SIGKILL');
      await proc.exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
      await deleteKeys(prefix);
    }
  }, 240_000);
});
