import { sql } from 'drizzle-orm';
import { ManualClock } from '../../infra/clock';
import { sqlRows } from '../../infra/db/rows';
import type { FakeIsolarCloud } from '../../fakes/isolarcloud/server';
import { fakePlant } from '../../fakes/isolarcloud/state';
import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildMember, buildOrg, type TestUser } from '../../../../test/support/builders';
import { connectLegacy, connectOAuth, startTestIsolarCloud } from '../../../../test/support/isolarcloud';
import { JOB_REFRESH_DUE } from './service';

jest.setTimeout(120_000);

// 2026-06-21 04:02 UTC = 12:02 in Hefei: midday, the sun high.
const T0 = Date.parse('2026-06-21T04:02:00Z');
const FIVE_MIN = 300_000;
let clock: ManualClock;
let fake: FakeIsolarCloud;
let app: TestApp;
let admin: TestUser;

beforeAll(async () => {
  clock = new ManualClock(new Date(T0));
  const started = await startTestIsolarCloud(clock);
  fake = started.fake;
  app = await startTestApp({ clock, env: started.env });
  admin = await buildOrg(app);
  const connected = await connectOAuth(app, fake, admin);
  // The first refresh ran before the connect answered.
  expect(connected.body.Data[0]).toMatchObject({
    Connected: 1,
    Auth_Mode: 'oauth',
    Plant_Count: 3,
    Last_Error: null,
  });
  await app.platform.settle();
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

type Plant = Record<string, unknown> & { Ps_Id: number; Ps_Name: string };
const plants = async (user: TestUser, q: Record<string, unknown> = {}) =>
  (await app.http.get('/api_3/pv_plants').set(user.auth).query(q).expect(200)).body as {
    Err_No: string;
    Data: Plant[];
    Total_Numbers: number;
  };

describe('GET /api_3/pv_plants', () => {
  it('lists the authorised plants with live figures right after connecting, the faulty one first', async () => {
    const body = await plants(admin);
    expect(body.Err_No).toBe('0');
    expect(body.Total_Numbers).toBe(3);
    const [first, ...rest] = body.Data;
    expect(first).toMatchObject({ Ps_Name: '三号仓库屋顶光伏', Fault_Status: 1, Fault_Status_Name: '故障' });
    expect(rest.every((p) => p.Fault_Status === 3)).toBe(true);
    for (const p of body.Data) {
      expect(p.Power_kW).toBeGreaterThan(0); // midday in June
      expect(p.Today_kWh).toBeGreaterThan(0);
      expect(p.Total_kWh as number).toBeGreaterThan(p.Today_kWh as number);
      expect(p.Updated_At).toBe('2026-06-21 12:02:00');
    }
    const storage = body.Data.find((p) => p.Ps_Type === 12)!;
    expect(storage).toMatchObject({ Ps_Type_Name: '工商业储能电站', Soc: expect.any(Number) });
    const pv = body.Data.find((p) => p.Ps_Name === '一号厂房屋顶分布式光伏')!;
    // Latitude and longitude by field name (seed 003's table swaps their descriptions).
    expect(pv).toMatchObject({
      Soc: null,
      Latitude: 31.8206,
      Longitude: 117.2272,
      Ps_Type_Name: '分布式光伏电站',
    });
  });

  it('pages and filters by name (contains)', async () => {
    const page2 = await plants(admin, { Per_Page_Counts: 2, Page_Counts: 2 });
    expect(page2.Total_Numbers).toBe(3);
    expect(page2.Data).toHaveLength(1);
    const named = await plants(admin, { Ps_Name: '储能' });
    expect(named.Data.map((p) => p.Ps_Name)).toEqual(['园区工商业储能电站']);
  });

  it('refuses bad input naming the field, and shows another organization nothing', async () => {
    const bad = await app.http
      .get('/api_3/pv_plants')
      .set(admin.auth)
      .query({ Per_Page_Counts: 'x' })
      .expect(400);
    expect(bad.body).toMatchObject({ Err_No: '4103', Err_Detail: { field: 'Per_Page_Counts' } });
    await app.http.get('/api_3/pv_plants').set(admin.auth).query({ Nope: 1 }).expect(400);
    const id = await app.http
      .get('/api_3/pv_plant_detail')
      .set(admin.auth)
      .query({ Ps_Id: 'abc' })
      .expect(400);
    expect(id.body.Err_Detail).toMatchObject({ field: 'Ps_Id' });
    await app.http.get('/api_3/pv_plant_detail').set(admin.auth).query({ Ps_Id: 123 }).expect(404);
    const other = await buildOrg(app);
    expect((await plants(other)).Total_Numbers).toBe(0);
    const pv = (await plants(admin)).Data[0]!;
    await app.http.get('/api_3/pv_plant_detail').set(other.auth).query({ Ps_Id: pv.Ps_Id }).expect(404);
    const st = await app.http.get('/api_3/pv_connection').set(other.auth).expect(200);
    expect(st.body.Data[0]).toMatchObject({ Connected: 0, Status_Text: '未连接' });
  });
});

describe('the 5-minute refresh job', () => {
  it('refreshes once per 5-minute slot however often it ticks, and draws today’s curve from the samples', async () => {
    const before = fake.state.calls.realtime ?? 0;
    const devicesBefore = fake.state.calls.devices ?? 0;
    await app.platform.runCron(JOB_REFRESH_DUE); // same slot as the connect's refresh: nothing fetched
    expect(fake.state.calls.realtime ?? 0).toBe(before);
    clock.advance(FIVE_MIN);
    await app.platform.runCron(JOB_REFRESH_DUE);
    await app.platform.runCron(JOB_REFRESH_DUE);
    expect(fake.state.calls.realtime).toBe(before + 1);
    clock.advance(FIVE_MIN);
    await app.platform.runCron(JOB_REFRESH_DUE);
    expect(fake.state.calls.realtime).toBe(before + 2);
    // Inside the hour only the faulty plant's devices are fetched again (quota), the others come from the store.
    expect((fake.state.calls.devices ?? 0) - devicesBefore).toBe(2);

    const faulty = (await plants(admin)).Data[0]!;
    const detail = await app.http
      .get('/api_3/pv_plant_detail')
      .set(admin.auth)
      .query({ Ps_Id: String(faulty.Ps_Id) })
      .expect(200);
    const d = detail.body.Data[0];
    expect(d.Power_Curve.map((p: { Time: string }) => p.Time)).toEqual([
      '2026-06-21 12:00:00',
      '2026-06-21 12:05:00',
      '2026-06-21 12:10:00',
    ]);
    expect(d.Daily_Yield).toEqual([{ Date: '2026-06-21', Yield_kWh: d.Today_kWh }]);
    expect(d.Devices).toContainEqual(
      expect.objectContaining({ Device_Type_Name: '逆变器', Fault_Status: 1, Fault_Status_Name: '故障' }),
    );
    expect(d.Devices.filter((x: { Fault_Status: number }) => x.Fault_Status === 1)).toHaveLength(1);
  });

  it('records 调用次数已达上限 when iSolarCloud answers E999, and backs off until the next hour', async () => {
    clock.advance(FIVE_MIN);
    fake.state.fail('E999', 1, 'list');
    await app.platform.runCron(JOB_REFRESH_DUE);
    const st = (await app.http.get('/api_3/pv_connection').set(admin.auth).expect(200)).body.Data[0];
    expect(st.Last_Error).toBe('调用次数已达上限');
    const calls = fake.state.calls.list;
    clock.advance(FIVE_MIN); // still inside the hour: no call reaches iSolarCloud
    await app.platform.runCron(JOB_REFRESH_DUE);
    expect(fake.state.calls.list).toBe(calls);
    clock.set(new Date(Math.ceil(clock.now().getTime() / 3_600_000) * 3_600_000 + 1000));
    await app.platform.runCron(JOB_REFRESH_DUE);
    expect(fake.state.calls.list).toBe(calls! + 1);
    const ok = (await app.http.get('/api_3/pv_connection').set(admin.auth).expect(200)).body.Data[0];
    expect(ok).toMatchObject({ Connected: 1, Last_Error: null, Plant_Count: 3 });
  });
});

describe('connecting', () => {
  it('connects with the legacy login, refusing a wrong password naming the field and changing nothing', async () => {
    const org = await buildOrg(app);
    const wrong = await connectLegacy(app, org, undefined, 'wrong-password').expect(400);
    expect(wrong.body.Err_Detail).toMatchObject({ field: 'Password' });
    const none = await connectLegacy(app, org, 'nobody@example.cn').expect(400);
    expect(none.body.Err_Detail).toMatchObject({ field: 'Account' });
    expect((await app.http.get('/api_3/pv_connection').set(org.auth)).body.Data[0].Connected).toBe(0);
    const ok = await connectLegacy(app, org).expect(200);
    expect(ok.body.Data[0]).toMatchObject({
      Connected: 1,
      Auth_Mode: 'legacy',
      Region_Name: '中国',
      Plant_Count: 3,
    });
    // The stored credentials are sealed: neither the password nor the token is readable in the row.
    const [row] = await sqlRows<{ secret: string }>(
      app.deps.db,
      sql`select secret from pv_connections where org_id = ${org.orgId}`,
    );
    expect(row!.secret).toMatch(/^v1\./);
    expect(row!.secret).not.toContain('demo-solar');
    await app.http.delete('/api_3/pv_connection').set(org.auth).expect(200);
    await app.http.delete('/api_3/pv_connection').set(org.auth).expect(404);
  });

  it('lets only admins connect, and a ticket works once and only for its organization', async () => {
    const viewer = await buildMember(app, admin, 'viewer');
    await app.http.post('/api_3/pv_connection_authorize').set(viewer.auth).send({ Region: 1 }).expect(403);
    await app.http.post('/api_3/pv_connection_authorize').set(admin.auth).send({ Region: 4 }).expect(400);
    const other = await buildOrg(app);
    const start = await app.http
      .post('/api_3/pv_connection_authorize')
      .set(admin.auth)
      .send({ Region: 1 })
      .expect(200);
    const ticket = start.body.Data[0].Ticket as string;
    const foreign = await app.http
      .post('/api_3/pv_connection_callback')
      .set(other.auth)
      .send({ Ticket: ticket, Code: 'abc' })
      .expect(400);
    expect(foreign.body.Err_Detail).toMatchObject({ field: 'Ticket' });
    // The foreign attempt used the ticket up.
    await app.http.get('/api_3/pv_connection_callback').query({ Ticket: ticket, code: 'abc' }).expect(400);
    await app.http.get('/api_3/pv_connection_callback').query({ Ticket: 'short', code: 'abc' }).expect(400);
  });

  it('answers a wrong authorization code with 400 naming code', async () => {
    const org = await buildOrg(app);
    const start = await app.http
      .post('/api_3/pv_connection_authorize')
      .set(org.auth)
      .send({ Region: 1 })
      .expect(200);
    const res = await app.http
      .get('/api_3/pv_connection_callback')
      .query({ Ticket: start.body.Data[0].Ticket, code: 'not-a-code' })
      .expect(400);
    expect(res.body.Err_Detail).toMatchObject({ field: 'code' });
  });

  it('shows a browser (the authorize web view) a page after the exchange, and API clients the 002 answer', async () => {
    const org = await buildOrg(app);
    const start = await app.http
      .post('/api_3/pv_connection_authorize')
      .set(org.auth)
      .send({ Region: 1 })
      .expect(200);
    const hash = new URLSearchParams(start.body.Data[0].Authorize_Url.split('#/authorized-app?')[1]);
    const approved = fake.state.authorize({
      applicationId: hash.get('applicationId')!,
      redirectUrl: hash.get('redirectUrl')!,
    })!;
    const back = new URL(approved.redirect);
    const page = await app.http
      .get('/api_3/pv_connection_callback')
      .query(Object.fromEntries(back.searchParams))
      .set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8')
      .expect(200);
    expect(page.type).toBe('text/html');
    expect(page.text).toContain('iSolarCloud 授权成功');
    expect((await app.http.get('/api_3/pv_connection').set(org.auth)).body.Data[0].Connected).toBe(1);
  });
});

describe('PUT /api_3/pv_plant_meter', () => {
  it('writes the plant’s total yield to a linked meter through metering, and refuses foreign or formula meters', async () => {
    const pv = (await plants(admin, { Ps_Name: '一号厂房' })).Data[0]!;
    const machine = await app.deps.machines.create(admin.orgId, {
      name: '光伏',
      department: '',
      equipmentCode: '',
      equipmentUnitCode: '',
    });
    const meter = await app.deps.meters.create(admin.orgId, {
      name: '光伏发电',
      energyType: 0,
      machineId: machine.id,
      maxRate: 5000,
    });
    const formula = await app.deps.meters.create(admin.orgId, {
      name: '自发自用',
      energyType: 0,
      machineId: machine.id,
      isVirtual: true,
      formula: `[${meter.id}]`,
    });
    const other = await buildOrg(app);
    const om = await app.deps.machines.create(other.orgId, {
      name: 'x',
      department: '',
      equipmentCode: '',
      equipmentUnitCode: '',
    });
    const foreign = await app.deps.meters.create(other.orgId, { name: 'y', energyType: 0, machineId: om.id });
    await app.http
      .put('/api_3/pv_plant_meter')
      .set(admin.auth)
      .send({ Ps_Id: pv.Ps_Id, Meter_id: foreign.id })
      .expect(404);
    const v = await app.http
      .put('/api_3/pv_plant_meter')
      .set(admin.auth)
      .send({ Ps_Id: pv.Ps_Id, Meter_id: formula.id })
      .expect(400);
    expect(v.body.Err_Detail).toMatchObject({ field: 'Meter_id' });
    await app.http
      .put('/api_3/pv_plant_meter')
      .set(other.auth)
      .send({ Ps_Id: pv.Ps_Id, Meter_id: foreign.id })
      .expect(404);
    const linked = await app.http
      .put('/api_3/pv_plant_meter')
      .set(admin.auth)
      .send({ Ps_Id: pv.Ps_Id, Meter_id: meter.id })
      .expect(200);
    expect(linked.body.Data[0]).toMatchObject({ Meter_id: meter.id });
    clock.advance(FIVE_MIN);
    await app.platform.runCron(JOB_REFRESH_DUE);
    const rows = await sqlRows<{ total: number; delta: number }>(
      app.deps.db,
      sql`select total, delta from readings where meter_id = ${meter.id} order by ts`,
    );
    expect(rows).toHaveLength(2);
    const now = (await plants(admin, { Ps_Name: '一号厂房' })).Data[0]!;
    expect(rows[1]!.total).toBeCloseTo(now.Total_kWh as number, 3);
    expect(rows[1]!.delta).toBeGreaterThan(0); // five minutes of midday generation
  });
});

describe('paging through iSolarCloud', () => {
  it('fetches every page of a large account (row_count and rowCount both read)', async () => {
    const many = Array.from({ length: 230 }, (_, i) =>
      fakePlant({
        ps_id: 800000000 + i,
        ps_name: `批量电站${String(i).padStart(3, '0')}`,
        install_date: '2026-06-20 08:00:00',
      }),
    );
    fake.state.addUser({ account: 'bulk@example.cn', password: 'bulk-pass-1', plants: many });
    for (const mode of ['oauth', 'legacy'] as const) {
      const org = await buildOrg(app);
      const list0 = fake.state.calls.list ?? 0;
      if (mode === 'oauth') await connectOAuth(app, fake, org, 'bulk@example.cn');
      else await connectLegacy(app, org, 'bulk@example.cn', 'bulk-pass-1').expect(200);
      await app.platform.settle();
      expect((fake.state.calls.list ?? 0) - list0).toBe(3);
      const all = await plants(org, { Per_Page_Counts: 1000 });
      expect(all.Total_Numbers).toBe(230);
      expect(all.Data.every((p) => typeof p.Power_kW === 'number')).toBe(true);
    }
  });
});
