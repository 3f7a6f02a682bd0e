import { sql } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg, randomIp, type TestUser } from '../../../../test/support/builders';
import { buildMachine, buildMeter, postReadings } from '../../../../test/support/metering/builders';
import { orgState } from '../../../../test/support/snapshot';

// One regression per class of the 64 answers of 500 found in issue 8 item 1: each is now a 4xx naming
// the field (or a per-reading refusal) and changes nothing.
let app: TestApp;
let org: TestUser;
beforeAll(async () => {
  app = await startTestApp();
  org = await buildOrg(app);
});
afterAll(() => app.close());

const BIG = 2147483648;
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082',
  'hex',
);
const flatRate = (value: string | number) => ({
  Rate_Name: '电费',
  Rate_Type: '0',
  isSegmentation: '1',
  Rate_Value: value,
  Rate_Unit: '元/kWh',
});

/** Sends a request, expects 400 naming `field` in the 002 envelope, and that the organization is unchanged. */
async function refused(
  send: () => Promise<{ status: number; body: Record<string, unknown> }>,
  field: string,
  user = org,
) {
  const before = await orgState(app, user.orgId);
  const res = await send();
  expect([res.status, res.body]).toEqual([
    400,
    expect.objectContaining({ Err_No: '4103', Err_Detail: expect.objectContaining({ field }) }),
  ]);
  expect(await orgState(app, user.orgId)).toEqual(before);
  return res;
}

describe('ids out of PostgreSQL integer range (2147483648) are 400 naming the field', () => {
  it.each([
    ['get', '/api_3/meters'],
    ['delete', '/api_3/meters'],
    ['get', '/api_3/metersuperiors'],
    ['delete', '/api_3/metersuperiors'],
    ['get', '/api_3/metersuperior_image'],
  ] as const)('%s %s?id=2147483648', async (method, path) => {
    await refused(
      () =>
        app.http[method](path)
          .set(org.auth)
          .query({ id: String(BIG) }),
      'id',
    );
    await refused(() => app.http[method](path).set(org.auth).query({ id: '1.5' }), 'id');
  });

  it('in bodies: PUT /api/users, /api/org_users, /api_3/rate, meters, upload form fields', async () => {
    await refused(
      () =>
        app.http
          .put('/api/users')
          .set(org.auth)
          .send({ id: BIG, Usr_Name: org.name, Usr_Email: 'a@example.cn' }),
      'id',
    );
    await refused(
      () => app.http.put('/api/org_users').set(org.auth).send({ id: BIG, Usr_Role: 'viewer' }),
      'id',
    );
    await refused(
      () =>
        app.http
          .put('/api_3/rate')
          .set(org.auth)
          .send({ id: String(BIG), ...flatRate('1') }),
      'id',
    );
    await refused(
      () =>
        app.http
          .post('/api_3/meters')
          .set(org.auth)
          .send({ Meter_Name: 'm', Meter_Type: '0', Meter_Superior_id: BIG }),
      'Meter_Superior_id',
    );
    await refused(
      () =>
        app.http
          .post('/api_3/PRP_manual_energy_measure_datas')
          .set(org.auth)
          .send({ Meter_id: BIG, Date_Time: '2025-01-01 00:00:00', Date_Type: '3', Data_Amount: 1 }),
      'Meter_id',
    );
    await refused(
      () =>
        app.http
          .post('/api_3/metersuperior_image')
          .set(org.auth)
          .field('Meter_Superior_id', String(BIG))
          .attach('Machine_Image', PNG, 'a.png'),
      'Meter_Superior_id',
    );
  });

  it('readings[].meter beyond the range is refused by position', async () => {
    const r = await postReadings(app, org, [
      { meter: BIG, ts: Date.parse('2026-01-01T00:00:00Z'), total: 1 },
    ]);
    expect(r).toMatchObject({ Accepted: 0, Rejected: 1, Errors: [{ index: 0, field: 'meter' }] });
  });
});

describe('control characters', () => {
  it('refuses NUL in Usr_Name at POST /api/auth, naming the field', async () => {
    const res = await app.http
      .post('/api/auth')
      .set('X-Forwarded-For', randomIp())
      .send({ Usr_Name: 'adm\u0000in', Usr_Password: 'whatever-123' })
      .expect(400);
    expect(res.body).toMatchObject({ Err_No: '4103', Err_Detail: { field: 'Usr_Name' } });
  });

  it('refuses NUL and ESC in any text field, in query strings and in keys; allows line breaks only in Meter_Remarks', async () => {
    const machine = await buildMachine(app, org);
    await refused(
      () =>
        app.http
          .post('/api_3/metersuperiors')
          .set(org.auth)
          .send({ Meter_Superior: 'a\u0000b', Meter_Department: 'x' }),
      'Meter_Superior',
    );
    await refused(
      () => app.http.get('/api_3/meters').set(org.auth).query({ Meter_Superior: 'a\u001bb' }),
      'Meter_Superior',
    );
    await refused(
      () =>
        app.http
          .post('/api_3/meters')
          .set(org.auth)
          .send({ Meter_Name: 'line\nbreak', Meter_Type: '0', Meter_Superior_id: machine.id }),
      'Meter_Name',
    );
    const res = await app.http
      .post('/api_3/meters')
      .set(org.auth)
      .send({
        Meter_Name: `备注表${machine.id}`,
        Meter_Type: '0',
        Meter_Superior_id: machine.id,
        Meter_Remarks: '第一行\n第二行',
      })
      .expect(200);
    expect(res.body.Err_No).toBe('0');
    await refused(
      () =>
        app.http
          .post('/api_3/readings')
          .set(org.auth)
          .send({ readings: [{ meter: 1, ts: 1, total: 1, params: { 'U\u0000A': 1 } }] }),
      'readings.0.params.U\\u0000A',
    );
  });
});

describe('numbers out of range', () => {
  it('refuses "1e309" and 1e-320 as a rate, and reports "1e309" registers and params by position', async () => {
    const m = await buildMeter(app, org);
    const t0 = Date.parse('2026-02-01T00:00:00Z');
    await postReadings(app, org, [
      { meter: m.id, ts: t0, total: 100 },
      { meter: m.id, ts: t0 + 900_000, total: 101 },
    ]);
    const r = await postReadings(app, org, [
      { meter: m.id, ts: t0 + 1_800_000, total: '1e309' },
      { meter: m.id, ts: t0 + 2_700_000, total: 102, params: { UA: '1e309' } },
      { meter: m.id, ts: t0 + 3_600_000, total: 1e-320 },
    ]);
    expect(r).toMatchObject({
      Accepted: 0,
      Rejected: 3,
      Errors: [
        { index: 0, field: 'total' },
        { index: 1, field: 'params.UA' },
        { index: 2, field: 'total' },
      ],
    });
    await refused(() => app.http.post('/api_3/rate').set(org.auth).send(flatRate(1e-320)), 'Rate_Value');
    await refused(() => app.http.post('/api_3/rate').set(org.auth).send(flatRate('1e309')), 'Rate_Value');
    await refused(
      () =>
        app.http.post('/api_3/meters').set(org.auth).send({
          Meter_Name: 'big',
          Meter_Type: '0',
          Meter_Superior_id: m.machine,
          Meter_TotalAmount: '1e309',
        }),
      'Meter_TotalAmount',
    );
  });

  it('refuses a register of 1e308, and a rate change still works on absurd data stored before', async () => {
    const m = await buildMeter(app, org, { type: 0 });
    const t0 = Date.parse('2026-03-01T00:00:00Z');
    await postReadings(app, org, [
      { meter: m.id, ts: t0, total: 10 },
      { meter: m.id, ts: t0 + 900_000, total: 12 },
    ]);
    const r = await postReadings(app, org, [{ meter: m.id, ts: t0 + 1_800_000, total: 1e308 }]);
    expect(r).toMatchObject({ Accepted: 0, Rejected: 1, Errors: [{ index: 0, field: 'total' }] });
    // Absurd figures stored before plausibility checks existed (or by any other path).
    await app.deps.database.rows(
      sql`update energy_day set slots[1] = 1e308, amount = 1e308 where meter_id = ${m.id}`,
    );
    await app.http.post('/api_3/rate').set(org.auth).send(flatRate('0.8')).expect(200);
    const list = (await app.http.get('/api_3/rate').set(org.auth).expect(200)).body.Data;
    await app.http
      .put('/api_3/rate')
      .set(org.auth)
      .send({ id: list[0].id, ...flatRate('0.9') })
      .expect(200);
  });
});

describe('plausibility of readings (documented per-meter rule)', () => {
  it('refuses a drop without replacement or roll-over and a jump faster than the energy type allows', async () => {
    const m = await buildMeter(app, org, { type: 0 });
    const t0 = Date.parse('2026-04-01T00:00:00Z');
    const q = 900_000;
    const r = await postReadings(app, org, [
      { meter: m.id, ts: t0, total: 1000 },
      { meter: m.id, ts: t0 + q, total: 1100 },
      { meter: m.id, ts: t0 + 2 * q, total: 900 }, // drop, no Meter_Register_Max
      { meter: m.id, ts: t0 + 3 * q, total: 1100 + 600_000 }, // > 1,000,000 kWh/h × 0.5 h since 1100
      { meter: m.id, ts: t0 + 4 * q, total: 1300 },
    ]);
    expect(r).toMatchObject({
      Accepted: 3,
      Rejected: 2,
      Errors: [
        { index: 2, field: 'total', rule: expect.stringContaining('翻转值') },
        { index: 3, field: 'total', rule: expect.stringContaining('上限') },
      ],
    });
    // A late reading that would make the stored next one a drop is refused too.
    const late = await postReadings(app, org, [{ meter: m.id, ts: t0 + 3 * q, total: 1400 }]);
    expect(late).toMatchObject({ Accepted: 0, Rejected: 1 });
  });

  it('counts a roll-over through Meter_Register_Max and refuses a register above it', async () => {
    const m = await buildMeter(app, org, { type: 0, body: { Meter_Register_Max: 9999 } });
    const t0 = Date.parse('2026-04-02T00:00:00Z');
    const r = await postReadings(app, org, [
      { meter: m.id, ts: t0, total: 9990 },
      { meter: m.id, ts: t0 + 900_000, total: 5 },
      { meter: m.id, ts: t0 + 1_800_000, total: 10_500 },
    ]);
    expect(r).toMatchObject({ Accepted: 2, Rejected: 1, Errors: [{ index: 2, field: 'total' }] });
  });
});

describe('uploads', () => {
  it('refuses an empty image, two files in one upload and a truncated PNG, naming Machine_Image', async () => {
    const machine = await buildMachine(app, org);
    const upload = () =>
      app.http
        .post('/api_3/metersuperior_image')
        .set(org.auth)
        .field('Meter_Superior_id', String(machine.id));
    await refused(() => upload().attach('Machine_Image', Buffer.alloc(0), 'empty.png'), 'Machine_Image');
    await refused(
      () => upload().attach('Machine_Image', PNG, 'a.png').attach('Machine_Image', PNG, 'b.png'),
      'Machine_Image',
    );
    await refused(
      () => upload().attach('Machine_Image', PNG.subarray(0, PNG.length - 12), 'cut.png'),
      'Machine_Image',
    );
    const badCrc = Buffer.from(PNG);
    badCrc[40] = badCrc[40]! ^ 0xff;
    await refused(() => upload().attach('Machine_Image', badCrc, 'crc.png'), 'Machine_Image');
    await upload().attach('Machine_Image', PNG, 'ok.png').expect(200);
  });
});

describe('devices', () => {
  it('PUT /wad/ems/v1/api/devices with neither name nor site is 400 naming name (000/001 envelope)', async () => {
    const uid = `dev-${org.orgId}`;
    await app.http
      .post('/wad/ems/v1/api/devices')
      .set(org.auth)
      .send({ device_uid: uid, name: '储能柜', kind: 'ems' })
      .expect(200);
    const before = await orgState(app, org.orgId);
    const res = await app.http
      .put('/wad/ems/v1/api/devices')
      .set(org.auth)
      .send({ device_uid: uid })
      .expect(400);
    expect(res.body).toMatchObject({ code: 100001, data: { field: 'name' } });
    expect(await orgState(app, org.orgId)).toEqual(before);
  });
});

describe('hand-filled data (5.6) dates', () => {
  it('accepts 2000-01-01 to the end of next year and says so; 0001, 1800 and 9999 are refused, not moved', async () => {
    const m = await buildMeter(app, org, { body: { Is_HandWork: '1' } });
    const next = app.deps.clock.now().getUTCFullYear() + 1;
    const send = (Date_Time: string) =>
      app.http
        .post('/api_3/PRP_manual_energy_measure_datas')
        .set(org.auth)
        .send({ Meter_id: m.id, Date_Time, Date_Type: '3', Data_Amount: 5 });
    for (const d of [
      '0001-01-01 00:00:00',
      '1800-06-01 00:00:00',
      '1999-12-31 23:59:59',
      '9999-01-01 00:00:00',
    ]) {
      const res = await refused(() => send(d), 'Date_Time');
      expect(res.body.Err_Msg).toContain(`2000-01-01 到 ${next}-12-31`);
    }
    await send('2000-01-01 12:00:00').expect(200);
    await send(`${next}-12-31 12:00:00`).expect(200);
  });
});
