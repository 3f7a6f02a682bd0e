import {
  startDeviceApp,
  registerDevice,
  startSimulator,
  eventually,
  unique,
} from '../../../../test/support/devices';
import { buildOrg, type TestUser } from '../../../../test/support/builders';
import type { TestApp } from '../../../../test/support/app';
import type { SimulatedDevice } from '../../fakes/devices/device';

const API = '/wad/ems/v1/api';

describe('gateway page data: meters it reports, its last batch, its online history (extension GET /gateways/detail)', () => {
  let app: TestApp;
  let admin: TestUser;
  let other: TestUser;
  const sims: SimulatedDevice[] = [];

  beforeAll(async () => {
    app = await startDeviceApp('embedded');
    admin = await buildOrg(app);
    other = await buildOrg(app);
  }, 120_000);
  afterAll(async () => {
    for (const s of sims) await s.stop();
    await app.close();
  });

  const meterOf = async (user: TestUser, name: string) => {
    const machine = await app.deps.machines.create(user.orgId, {
      name: `${name}机台`,
      department: '动力车间',
      equipmentCode: unique('m'),
      equipmentUnitCode: 'u1',
    });
    return app.deps.meters.create(user.orgId, { name, energyType: 0, machineId: machine.id });
  };
  const detail = (user: TestUser, query: Record<string, string | number>) =>
    app.http.get(`${API}/gateways/detail`).query(query).set(user.auth);

  it('lists each reported meter with its latest kept reading, the last batch with kept and refused counts, and online → offline', async () => {
    const m1 = await meterOf(admin, '空压机电表');
    const m2 = await meterOf(admin, '冷却塔电表');
    const foreign = await meterOf(other, '别家电表');
    const gw = await registerDevice(app, admin, 'gateway', '1# 网关');
    const fresh = await detail(admin, { device_uid: gw.uid }).expect(200);
    expect(fresh.body.data).toMatchObject({ meters: [], last_batch: null, online: false });

    const sim = await startSimulator(app, admin, gw, { kind: 'gateway' });
    sims.push(sim);
    const t0 = Date.now() - 3_600_000;
    await sim.publishBatch({
      readings: [
        { meter: m1.id, ts: t0, total: 100, params: {} },
        { meter: m2.id, ts: t0, total: 50, params: {} },
        { meter: m1.id, ts: t0 + 900_000, total: 110.5, params: {} },
      ],
    });
    const first = await eventually(async () => {
      const res = await detail(admin, { device_uid: gw.uid });
      return res.body.data?.last_batch ? res.body.data : undefined;
    }, 30_000);
    expect(first.last_batch).toMatchObject({ readings: 3, accepted: 3, refused: 0, errors: [] });
    // An online gateway is no EMS controller: a command to it is refused by name and never recorded.
    const notEms = await app.http
      .post(`${API}/bms-control`)
      .set(admin.auth)
      .send({ device_uid: gw.uid, command: 1 })
      .expect(400);
    expect(notEms.body).toMatchObject({ code: 100001 });
    expect(notEms.body.message).toContain('device_uid');
    const commands = await app.http
      .get(`${API}/device-commands`)
      .query({ device_uid: gw.uid })
      .set(admin.auth);
    expect(commands.body.data?.total ?? 0).toBe(0);
    expect(first.meters).toEqual([
      expect.objectContaining({
        meter_id: m1.id,
        name: '空压机电表',
        energy_type: 0,
        last_reading_at: new Date(t0 + 900_000).toISOString(),
        last_total: 110.5,
      }),
      expect.objectContaining({
        meter_id: m2.id,
        last_reading_at: new Date(t0).toISOString(),
        last_total: 50,
      }),
    ]);

    // Second batch: another organization's meter is refused (not this gateway's meter); a late reading of
    // m1 does not move its latest reading back; m2 moves on.
    await sim.publishBatch({
      readings: [
        { meter: foreign.id, ts: t0 + 1_800_000, total: 9, params: {} },
        { meter: m1.id, ts: t0 + 300_000, total: 103, params: {} },
        { meter: m2.id, ts: t0 + 1_800_000, total: 60, params: {} },
      ],
    });
    const second = await eventually(async () => {
      const res = await detail(admin, { device_uid: gw.uid });
      return res.body.data?.last_batch?.refused === 1 ? res.body.data : undefined;
    }, 30_000);
    expect(second.last_batch).toMatchObject({ readings: 3, accepted: 2, refused: 1 });
    expect(second.last_batch.errors).toEqual([expect.objectContaining({ index: 0, field: 'meter' })]);
    expect(second.meters.map((m: { meter_id: number }) => m.meter_id)).toEqual([m1.id, m2.id]);
    expect(second.meters[0]).toMatchObject({ last_reading_at: new Date(t0 + 900_000).toISOString() });
    expect(second.meters[1]).toMatchObject({ last_total: 60 });

    // Presence: the simulator went online, then says goodbye.
    await sim.stop();
    sims.pop();
    const history = await eventually(async () => {
      await app.platform.settle();
      const res = await detail(admin, { device_uid: gw.uid });
      const h = res.body.data?.online_history as { online: boolean; at: string }[] | undefined;
      return h && h.length >= 2 ? h : undefined;
    }, 30_000);
    expect(history.map((h) => h.online)).toEqual([false, true]);
    expect(Date.parse(history[0]!.at)).toBeGreaterThanOrEqual(Date.parse(history[1]!.at));
    // Events are delivered at least once: a re-delivery adds no row.
    await app.platform.settle();
    const limited = await detail(admin, { device_uid: gw.uid, history_limit: 1 }).expect(200);
    expect(limited.body.data.online_history).toEqual([history[0]]);
    const all = await detail(admin, { device_uid: gw.uid, history_limit: 100 }).expect(200);
    expect(all.body.data.online_history).toHaveLength(2);
  }, 120_000);

  it('answers another organization’s gateway and unknown uids as missing, an EMS controller and bad input with 400 naming the field', async () => {
    const gw = await registerDevice(app, admin, 'gateway');
    const ems = await registerDevice(app, admin, 'ems');
    const theirs = await detail(other, { device_uid: gw.uid });
    expect([theirs.status, theirs.body.code]).toEqual([404, 100004]);
    expect(JSON.stringify(theirs.body)).not.toContain('网关');
    const unknown = await detail(admin, { device_uid: unique('gateway') });
    expect([unknown.status, unknown.body.code]).toEqual([404, 100004]);
    const notGateway = await detail(admin, { device_uid: ems.uid });
    expect([notGateway.status, notGateway.body.code]).toEqual([400, 100001]);
    expect(notGateway.body.message).toContain('device_uid');
    for (const [query, field] of [
      [{}, 'device_uid'],
      [{ device_uid: gw.uid, history_limit: 0 }, 'history_limit'],
      [{ device_uid: gw.uid, history_limit: 101 }, 'history_limit'],
      [{ device_uid: gw.uid, history_limit: 'abc' }, 'history_limit'],
      [{ device_uid: gw.uid, extra: 1 }, 'extra'],
    ] as const) {
      const res = await detail(admin, query);
      expect([res.status, res.body.code]).toEqual([400, 100001]);
      expect(res.body.message).toContain(field);
    }
    const anonymous = await app.http.get(`${API}/gateways/detail`).query({ device_uid: gw.uid });
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 100002]);
  });
});
