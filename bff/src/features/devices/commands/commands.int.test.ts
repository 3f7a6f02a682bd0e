import { eq, sql } from 'drizzle-orm';
import { platformEvents } from '../../../platform/tables';
import { deviceCommands, devices } from '../tables';
import { startDeviceApp, registerDevice, startSimulator } from '../../../../../test/support/devices';
import { buildMember, buildOrg, type TestUser } from '../../../../../test/support/builders';
import type { TestApp } from '../../../../../test/support/app';
import type { SimulatedDevice } from '../../../fakes/devices/device';

const API = '/wad/ems/v1/api';

describe('seed 000/001 commands relayed through the embedded broker', () => {
  let app: TestApp;
  let admin: TestUser;
  const sims: SimulatedDevice[] = [];

  beforeAll(async () => {
    app = await startDeviceApp('embedded');
    admin = await buildOrg(app);
  }, 120_000); // PGlite migrations + a broker worker take longer than 30 s on a loaded 2-core machine
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
  const history = async (uid: string, who = admin) =>
    (await app.http.get(`${API}/device-commands`).query({ device_uid: uid }).set(who.auth).expect(200)).body
      .data;

  it('fault reset reaches the BMS, clears its resettable alarms, and the read-back and record show it', async () => {
    const { uid, sim } = await device();
    sim.bms.raise({ code: 'cell_overvoltage', resettable: true });
    sim.bms.raise({ code: 'insulation', resettable: true });
    const res = await app.http
      .post(`${API}/bms-control`)
      .set(admin.auth)
      .send({ device_uid: uid, command: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      code: 0,
      message: 'BMS控制下发成功',
      data: '故障复位已执行；回读：报警 0 个，运行状态 2（静置）',
    });
    expect(sim.bms.status(Date.now()).alarm_status).toBe(0);
    const stored = await app.http
      .get(`${API}/bms-control`)
      .query({ device_uid: uid })
      .set(admin.auth)
      .expect(200);
    expect(stored.body.data).toEqual({ device_uid: uid, alarm_status: 0, operating_status: 2 });
    const h = await history(uid);
    expect(h.total).toBe(1);
    expect(h.items[0]).toMatchObject({
      id: res.headers['x-command-id'],
      method: 'bms.command',
      operation: '故障复位',
      params: { command: 1 },
      status: 'succeeded',
      user_id: admin.id,
      result: { accepted: true },
      readback: { alarm_status: 0, operating_status: 2 },
      duplicate_responses: 0,
    });
    expect(h.items[0].ip).toBeTruthy();
    expect([...sim.executions.values()]).toEqual([1, 1]); // the command and the read-back, once each
    // The read-back is its own complete record, the request the device executed.
    const [child, ...more] = await app.deps.db
      .select()
      .from(deviceCommands)
      .where(eq(deviceCommands.parentId, res.headers['x-command-id'] as string));
    expect(more).toEqual([]);
    expect(child).toMatchObject({
      method: 'bms.status',
      params: {},
      status: 'succeeded',
      stateChanging: false,
      userId: admin.id,
      result: { alarm_status: 0, operating_status: 2 },
    });
    expect(child!.completedAt).toBeInstanceOf(Date);
    expect(child!.sentAt).toBeInstanceOf(Date);
    expect(sim.executions.get(child!.id)).toBe(1);
  });

  it('announces each ended command once, in the statement that ends it: completions, read-back and device state', async () => {
    const { uid, sim } = await device();
    const [{ id: deviceId } = { id: 0 }] = await app.deps.db
      .select({ id: devices.id })
      .from(devices)
      .where(eq(devices.deviceUid, uid));
    sim.bms.raise({ code: 'cell_overvoltage', resettable: true });
    const events = async () =>
      (
        await app.deps.db
          .select({ type: platformEvents.type, orgId: platformEvents.orgId, payload: platformEvents.payload })
          .from(platformEvents)
          .where(
            sql`${platformEvents.payload}->>'deviceUid' = ${uid}
                and ${platformEvents.type} in ('device.command.completed', 'device.telemetry')`,
          )
          // Events of one statement have no order among themselves: sort them by what they announce.
          .orderBy(platformEvents.txId, platformEvents.type, sql`${platformEvents.payload}->>'method'`)
      ).map((e) => ({ ...e, payload: e.payload as Record<string, unknown> }));
    const reset = await app.http
      .post(`${API}/bms-control`)
      .set(admin.auth)
      .send({ device_uid: uid, command: 1 })
      .expect(200);
    const commandId = reset.headers['x-command-id'] as string;
    const [child] = await app.deps.db
      .select()
      .from(deviceCommands)
      .where(eq(deviceCommands.parentId, commandId));
    const afterReset = await events();
    // The read-back's statement completes both records and stores the state it read, each announced once.
    expect(afterReset.map((e) => [e.type, e.payload['commandId'] ?? null])).toEqual([
      ['device.command.completed', commandId],
      ['device.command.completed', child!.id],
      ['device.telemetry', null],
    ]);
    for (const e of afterReset) expect(e.orgId).toBe(admin.orgId);
    expect(afterReset[0]!.payload).toEqual({
      commandId,
      deviceId,
      deviceUid: uid,
      method: 'bms.command',
      outcome: 'succeeded',
      userId: admin.id,
      readback: { alarm_status: 0, operating_status: 2 },
    });
    expect(afterReset[1]!.payload).toEqual({
      commandId: child!.id,
      deviceId,
      deviceUid: uid,
      method: 'bms.status',
      outcome: 'succeeded',
      userId: admin.id,
    });
    expect(afterReset[2]!.payload).toMatchObject({
      deviceId,
      deviceUid: uid,
      kind: 'ems',
      bms: { alarm_status: 0, operating_status: 2 },
      data: { alarm_status: 0, operating_status: 2 },
    });
    const set = await app.http
      .post(`${API}/reactive-power-control`)
      .set(admin.auth)
      .send({ device_uid: uid, phase_min_power_factor_a: 0.95, period: 1000, step: 0.05, mode: 1 })
      .expect(200);
    const afterSet = (await events()).slice(afterReset.length);
    expect(afterSet.map((e) => e.type)).toEqual(['device.command.completed', 'device.telemetry']);
    expect(afterSet[0]!.payload).toEqual({
      commandId: set.headers['x-command-id'],
      deviceId,
      deviceUid: uid,
      method: 'reactive.set',
      outcome: 'succeeded',
      userId: admin.id,
    });
    expect(afterSet[1]!.payload['data']).toMatchObject({ phase_min_power_factor_a: 0.95, mode: 1 });
    // A refused command ends with its completion, no read-back and no device state.
    const charging = await device({ cycle: [{ ms: 3_600_000, flow: 'charge' }] });
    await app.http
      .post(`${API}/bms-control`)
      .set(admin.auth)
      .send({ device_uid: charging.uid, command: 3 })
      .expect(409);
    const refused = await app.deps.db
      .select({ type: platformEvents.type, payload: platformEvents.payload })
      .from(platformEvents)
      .where(
        sql`${platformEvents.payload}->>'deviceUid' = ${charging.uid} and ${platformEvents.type} <> 'device.status'`,
      );
    expect(refused).toEqual([
      {
        type: 'device.command.completed',
        payload: expect.objectContaining({ method: 'bms.command', outcome: 'refused' }),
      },
    ]);
  });

  it('refuses to open the contactor while charging and answers with the device reason; the record says refused', async () => {
    const { uid, sim } = await device({ cycle: [{ ms: 3_600_000, flow: 'charge' }] });
    const res = await app.http
      .post(`${API}/bms-control`)
      .set(admin.auth)
      .send({ device_uid: uid, command: 3 });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe(100006);
    expect(res.body.message).toBe('设备拒绝执行接触器断开：电池正在充电，禁止断开接触器');
    expect(sim.bms.status(Date.now()).operating_status).toBe(3);
    const [rec] = (await history(uid)).items;
    expect(rec).toMatchObject({
      status: 'refused',
      error: { code: 3 },
      readback: null,
      operation: '接触器断开',
    });
  });

  it('sets reactive power, answers what the device applies, and GET serves it without asking the device', async () => {
    const { uid, sim } = await device();
    const body = { device_uid: uid, phase_min_power_factor_a: 0.92, period: 1000, step: 0.05, mode: 2 };
    const res = await app.http.post(`${API}/reactive-power-control`).set(admin.auth).send(body).expect(200);
    expect(res.body.message).toBe('无功治理控制下发成功');
    expect(res.body.data).toBe('下发无功治理控制已生效：模式 2（感性），A相最低功率因数 0.92');
    expect(sim.reactive.current()).toMatchObject({
      phase_min_power_factor_a: 0.92,
      phase_min_power_factor_b: 0.92,
      mode: 2,
    });
    const before = sim.received.length;
    const got = await app.http
      .get(`${API}/reactive-power-control`)
      .query({ device_uid: uid })
      .set(admin.auth)
      .expect(200);
    expect(got.body.data).toMatchObject({
      device_uid: uid,
      phase_min_power_factor_a: 0.92,
      period: 1000,
      mode: 2,
    });
    expect(sim.received.length).toBe(before);
  });

  it('sync asks the device, stores and answers its state', async () => {
    const { uid, sim } = await device();
    await app.http.get(`${API}/bms-control`).query({ device_uid: uid }).set(admin.auth).expect(404);
    sim.bms.raise({ code: 'bmu_lost', resettable: false });
    const res = await app.http
      .put(`${API}/bms-control/sync`)
      .query({ device_uid: uid })
      .set(admin.auth)
      .expect(200);
    expect(res.body).toEqual({
      code: 0,
      message: 'BMS状态同步成功',
      data: { device_uid: uid, alarm_status: 1, operating_status: 1 },
    });
    const got = await app.http
      .get(`${API}/bms-control`)
      .query({ device_uid: uid })
      .set(admin.auth)
      .expect(200);
    expect(got.body.data).toEqual(res.body.data);
    const r = await app.http
      .put(`${API}/reactive-power-control/sync`)
      .query({ device_uid: uid })
      .set(admin.auth)
      .expect(200);
    expect(r.body.message).toBe('无功治理同步成功');
    expect(r.body.data).toMatchObject({ device_uid: uid, phase_min_power_factor_a: 0.9, mode: 1 });
  });

  it('a fault reset leaves non-resettable alarms, and the read-back says so', async () => {
    const { uid, sim } = await device();
    sim.bms.raise({ code: 'cell_overtemp', resettable: true });
    sim.bms.raise({ code: 'bmu_lost', resettable: false });
    const res = await app.http
      .post(`${API}/bms-control`)
      .set(admin.auth)
      .send({ device_uid: uid, command: 1 })
      .expect(200);
    expect(res.body.data).toBe('故障复位已执行；回读：报警 1 个，运行状态 1（下电）');
  });

  it('rejects every malformed request with 400/100001 naming the field, and sends nothing', async () => {
    const { uid, sim } = await device();
    const bad: Array<[string, Record<string, unknown>, string]> = [
      ['/bms-control', { device_uid: uid }, 'command'],
      ['/bms-control', { device_uid: uid, command: 4 }, 'command'],
      ['/bms-control', { device_uid: uid, command: '1' }, 'command'],
      ['/bms-control', { command: 1 }, 'device_uid'],
      ['/bms-control', { device_uid: '', command: 1 }, 'device_uid'],
      ['/bms-control', { device_uid: 'a/b#', command: 1 }, 'device_uid'],
      ['/bms-control', { device_uid: uid, command: 1, extra: 1 }, 'extra'],
      ['/reactive-power-control', { device_uid: uid, mode: 1 }, 'phase_min_power_factor_a'],
      [
        '/reactive-power-control',
        { device_uid: uid, phase_min_power_factor_a: 1.2, mode: 1 },
        'phase_min_power_factor_a',
      ],
      ['/reactive-power-control', { device_uid: uid, phase_min_power_factor_a: 0.9, mode: 3 }, 'mode'],
      ['/reactive-power-control', { device_uid: uid, phase_min_power_factor_a: 0.9 }, 'mode'],
      [
        '/reactive-power-control',
        { device_uid: uid, phase_min_power_factor_a: 0.9, phase_min_power_factor_b: -0.1, mode: 1 },
        'phase_min_power_factor_b',
      ],
      [
        '/reactive-power-control',
        { device_uid: uid, phase_min_power_factor_a: 0.9, phase_power_factor_hysteresis_c: 2, mode: 1 },
        'phase_power_factor_hysteresis_c',
      ],
      [
        '/reactive-power-control',
        { device_uid: uid, phase_min_power_factor_a: 0.9, period: 500.5, mode: 1 },
        'period',
      ],
      [
        '/reactive-power-control',
        { device_uid: uid, phase_min_power_factor_a: 0.9, period: 0, mode: 1 },
        'period',
      ],
      [
        '/reactive-power-control',
        { device_uid: uid, phase_min_power_factor_a: 0.9, step: 0, mode: 1 },
        'step',
      ],
      [
        '/reactive-power-control',
        { device_uid: uid, phase_min_power_factor_a: '0.9', mode: 1 },
        'phase_min_power_factor_a',
      ],
    ];
    for (const [path, body, field] of bad) {
      const res = await app.http.post(`${API}${path}`).set(admin.auth).send(body);
      expect({ path, body, status: res.status, code: res.body.code }).toEqual({
        path,
        body,
        status: 400,
        code: 100001,
      });
      expect(res.body.message).toContain(field);
    }
    await app.http.get(`${API}/bms-control`).set(admin.auth).expect(400);
    await app.http
      .put(`${API}/bms-control/sync`)
      .query({ device_uid: uid, x: 1 })
      .set(admin.auth)
      .expect(400);
    const badJson = await app.http
      .post(`${API}/bms-control`)
      .set(admin.auth)
      .set('content-type', 'application/json')
      .send('{"device_uid":');
    expect(badJson.body.code).toBe(100001);
    const badKey = await app.http
      .post(`${API}/bms-control`)
      .set(admin.auth)
      .set('Idempotency-Key', 'a b')
      .send({ device_uid: uid, command: 1 });
    expect(badKey.status).toBe(400);
    expect(badKey.body.message).toContain('Idempotency-Key');
    expect(sim.received).toEqual([]);
    expect((await history(uid)).total).toBe(0);
  });

  it('lets viewers control nothing, and separates fault reset, contactor and reactive permissions', async () => {
    const { uid, sim } = await device();
    const viewer = await buildMember(app, admin, 'viewer');
    const operator = await buildMember(app, admin, 'operator');
    const reactive = { device_uid: uid, phase_min_power_factor_a: 0.9, mode: 1 };
    for (const command of [1, 2, 3]) {
      const r = await app.http.post(`${API}/bms-control`).set(viewer.auth).send({ device_uid: uid, command });
      expect([r.status, r.body.code]).toEqual([403, 100003]);
    }
    const rv = await app.http.post(`${API}/reactive-power-control`).set(viewer.auth).send(reactive);
    expect([rv.status, rv.body.code]).toEqual([403, 100003]);
    expect(sim.received).toEqual([]);
    // Viewers may still read and sync.
    await app.http.put(`${API}/bms-control/sync`).query({ device_uid: uid }).set(viewer.auth).expect(200);
    await app.http.get(`${API}/bms-control`).query({ device_uid: uid }).set(viewer.auth).expect(200);
    // Operators: fault reset and reactive yes, contactor no (admin-only unless granted).
    await app.http
      .post(`${API}/bms-control`)
      .set(operator.auth)
      .send({ device_uid: uid, command: 1 })
      .expect(200);
    await app.http.post(`${API}/reactive-power-control`).set(operator.auth).send(reactive).expect(200);
    const rc = await app.http
      .post(`${API}/bms-control`)
      .set(operator.auth)
      .send({ device_uid: uid, command: 2 });
    expect(rc.status).toBe(403);
    expect(rc.body.message).toContain('device.bms.contactor');
    const granted = await buildMember(app, admin, 'operator', ['device.bms.contactor']);
    await app.http
      .post(`${API}/bms-control`)
      .set(granted.auth)
      .send({ device_uid: uid, command: 2 })
      .expect(200);
    await app.http.post(`${API}/bms-control`).send({ device_uid: uid, command: 1 }).expect(401);
  });

  it("answers another organization's device as not found, for every endpoint, and sends nothing", async () => {
    const { uid, sim } = await device();
    const other = await buildOrg(app);
    const calls = [
      app.http.post(`${API}/bms-control`).set(other.auth).send({ device_uid: uid, command: 1 }),
      app.http
        .post(`${API}/reactive-power-control`)
        .set(other.auth)
        .send({ device_uid: uid, phase_min_power_factor_a: 0.9, mode: 1 }),
      app.http.get(`${API}/bms-control`).query({ device_uid: uid }).set(other.auth),
      app.http.get(`${API}/reactive-power-control`).query({ device_uid: uid }).set(other.auth),
      app.http.put(`${API}/bms-control/sync`).query({ device_uid: uid }).set(other.auth),
      app.http.put(`${API}/reactive-power-control/sync`).query({ device_uid: uid }).set(other.auth),
      app.http.get(`${API}/device-commands`).query({ device_uid: uid }).set(other.auth),
    ];
    for (const res of await Promise.all(calls)) expect([res.status, res.body.code]).toEqual([404, 100004]);
    expect(sim.received).toEqual([]);
  });
});
