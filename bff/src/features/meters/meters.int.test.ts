import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildMember, buildOrg, type TestUser } from '../../../../test/support/builders';
import { buildMachine, buildMeter } from '../../../../test/support/metering/builders';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const list = async (u: TestUser) =>
  (await app.http.get('/api_3/meters').set(u.auth).query({ Per_Page_Counts: 100 }).expect(200)).body;

describe('meters (seed 002 §2.1–2.4)', () => {
  it('creates a meter with every field and lists it as the seed shows', async () => {
    const org = await buildOrg(app);
    const machine = await buildMachine(app, org, { department: '东车间' });
    const res = await app.http
      .post('/api_3/meters')
      .set(org.auth)
      .send({
        Meter_Name: '染色工业水表',
        Meter_Type: '1',
        Meter_Superior_id: String(machine.id),
        Meter_Remarks: '二楼',
        Meter_TotalAmount: '120.5',
        Meter_IsTotal: '1',
        Meter_IsCount: '1',
        Is_HandWork: 0,
        Meter_Parameter: 'UA,IA',
      })
      .expect(200);
    const id = res.body.Data[0].id;
    const body = (await app.http.get('/api_3/meters').set(org.auth).query({ id }).expect(200)).body;
    expect(body).toMatchObject({ Err_No: '0', Total_Numbers: 1 });
    expect(body.Data[0]).toEqual({
      id,
      Meter_Name: '染色工业水表',
      Meter_Type: '1',
      Meter_Superior: machine.name,
      Meter_Department: '东车间',
      Meter_Remarks: '二楼',
      Meter_TotalAmount: '120.5',
      Meter_IsVirtual: '0',
      Meter_Formula: '',
      Meter_IsTotal: '1',
      Meter_IsCount: '1',
      Is_HandWork: 0,
      Meter_Superior_id: machine.id,
      Meter_Parameter: 'UA,IA',
      Meter_Register_Max: '',
      Meter_Max_Rate: '100000',
      Meter_Max_Rate_Set: '0',
      Ene_Name: '自来水',
    });
    const filtered = await app.http
      .get('/api_3/meters')
      .set(org.auth)
      .query({ Meter_Superior: machine.name, Meter_Type: '1', Meter_IsCount: '1' })
      .expect(200);
    expect(filtered.body.Total_Numbers).toBe(1);
  });

  it.each([
    ['[99999999]', '不存在的仪表'],
    ['[A]+', '公式错误'],
    ['[A] [A]', '公式错误'],
    ['alert(1)', '公式错误'],
    ['', '必须设置公式'],
  ])('rejects the virtual formula %j with 4103 (%s) and saves nothing', async (formula, reason) => {
    const org = await buildOrg(app);
    const a = await buildMeter(app, org);
    const before = await list(org);
    const res = await app.http
      .post('/api_3/meters')
      .set(org.auth)
      .send({
        Meter_Name: 'v',
        Meter_Type: '0',
        Meter_Superior_id: a.machine,
        Meter_IsVirtual: '1',
        Meter_Formula: formula.replaceAll('A', String(a.id)),
      })
      .expect(400);
    expect(res.body).toMatchObject({ Err_No: '4103', Err_Detail: { field: 'Meter_Formula' } });
    expect(res.body.Err_Msg).toContain(reason);
    expect(await list(org)).toEqual(before);
  });

  it('rejects a formula using another organization’s meter as unknown', async () => {
    const a = await buildOrg(app);
    const b = await buildOrg(app);
    const foreign = await buildMeter(app, b);
    const machine = await buildMachine(app, a);
    const res = await app.http
      .post('/api_3/meters')
      .set(a.auth)
      .send({
        Meter_Name: 'v',
        Meter_Type: '0',
        Meter_Superior_id: machine.id,
        Meter_IsVirtual: '1',
        Meter_Formula: `[${foreign.id}]`,
      })
      .expect(400);
    expect(res.body.Err_Msg).toContain(`[${foreign.id}]`);
  });

  it('rejects a cyclic formula at save with the cycle, and leaves the meter unchanged', async () => {
    const org = await buildOrg(app);
    const a = await buildMeter(app, org);
    const v1 = await buildMeter(app, org, {
      machine: a.machine,
      body: { Meter_IsVirtual: '1', Meter_Formula: `[${a.id}]*2` },
    });
    const v2 = await buildMeter(app, org, {
      machine: a.machine,
      body: { Meter_IsVirtual: '1', Meter_Formula: `[${v1.id}]+1` },
    });
    const before = await list(org);
    const res = await app.http
      .put('/api_3/meters')
      .set(org.auth)
      .send({
        id: v1.id,
        Meter_Name: v1.name,
        Meter_Type: '0',
        Meter_Superior_id: a.machine,
        Meter_IsVirtual: '1',
        Meter_Formula: `[${v2.id}]-[${a.id}]`,
      })
      .expect(400);
    expect(res.body.Err_Msg).toContain(`[${v1.id}] → [${v2.id}] → [${v1.id}]`);
    const self = await app.http
      .put('/api_3/meters')
      .set(org.auth)
      .send({
        id: v1.id,
        Meter_Name: v1.name,
        Meter_Type: '0',
        Meter_Superior_id: a.machine,
        Meter_IsVirtual: '1',
        Meter_Formula: `[${v1.id}]`,
      })
      .expect(400);
    expect(self.body.Err_Msg).toContain('自身');
    expect(await list(org)).toEqual(before);
  });

  it('refuses to delete a meter a virtual meter uses, naming it, and deletes it once free', async () => {
    const org = await buildOrg(app);
    const a = await buildMeter(app, org);
    const v = await buildMeter(app, org, {
      machine: a.machine,
      body: { Meter_IsVirtual: '1', Meter_Formula: `[${a.id}]` },
    });
    const res = await app.http.delete('/api_3/meters').set(org.auth).send({ id: a.id }).expect(409);
    expect(res.body).toMatchObject({
      Err_No: '4004',
      Err_Detail: { dependents: [{ id: v.id, Meter_Name: v.name }] },
    });
    await app.http.delete('/api_3/meters').set(org.auth).query({ id: v.id }).expect(200);
    await app.http.delete('/api_3/meters').set(org.auth).query({ id: a.id }).expect(200);
    expect((await list(org)).Total_Numbers).toBe(0);
  });

  it('answers 404 for another organization’s meter and changes nothing there', async () => {
    const a = await buildOrg(app);
    const b = await buildOrg(app);
    const m = await buildMeter(app, b);
    const machine = await buildMachine(app, a);
    await app.http
      .put('/api_3/meters')
      .set(a.auth)
      .send({ id: m.id, Meter_Name: 'stolen', Meter_Type: '0', Meter_Superior_id: machine.id })
      .expect(404);
    await app.http.delete('/api_3/meters').set(a.auth).query({ id: m.id }).expect(404);
    expect(
      (await app.http.get('/api_3/meters').set(a.auth).query({ id: m.id }).expect(200)).body.Total_Numbers,
    ).toBe(0);
    expect((await list(b)).Data[0].Meter_Name).toBe(m.name);
  });

  it('rejects a machine of another organization, an unknown type and a duplicate name', async () => {
    const a = await buildOrg(app);
    const b = await buildOrg(app);
    const foreign = await buildMachine(app, b);
    const mine = await buildMeter(app, a);
    const r1 = await app.http
      .post('/api_3/meters')
      .set(a.auth)
      .send({ Meter_Name: 'x', Meter_Type: '0', Meter_Superior_id: foreign.id })
      .expect(400);
    expect(r1.body.Err_Detail.field).toBe('Meter_Superior_id');
    const r2 = await app.http
      .post('/api_3/meters')
      .set(a.auth)
      .send({ Meter_Name: 'x', Meter_Type: '9', Meter_Superior_id: mine.machine })
      .expect(400);
    expect(r2.body.Err_Detail.field).toBe('Meter_Type');
    const r3 = await app.http
      .post('/api_3/meters')
      .set(a.auth)
      .send({ Meter_Name: mine.name, Meter_Type: '0', Meter_Superior_id: mine.machine })
      .expect(409);
    expect(r3.body.Err_No).toBe('4003');
    expect((await list(a)).Total_Numbers).toBe(1);
  });

  it('refuses meter changes to a viewer with 4105', async () => {
    const admin = await buildOrg(app);
    const viewer = await buildMember(app, admin, 'viewer');
    const machine = await buildMachine(app, admin);
    const res = await app.http
      .post('/api_3/meters')
      .set(viewer.auth)
      .send({ Meter_Name: 'x', Meter_Type: '0', Meter_Superior_id: machine.id })
      .expect(403);
    expect(res.body.Err_No).toBe('4105');
    await app.http.get('/api_3/meters').set(viewer.auth).expect(200);
  });
});

describe('meter edits (2.2)', () => {
  it('keeps stored values of optional fields a change leaves out', async () => {
    const org = await buildOrg(app);
    const m = await buildMeter(app, org, {
      body: { Meter_IsCount: '1', Meter_Register_Max: '99999', Meter_Remarks: '备注' },
    });
    await app.http
      .put('/api_3/meters')
      .set(org.auth)
      .send({ id: m.id, Meter_Name: '改名', Meter_Type: '0', Meter_Superior_id: m.machine })
      .expect(200);
    const row = (await app.http.get('/api_3/meters').set(org.auth).query({ id: m.id }).expect(200)).body
      .Data[0];
    expect(row).toMatchObject({
      Meter_Name: '改名',
      Meter_IsCount: '1',
      Meter_Register_Max: '99999',
      Meter_Remarks: '备注',
      Meter_TotalAmount: '0',
    });
  });

  it('bridges a replacement without a jump: consumption continues from the old meter’s total', async () => {
    const org = await buildOrg(app);
    const m = await buildMeter(app, org);
    const t0 = Date.parse('2024-05-01T00:00:00+08:00');
    const Q = 15 * 60_000;
    await app.http
      .post('/api_3/readings')
      .set(org.auth)
      .send({
        readings: [
          { meter: m.id, ts: t0, total: 4990 },
          { meter: m.id, ts: t0 + Q, total: 4995 },
        ],
      })
      .expect(200);
    await app.http
      .put('/api_3/meters')
      .set(org.auth)
      .send({
        id: m.id,
        Meter_Name: m.name,
        Meter_Type: '0',
        Meter_Superior_id: m.machine,
        Meter_TotalAmount: '5000',
        Meter_StartAmount: '3',
        Meter_Replace_Time: '2024-05-01 00:20:00',
      })
      .expect(200);
    await app.http
      .post('/api_3/readings')
      .set(org.auth)
      .send({
        readings: [
          { meter: m.id, ts: t0 + 2 * Q, total: 4 },
          { meter: m.id, ts: t0 + 3 * Q, total: 10 },
        ],
      })
      .expect(200);
    const res = await app.http
      .get('/api_3/allenergy')
      .set(org.auth)
      .query({
        Time_Type: '2',
        Time_Start: '2024-05-01 00:00:00',
        Time_End: '2024-05-01 23:00:00',
        Amount_Type: '2',
        Amount_SortName: m.name,
      })
      .expect(200);
    // 4990→4995 (5), 4995→swap at 5000 then 3→4 (5 + 1), 4→10 (6)
    expect(res.body.Data[0].Total_Amount).toBe('17.00');
  });
});
