import crypto from 'node:crypto';
import {
  startDeviceApp,
  registerDevice,
  startSimulator,
  eventually,
  unique,
} from '../../../../../test/support/devices';
import { buildOrg, type TestUser } from '../../../../../test/support/builders';
import { openTestDatabase, type TestApp } from '../../../../../test/support/app';
import type { Database } from '../../../infra/db/client';
import { SimulatedDevice } from '../../../fakes/devices/device';
import { EmbeddedBroker } from '../../../infra/mqtt/broker';

const API = '/wad/ems/v1/api';

/** Two apps that are two instances of one deployment: one database, one Redis prefix, one topic root. */
function cluster(database: Database) {
  const shared = { REDIS_KEY_PREFIX: `wdtest:${crypto.randomUUID()}:` };
  const topicRoot = unique('wdt');
  return (instanceId: string, env: Record<string, string> = {}) =>
    startDeviceApp('mosquitto', { database, topicRoot, instanceId, env: { ...shared, ...env } });
}

const history = async (app: TestApp, admin: TestUser, uid: string) =>
  (await app.http.get(`${API}/device-commands`).query({ device_uid: uid }).set(admin.auth).expect(200)).body
    .data.items;

describe("this machine's Mosquitto", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it('relays a fault reset round trip through Mosquitto', async () => {
    const app = await cluster(database)(unique('one'));
    try {
      const admin = await buildOrg(app);
      const reg = await registerDevice(app, admin);
      const sim = await startSimulator(app, admin, reg);
      sim.bms.raise({ code: 'cell_overvoltage', resettable: true });
      const res = await app.http
        .post(`${API}/bms-control`)
        .set(admin.auth)
        .send({ device_uid: reg.uid, command: 1 })
        .expect(200);
      expect(res.body.data).toBe('故障复位已执行；回读：报警 0 个，运行状态 2（静置）');
      await sim.stop();
    } finally {
      await app.close();
    }
  });

  it('runs two instances on one broker and one Redis: each answer reaches the instance that asked, each gateway batch reaches the metering ingest once', async () => {
    const start = cluster(database);
    const a = await start(unique('a'));
    const b = await start(unique('b'));
    const sims: SimulatedDevice[] = [];
    try {
      const admin = await buildOrg(a);
      // What the broker hands each instance (every message on its subscriptions, as the ingress sees it).
      const seen: Record<'a' | 'b', string[]> = { a: [], b: [] };
      for (const [name, app] of [
        ['a', a],
        ['b', b],
      ] as const)
        app.deps.devices.bus!.onMessage((m) => seen[name].push(`${m.topic} ${m.payload.toString('utf8')}`));
      // Each instance's readings go to its real metering ingest, observed on the way in.
      const got: string[] = [];
      const accepted: number[] = [];
      const spy = (name: string, app: TestApp) => ({
        ingestGatewayReadings: async (input: { orgId: number; readings: Array<{ ts: number }> }) => {
          got.push(`${name}:${input.readings[0]!.ts}`);
          const result = await app.deps.ingest.ingest(input.orgId, input.readings, 'mqtt');
          accepted.push(result.accepted);
          return result;
        },
      });
      a.deps.devices.setReadingsSink(spy('a', a));
      b.deps.devices.setReadingsSink(spy('b', b));
      const machine = await a.deps.machines.create(admin.orgId, {
        name: '空压机',
        department: '动力车间',
        equipmentCode: unique('m'),
        equipmentUnitCode: 'u1',
      });
      const meter = await a.deps.meters.create(admin.orgId, {
        name: '空压机电表',
        energyType: 0,
        machineId: machine.id,
      });
      const devices = await Promise.all([1, 2, 3, 4].map(() => registerDevice(a, admin)));
      for (const d of devices) sims.push(await startSimulator(a, admin, d));
      // Commands alternate between the instances; every one must get its own device's answer.
      const answers = await Promise.all(
        devices.flatMap((d, i) => [
          (i % 2 ? a : b).http.put(`${API}/bms-control/sync`).query({ device_uid: d.uid }).set(admin.auth),
          (i % 2 ? b : a).http
            .post(`${API}/reactive-power-control`)
            .set(admin.auth)
            .send({ device_uid: d.uid, phase_min_power_factor_a: 0.8 + i / 100, mode: 1 }),
        ]),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
      expect(answers.filter((_, i) => i % 2 === 0).map((r) => r.body.data.device_uid)).toEqual(
        devices.map((d) => d.uid),
      );
      // The same repeated tap sent to both instances at once still executes once.
      const [t1, t2] = await Promise.all(
        [a, b].map((app) =>
          app.http
            .post(`${API}/bms-control`)
            .set(admin.auth)
            .set('Idempotency-Key', 'both-instances')
            .send({ device_uid: devices[0]!.uid, command: 1 }),
        ),
      );
      expect(t1!.body).toEqual(t2!.body);
      expect(sims[0]!.received.filter((r) => r.method === 'bms.command')).toHaveLength(1);
      // Gateway readings: 10 batches, each handed to exactly one instance's ingest.
      const gw = await registerDevice(a, admin, 'gateway');
      const gateway = await startSimulator(a, admin, gw, {
        kind: 'gateway',
        meters: [{ meter: meter.id, kw: 30 }],
      });
      sims.push(gateway);
      for (let i = 0; i < 10; i++) {
        await gateway.publishReadings();
        await new Promise((r) => setTimeout(r, 2));
      }
      await eventually(async () => accepted.length >= 10);
      await new Promise((r) => setTimeout(r, 300)); // time for any second copy to (wrongly) arrive
      expect(got).toHaveLength(10);
      expect(new Set(got.map((g) => g.split(':')[1])).size).toBe(10);
      expect(accepted).toEqual(Array(10).fill(1));

      // Telemetry from every device: through the shared subscription, each message reaches one instance.
      // (2 ms apart: a telemetry payload carries its ms timestamp, so two in one ms would look alike.)
      for (let i = 0; i < 5; i++)
        for (const sim of sims.slice(0, 4)) {
          await sim.publishTelemetry();
          await new Promise((r) => setTimeout(r, 2));
        }
      const kinds = (name: 'a' | 'b', kind: string) =>
        seen[name].filter((m) => m.split(' ')[0]!.endsWith(kind));
      await eventually(async () => kinds('a', '/telemetry').length + kinds('b', '/telemetry').length >= 20);
      await new Promise((r) => setTimeout(r, 300));
      for (const kind of ['/telemetry', '/readings', '/rpc/response']) {
        const all = [...kinds('a', kind), ...kinds('b', kind)];
        // Exactly once: no message was handed to both instances (or twice to one).
        expect(new Set(all).size).toBe(all.length);
      }
      expect(kinds('a', '/telemetry').length + kinds('b', '/telemetry').length).toBe(20);
      expect(kinds('a', '/readings').length + kinds('b', '/readings').length).toBe(10);
      // Both instances took part (the broker spreads the group's messages).
      expect(kinds('a', '/telemetry').length).toBeGreaterThan(0);
      expect(kinds('b', '/telemetry').length).toBeGreaterThan(0);
      // No answer was counted twice: every record shows 0 duplicates.
      for (const d of devices)
        for (const r of await history(a, admin, d.uid)) expect(r.duplicate_responses).toBe(0);

      // Presence is right on both instances; a device leaving goes offline on both.
      const online = async (app: TestApp, uid: string) =>
        (await app.http.get(`${API}/devices/detail`).query({ device_uid: uid }).set(admin.auth)).body.data
          .online;
      for (const app of [a, b]) for (const d of devices) expect(await online(app, d.uid)).toBe(true);
      await sims[3]!.stop();
      await eventually(async () => (await online(a, devices[3]!.uid)) === false);
      expect(await online(b, devices[3]!.uid)).toBe(false);
    } finally {
      for (const s of sims) await s.stop();
      await a.close();
      await b.close();
    }
  });

  it('keeps an answer that arrives while the BFF restarts: its persistent session delivers it after the restart', async () => {
    const start = cluster(database);
    const instance = unique('restart');
    const first = await start(instance, { DEVICE_RPC_TIMEOUT_MS: '6000' });
    const admin = await buildOrg(first);
    const reg = await registerDevice(first, admin);
    const sim = await startSimulator(first, admin, reg, { answerDelayMs: 1200 });
    try {
      const pending = first.http
        .post(`${API}/bms-control`)
        .set(admin.auth)
        .send({ device_uid: reg.uid, command: 1 })
        .then((r) => r);
      await eventually(async () => sim.received.length === 1);
      const id = sim.received[0]!.id;
      await first.deps.devices.bus!.crash(); // the process "dies" without unsubscribing
      await first.close();
      expect((await pending).status).toBe(500);
      await new Promise((r) => setTimeout(r, 1500)); // the device answers while no BFF is connected
      const second = await start(instance, { DEVICE_RPC_TIMEOUT_MS: '6000' });
      try {
        const rec = await eventually(async () => {
          const [r] = await history(second, admin, reg.uid);
          return r.status !== 'sent' && r.status !== 'pending' ? r : undefined;
        });
        expect(rec).toMatchObject({ id, status: 'succeeded', result: { accepted: true } });
        expect(sim.executions.get(id)).toBe(1);
      } finally {
        await second.close();
      }
    } finally {
      await sim.stop();
    }
  });
});

describe('embedded broker restart mid-command', () => {
  it('delivers the answer after the broker comes back (sessions kept in Redis) and records success', async () => {
    const app = await startDeviceApp('embedded', { env: { DEVICE_RPC_TIMEOUT_MS: '6000' } });
    let broker: EmbeddedBroker | null = null;
    const admin = await buildOrg(app);
    const reg = await registerDevice(app, admin);
    const sim = await startSimulator(app, admin, reg, { answerDelayMs: 300 });
    try {
      const port = app.deps.devices.broker!.port;
      const pending = app.http
        .post(`${API}/bms-control`)
        .set(admin.auth)
        .send({ device_uid: reg.uid, command: 1 })
        .then((r) => r);
      await eventually(async () => sim.received.length === 1);
      await app.deps.devices.broker!.close();
      await new Promise((r) => setTimeout(r, 500)); // the device executes and answers into a dead link
      broker = await EmbeddedBroker.start({
        port,
        redis: { url: app.config.REDIS_URL, keyPrefix: `${app.config.REDIS_KEY_PREFIX}mqtt:` },
        decide: (req) => app.deps.devices.registry.decideConnect(req),
        log: app.deps.log,
      });
      const res = await pending;
      expect(res.status).toBe(200);
      const id = res.headers['x-command-id'] as string;
      expect(sim.executions.get(id)).toBe(1);
      const [rec] = await history(app, admin, reg.uid);
      expect(rec).toMatchObject({ id, status: 'succeeded' });
    } finally {
      await sim.stop();
      await broker?.close();
      await app.close();
    }
  });
});
