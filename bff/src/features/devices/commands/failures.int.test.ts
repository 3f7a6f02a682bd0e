import {
  startDeviceApp,
  registerDevice,
  startSimulator,
  eventually,
} from '../../../../../test/support/devices';
import { buildOrg, type TestUser } from '../../../../../test/support/builders';
import type { TestApp } from '../../../../../test/support/app';
import type { SimulatedDevice } from '../../../fakes/devices/device';

const API = '/wad/ems/v1/api';
const TIMEOUT_MS = 1500;

describe('device failures answer clearly within the deadline and leave a true record', () => {
  let app: TestApp;
  let admin: TestUser;
  const sims: SimulatedDevice[] = [];

  beforeAll(async () => {
    app = await startDeviceApp('embedded', { env: { DEVICE_RPC_TIMEOUT_MS: String(TIMEOUT_MS) } });
    admin = await buildOrg(app);
  });
  afterAll(async () => {
    for (const s of sims) await s.stop();
    await app.close();
  });

  async function device(opts: Parameters<typeof startSimulator>[3] = {}) {
    const reg = await registerDevice(app, admin);
    const sim = await startSimulator(app, admin, reg, opts);
    sims.push(sim);
    return { ...reg, sim };
  }
  const records = async (uid: string) =>
    (await app.http.get(`${API}/device-commands`).query({ device_uid: uid }).set(admin.auth).expect(200)).body
      .data.items;
  const reset = (uid: string, key?: string) => {
    const req = app.http.post(`${API}/bms-control`).set(admin.auth);
    if (key) req.set('Idempotency-Key', key);
    return req.send({ device_uid: uid, command: 1 });
  };

  it('executes concurrent identical taps with one Idempotency-Key once, and gives each the first answer', async () => {
    const { uid, sim } = await device();
    const answers = await Promise.all(Array.from({ length: 6 }, () => reset(uid, 'tap-0001')));
    const bodies = answers.map((r) => [r.status, r.body, r.headers['x-command-id']]);
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(answers[0]!.status).toBe(200);
    const commands = sim.received.filter((r) => r.method === 'bms.command');
    expect(commands).toHaveLength(1);
    // A later repeat still returns the first result and sends nothing.
    const again = await reset(uid, 'tap-0001').expect(200);
    expect(again.body).toEqual(answers[0]!.body);
    expect(sim.received.filter((r) => r.method === 'bms.command')).toHaveLength(1);
    expect(await records(uid)).toHaveLength(1);
  });

  it('refuses an Idempotency-Key reused for a different request with 409/100009 and sends nothing', async () => {
    const { uid, sim } = await device();
    await reset(uid, 'tap-0002').expect(200);
    const sent = sim.received.length;
    const res = await app.http
      .post(`${API}/bms-control`)
      .set(admin.auth)
      .set('Idempotency-Key', 'tap-0002')
      .send({ device_uid: uid, command: 2 });
    expect([res.status, res.body.code]).toEqual([409, 100009]);
    expect(res.body.message).toContain('Idempotency-Key');
    expect(sim.received.length).toBe(sent);
  });

  it('answers 504/100007 at the deadline when the device stays silent, and records "timed out", not "sent"', async () => {
    const { uid, sim } = await device();
    sim.injectNext('no_answer');
    const started = Date.now();
    const res = await reset(uid);
    const took = Date.now() - started;
    expect([res.status, res.body.code]).toEqual([504, 100007]);
    expect(took).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(took).toBeLessThan(TIMEOUT_MS + 3000); // no hang: answered right after the deadline (generous for a loaded machine)
    const [rec] = await records(uid);
    expect(rec).toMatchObject({
      status: 'timed_out',
      status_name: '超时未应答',
      answered_at: null,
      result: null,
    });
    expect(Date.parse(rec.sent_at)).toBeGreaterThanOrEqual(started - 1000); // it did reach the broker
    expect(sim.executions.size).toBe(0);
  });

  it('keeps a late answer on the timed-out record without changing its status', async () => {
    const { uid, sim } = await device();
    sim.injectNext('late');
    const res = await reset(uid);
    expect(res.status).toBe(504);
    const id = res.headers['x-command-id'] as string;
    const rec = await eventually(async () => {
      const [r] = await records(uid);
      return r.late_response ? r : undefined;
    });
    expect(rec).toMatchObject({ id, status: 'timed_out', late_response: { id, result: { accepted: true } } });
  });

  it('ignores a duplicate answer: one success, the duplicate counted, the command executed once', async () => {
    const { uid, sim } = await device();
    sim.injectNext('duplicate');
    const res = await reset(uid).expect(200);
    const id = res.headers['x-command-id'] as string;
    const rec = await eventually(async () => {
      const [r] = await records(uid);
      return r.duplicate_responses === 1 ? r : undefined;
    });
    expect(rec).toMatchObject({ id, status: 'succeeded', late_response: null });
    expect(sim.executions.get(id)).toBe(1);
  });

  it('answers 409/100005 for an offline device, sends nothing, and records it as not sent', async () => {
    const { uid, sim } = await device();
    await sim.stop();
    await eventually(async () => {
      const res = await app.http.get(`${API}/devices/detail`).query({ device_uid: uid }).set(admin.auth);
      return res.body.data.online === false;
    });
    const res = await reset(uid);
    expect([res.status, res.body.code]).toEqual([409, 100005]);
    const [rec] = await records(uid);
    expect(rec).toMatchObject({ status: 'not_sent_offline', status_name: '未发送：设备离线' });
  });

  it('marks a device offline from its last will when it drops without a goodbye', async () => {
    const { uid, sim } = await device();
    sim.crash();
    await eventually(async () => {
      const res = await app.http.get(`${API}/devices/detail`).query({ device_uid: uid }).set(admin.auth);
      return res.body.data.online === false;
    });
  });

  it('refuses a second state-changing command while one is in flight with 409/100008', async () => {
    const { uid, sim } = await device();
    sim.injectNext('no_answer');
    const first = reset(uid).then((r) => r);
    await eventually(async () => sim.received.length === 1);
    const second = await app.http
      .post(`${API}/bms-control`)
      .set(admin.auth)
      .send({ device_uid: uid, command: 2 });
    expect([second.status, second.body.code]).toEqual([409, 100008]);
    expect((await first).status).toBe(504);
    const recs = await records(uid);
    expect(recs.map((r: { status: string }) => r.status).sort()).toEqual(['not_sent_busy', 'timed_out']);
    expect(sim.received.filter((r) => r.method === 'bms.command')).toHaveLength(1);
  });

  it('finishes a command whose device dropped mid-command: re-sent after the reconnect, executed once', async () => {
    const { uid, sim } = await device({ reconnectAfterMs: 200 });
    sim.bms.raise({ code: 'soc_low', resettable: true });
    sim.injectNext('disconnect');
    const res = await reset(uid);
    expect(res.status).toBe(200);
    const id = res.headers['x-command-id'] as string;
    expect(sim.executions.get(id)).toBe(1);
    expect(sim.received.filter((r) => r.id === id).length).toBeGreaterThanOrEqual(2);
    const [rec] = await records(uid);
    expect(rec).toMatchObject({ status: 'succeeded', readback: { alarm_status: 0 } });
  });

  it('answers a device refusal injected as a fault with its reason', async () => {
    const { uid, sim } = await device();
    sim.injectNext('refuse');
    const res = await reset(uid);
    expect([res.status, res.body.code]).toEqual([409, 100006]);
    expect(res.body.message).toContain('模拟设备拒绝执行');
  });
});
