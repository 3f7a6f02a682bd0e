import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildMember, buildOrg, type TestUser } from '../../../../test/support/builders';
import { buildMeter } from '../../../../test/support/metering/builders';
import { alarmsState, buildAlarmDefinition, buildAlarmRule } from '../../../../test/support/alarms';

// PGlite migrations and the job schema take a while on a loaded machine.
jest.setTimeout(120_000);

let app: TestApp;
let admin: TestUser;
let other: TestUser;
let meter: { id: number; name: string };
let foreignMeter: { id: number };
let foreignDef: number;
let foreignRule: number;

beforeAll(async () => {
  app = await startTestApp();
  admin = await buildOrg(app);
  other = await buildOrg(app);
  meter = await buildMeter(app, admin);
  foreignMeter = await buildMeter(app, other);
  foreignDef = await buildAlarmDefinition(app, other);
  foreignRule = await buildAlarmRule(app, other, {
    Alarm_id: foreignDef,
    Meter_id: foreignMeter.id,
    Meter_Parameter: 'PF',
  });
});
afterAll(() => app.close());

const okDef = { Alarm_Name: '电压过高', Alarm_Type: 2, Alarm_Level: 3, Alarm_Notify: 1, Notify_Address: '' };

describe('6.1–6.4 alarm definitions', () => {
  it('creates, lists, updates and deletes a definition as the seed shows it', async () => {
    const id = await buildAlarmDefinition(app, admin, {
      ...okDef,
      Alarm_Notify: '4',
      Notify_Address: admin.name,
    });
    const list = await app.http.get('/api_3/alarm_status').set(admin.auth).query({ id }).expect(200);
    expect(list.body).toMatchObject({ Err_No: '0', Err_Msg: 'ok', Total_Numbers: 1 });
    expect(list.body.Data[0]).toMatchObject({
      id,
      Alarm_Name: '电压过高',
      Alarm_Level: 3,
      Alarm_Type: 2,
      Alarm_Notify: 4,
      Notify_Address: admin.name,
    });
    await app.http
      .put('/api_3/alarm_status')
      .set(admin.auth)
      .send({ id, ...okDef, Alarm_Level: '1', Escalate_Minutes: 15, Escalate_To: String(admin.id) })
      .expect(200);
    const after = await app.http.get('/api_3/alarm_status').set(admin.auth).query({ id }).expect(200);
    expect(after.body.Data[0]).toMatchObject({
      Alarm_Level: 1,
      Escalate_Minutes: 15,
      Escalate_To: String(admin.id),
    });
    await app.http.delete('/api_3/alarm_status').set(admin.auth).query({ id }).expect(200);
    const gone = await app.http.get('/api_3/alarm_status').set(admin.auth).query({ id }).expect(200);
    expect(gone.body.Total_Numbers).toBe(0);
  });

  it.each([
    [{ ...okDef, Alarm_Name: '' }, 'Alarm_Name'],
    [{ ...okDef, Alarm_Type: 4 }, 'Alarm_Type'],
    [{ ...okDef, Alarm_Level: '0' }, 'Alarm_Level'],
    [{ ...okDef, Alarm_Notify: 5 }, 'Alarm_Notify'],
    [{ ...okDef, Alarm_Notify: 4, Notify_Address: '' }, 'Notify_Address'],
    [{ ...okDef, Alarm_Notify: 4, Notify_Address: 'nobody_here' }, 'Notify_Address'],
    [{ ...okDef, Alarm_Notify: 3, Notify_Address: 'not-an-email' }, 'Notify_Address'],
    [{ ...okDef, Escalate_Minutes: -1 }, 'Escalate_Minutes'],
    [{ ...okDef, Escalate_To: 'ghost_user', Escalate_Minutes: 5 }, 'Escalate_To'],
    [{ ...okDef, Extra: 1 }, 'Extra'],
    [{ Alarm_Name: 'x' }, 'Alarm_Type'],
  ])('rejects %j with 4103 naming %s and stores nothing', async (body, field) => {
    const before = await alarmsState(app, [admin.orgId, other.orgId]);
    const res = await app.http.post('/api_3/alarm_status').set(admin.auth).send(body).expect(400);
    expect(res.body.Err_No).toBe('4103');
    expect(JSON.stringify(res.body)).toContain(field);
    expect(await alarmsState(app, [admin.orgId, other.orgId])).toEqual(before);
  });

  it("answers another organization's definition as missing (4002) and leaves it unchanged", async () => {
    const before = await alarmsState(app, [other.orgId]);
    const put = await app.http
      .put('/api_3/alarm_status')
      .set(admin.auth)
      .send({ id: foreignDef, ...okDef })
      .expect(404);
    expect(put.body.Err_No).toBe('4002');
    const del = await app.http
      .delete('/api_3/alarm_status')
      .set(admin.auth)
      .query({ id: foreignDef })
      .expect(404);
    expect(del.body.Err_No).toBe('4002');
    const list = await app.http
      .get('/api_3/alarm_status')
      .set(admin.auth)
      .query({ id: foreignDef })
      .expect(200);
    expect(list.body.Total_Numbers).toBe(0);
    expect(await alarmsState(app, [other.orgId])).toEqual(before);
  });

  it("counts each definition's own rules (Rule_Numbers)", async () => {
    // Several definitions, so that a count keyed on a rule's own id instead of its definition's shows.
    const defs = [
      await buildAlarmDefinition(app, admin),
      await buildAlarmDefinition(app, admin),
      await buildAlarmDefinition(app, admin),
    ];
    for (const [def, n] of [
      [defs[0]!, 0],
      [defs[1]!, 2],
      [defs[2]!, 1],
    ] as const)
      for (let i = 0; i < n; i++)
        await buildAlarmRule(app, admin, { Alarm_id: def, Meter_id: meter.id, Meter_Parameter: 'PF' });
    const counts = [];
    for (const id of defs) {
      const res = await app.http.get('/api_3/alarm_status').set(admin.auth).query({ id }).expect(200);
      counts.push(res.body.Data[0].Rule_Numbers);
    }
    expect(counts).toEqual([0, 2, 1]);
  });

  it('refuses to delete a definition that still has rules (4004)', async () => {
    const def = await buildAlarmDefinition(app, admin);
    await buildAlarmRule(app, admin, { Alarm_id: def, Meter_id: meter.id, Meter_Parameter: 'PF' });
    const res = await app.http.delete('/api_3/alarm_status').set(admin.auth).query({ id: def }).expect(409);
    expect(res.body.Err_No).toBe('4004');
  });

  it('lets only admins write definitions (4105) but every member read them', async () => {
    const viewer = await buildMember(app, admin, 'viewer');
    const res = await app.http.post('/api_3/alarm_status').set(viewer.auth).send(okDef).expect(403);
    expect(res.body.Err_No).toBe('4105');
    await app.http.get('/api_3/alarm_status').set(viewer.auth).expect(200);
  });
});

describe('6.5–6.8 rules', () => {
  let def: number;
  beforeAll(async () => {
    def = await buildAlarmDefinition(app, admin);
  });
  const okRule = () => ({
    Rule_Name: 'PF 低',
    Alarm_id: def,
    Meter_id: meter.id,
    Meter_Parameter: 'PF',
    LowerLimit: 0.9,
    UpperLimit: 1,
  });

  it('creates, filters, updates and deletes a rule; extensions default sensibly', async () => {
    const id = await buildAlarmRule(app, admin, okRule());
    const list = await app.http
      .get('/api_3/alarm_status_rules')
      .set(admin.auth)
      .query({ Alarm_id: String(def) })
      .expect(200);
    expect(list.body.Data.find((r: { id: number }) => r.id === id)).toMatchObject({
      Rule_Name: 'PF 低',
      Alarm_id: def,
      Meter_id: meter.id,
      Meter_Parameter: 'PF',
      LowerLimit: 0.9,
      UpperLimit: 1,
      Meter_Name: meter.name,
      Delay_Seconds: 0,
      Realarm_Minutes: 0,
      Rule_Chattering: 0,
    });
    expect(list.body.Data.find((r: { id: number }) => r.id === id).Deadband).toBeCloseTo(0.001, 9);
    await app.http
      .put('/api_3/alarm_status_rules')
      .set(admin.auth)
      .send({ id, ...okRule(), UpperLimit: '1.1', Delay_Seconds: 30, Deadband: 0.01 })
      .expect(200);
    const after = await app.http.get('/api_3/alarm_status_rules').set(admin.auth).query({ id }).expect(200);
    expect(after.body.Data[0]).toMatchObject({ UpperLimit: 1.1, Delay_Seconds: 30, Deadband: 0.01 });
    await app.http.delete('/api_3/alarm_status_rules').set(admin.auth).send({ id }).expect(200);
    const gone = await app.http.get('/api_3/alarm_status_rules').set(admin.auth).query({ id }).expect(200);
    expect(gone.body.Total_Numbers).toBe(0);
  });

  it.each([
    [{ Rule_Name: '' }, 'Rule_Name'],
    [{ Meter_Parameter: undefined }, 'Meter_Parameter'],
    [{ Meter_Parameter: '1PF' }, 'Meter_Parameter'],
    [{ Meter_id: undefined }, 'Meter_id'],
    [{ LowerLimit: 'abc' }, 'LowerLimit'],
    [{ LowerLimit: 2, UpperLimit: 1 }, 'UpperLimit'],
    [{ Deadband: 0.06 }, 'Deadband'],
    [{ Delay_Seconds: -5 }, 'Delay_Seconds'],
    [{ Device_Uid: 'demo-ems-1' }, 'Device_Uid'],
    [{ Unknown: 1 }, 'Unknown'],
  ])('rejects %j with 4103 naming %s and stores nothing', async (change, field) => {
    const before = await alarmsState(app, [admin.orgId]);
    const body = { ...okRule(), ...change } as Record<string, unknown>;
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    const res = await app.http.post('/api_3/alarm_status_rules').set(admin.auth).send(body).expect(400);
    expect(res.body.Err_No).toBe('4103');
    expect(JSON.stringify(res.body)).toContain(field);
    expect(await alarmsState(app, [admin.orgId])).toEqual(before);
  });

  it("answers another organization's definition, meter or rule as missing (4002)", async () => {
    const before = await alarmsState(app, [admin.orgId, other.orgId]);
    for (const body of [
      { ...okRule(), Alarm_id: foreignDef },
      { ...okRule(), Meter_id: foreignMeter.id },
    ]) {
      const res = await app.http.post('/api_3/alarm_status_rules').set(admin.auth).send(body).expect(404);
      expect(res.body.Err_No).toBe('4002');
    }
    const put = await app.http
      .put('/api_3/alarm_status_rules')
      .set(admin.auth)
      .send({ id: foreignRule, ...okRule() })
      .expect(404);
    expect(put.body.Err_No).toBe('4002');
    const del = await app.http
      .delete('/api_3/alarm_status_rules')
      .set(admin.auth)
      .query({ id: foreignRule })
      .expect(404);
    expect(del.body.Err_No).toBe('4002');
    expect(await alarmsState(app, [admin.orgId, other.orgId])).toEqual(before);
  });
});

describe('6.9 / 6.10 and extensions: bad input and foreign ids', () => {
  const range = { Time_Start: '2026-01-01 00:00:00', Time_End: '2026-02-01 00:00:00' };

  it.each([
    ['get', '/api_3/alarm_message', { Time_Start: '2026-01-01' }, 'Time_Start'],
    ['get', '/api_3/alarm_message', { ...range, Time_End: undefined }, 'Time_End'],
    ['get', '/api_3/alarm_message', { ...range, Alarm_Level: '7' }, 'Alarm_Level'],
    ['get', '/api_3/alarm_message', { ...range, Time_End: '2025-01-01 00:00:00' }, 'Time_End'],
    ['delete', '/api_3/alarm_message', { ...range, Alarm_Type: 'x' }, 'Alarm_Type'],
    [
      'get',
      '/api_3/alarm_statistic_nums',
      { ...range, Time_Type: 4, Statistic_Method: 0, Return_Format: 1 },
      'Time_Type',
    ],
    [
      'get',
      '/api_3/alarm_statistic_nums',
      { ...range, Time_Type: 2, Statistic_Method: 9, Return_Format: 1 },
      'Statistic_Method',
    ],
    [
      'get',
      '/api_3/alarm_statistic_nums',
      { ...range, Time_Type: 2, Statistic_Method: 0, Return_Format: 3 },
      'Return_Format',
    ],
    ['get', '/api_3/alarm_message_detail', { id: 'abc' }, 'id'],
    ['post', '/api_3/alarm_acknowledge', { id: 1, Ack_Comment: 'x'.repeat(201) }, 'Ack_Comment'],
    ['post', '/api_3/alarm_shelve', { id: 1, Shelve_Reason: '检修' }, 'Shelve_Minutes'],
    ['post', '/api_3/alarm_shelve', { id: 1, Shelve_Reason: '', Shelve_Minutes: 5 }, 'Shelve_Reason'],
    ['post', '/api_3/wechat_subscriptions', { Template_Id: 'other-template', Accepted: 1 }, 'Template_Id'],
    ['post', '/api_3/wechat_subscriptions', { Template_Id: 'x', Accepted: 2 }, 'Accepted'],
    ['put', '/api_3/alarm_notify_settings', { Quiet_Start: '25:00' }, 'Quiet_Start'],
    ['put', '/api_3/alarm_notify_settings', { Quiet_Start: '22:00' }, 'Quiet_End'],
    ['post', '/api_3/alarm_read', {}, 'id'],
    ['get', '/api_3/alarm_stream', { ticket: 'short' }, 'ticket'],
  ] as const)('%s %s with %j answers 4103 naming %s', async (method, path, params, field) => {
    const before = await alarmsState(app, [admin.orgId]);
    const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
    const req = app.http[method](path).set(admin.auth);
    const res = await (method === 'get' || method === 'delete' ? req.query(clean) : req.send(clean));
    expect(res.status).toBe(400);
    expect(res.body.Err_No).toBe('4103');
    expect(JSON.stringify(res.body)).toContain(field);
    expect(await alarmsState(app, [admin.orgId])).toEqual(before);
  });

  it('6.9 DELETE answers like GET and deletes nothing', async () => {
    const get = await app.http.get('/api_3/alarm_message').set(admin.auth).query(range).expect(200);
    const del = await app.http.delete('/api_3/alarm_message').set(admin.auth).query(range).expect(200);
    expect(del.body).toEqual(get.body);
    expect(get.body).toMatchObject({ Err_No: '0', Total_Numbers: 0, Data: [] });
  });

  it.each([
    ['get', '/api_3/alarm_message_detail', { id: 999999 }],
    ['post', '/api_3/alarm_acknowledge', { id: 999999 }],
    ['post', '/api_3/alarm_shelve', { id: 999999, Shelve_Reason: '检修', Shelve_Minutes: 10 }],
    ['delete', '/api_3/alarm_shelve', { id: 999999 }],
    ['get', '/api_3/alarm_deliveries', { id: 999999 }],
    ['post', '/api_3/alarm_read', { id: 999999 }],
  ] as const)('%s %s of a missing alarm answers 4002', async (method, path, params) => {
    const req = app.http[method](path).set(admin.auth);
    const res = await (method === 'get' || method === 'delete' ? req.query(params) : req.send(params));
    expect(res.status).toBe(404);
    expect(res.body.Err_No).toBe('4002');
  });
});
