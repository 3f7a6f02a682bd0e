import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg, type TestUser } from '../../../../test/support/builders';
import { buildMeter, postReadings } from '../../../../test/support/metering/builders';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const T0 = Date.parse('2024-03-01T00:00:00+08:00');
const Q = 15 * 60_000;
const dayTotal = async (u: TestUser, name: string, day = '2024-03-01') => {
  const res = await app.http
    .get('/api_3/allenergy')
    .set(u.auth)
    .query({
      Time_Type: '2',
      Time_Start: `${day} 00:00:00`,
      Time_End: `${day} 23:59:59`,
      Amount_Type: '2',
      Amount_SortName: name,
    })
    .expect(200);
  return res.body.Data[0].Total_Amount as string;
};

describe('readings ingest', () => {
  it('never doubles a total when a batch is sent again, and takes a correction', async () => {
    const org = await buildOrg(app);
    const m = await buildMeter(app, org);
    const batch = [0, 1, 2, 3].map((i) => ({ meter: m.id, ts: T0 + i * Q, total: 100 + i * 5 }));
    await postReadings(app, org, batch);
    expect(await dayTotal(org, m.name)).toBe('15.00');
    expect(await postReadings(app, org, batch)).toMatchObject({ Accepted: 4, Rejected: 0 });
    expect(await dayTotal(org, m.name)).toBe('15.00');
    await postReadings(app, org, [{ meter: m.id, ts: T0 + 3 * Q, total: 120 }]);
    expect(await dayTotal(org, m.name)).toBe('20.00');
  });

  it('corrects figures already computed when a late reading arrives, across a day boundary', async () => {
    const org = await buildOrg(app);
    const m = await buildMeter(app, org);
    const end = Date.parse('2024-03-02T00:00:00+08:00');
    await postReadings(app, org, [
      { meter: m.id, ts: end - Q, total: 10 },
      { meter: m.id, ts: end + Q, total: 30 },
    ]);
    expect(await dayTotal(org, m.name, '2024-03-02')).toBe('20.00');
    await postReadings(app, org, [{ meter: m.id, ts: end, total: 14 }]); // late: closes 1 March's last interval
    expect(await dayTotal(org, m.name, '2024-03-01')).toBe('4.00');
    expect(await dayTotal(org, m.name, '2024-03-02')).toBe('16.00');
  });

  it('reports bad readings by position, keeps the good ones, and stores nothing from the bad', async () => {
    const org = await buildOrg(app);
    const other = await buildOrg(app);
    const m = await buildMeter(app, org);
    const foreign = await buildMeter(app, other);
    const v = await buildMeter(app, org, {
      machine: m.machine,
      body: { Meter_IsVirtual: '1', Meter_Formula: `[${m.id}]` },
    });
    const res = await postReadings(app, org, [
      { meter: m.id, ts: T0, total: 1 },
      { meter: m.id, ts: T0 + Q, total: 'abc' },
      { meter: foreign.id, ts: T0, total: 5 },
      { meter: m.id, ts: Date.now() + 86_400_000, total: 9 },
      { meter: v.id, ts: T0, total: 5 },
      { meter: m.id, ts: T0 + 2 * Q, total: 3, params: { UA: 'high' } },
      42,
      { meter: m.id, ts: T0 + 3 * Q, total: 4, extra: 1 },
      { meter: m.id, ts: T0 + 4 * Q, total: 6 },
    ]);
    expect(res.Accepted).toBe(2);
    expect(res.Errors.map((e) => [e.index, e.field])).toEqual([
      [1, 'total'],
      [2, 'meter'],
      [3, 'ts'],
      [4, 'meter'],
      [5, 'params.UA'],
      [6, ''],
      [7, 'extra'],
    ]);
    expect(await dayTotal(org, m.name)).toBe('5.00');
    const foreignTotal = await dayTotal(other, foreign.name);
    expect(foreignTotal).toBe('0.00');
  });

  it('adds measure points a meter reports for the first time to its Meter_Parameter', async () => {
    const org = await buildOrg(app);
    const m = await buildMeter(app, org, { body: { Meter_Parameter: 'UA' } });
    await postReadings(app, org, [{ meter: m.id, ts: T0, total: 1, params: { UA: 220, PF: 0.95 } }]);
    const res = await app.http.get('/api_3/meters').set(org.auth).query({ id: m.id }).expect(200);
    expect(res.body.Data[0].Meter_Parameter).toBe('UA,PF');
  });

  it('rejects an empty batch or a missing readings list with 4103', async () => {
    const org = await buildOrg(app);
    const r1 = await app.http.post('/api_3/readings').set(org.auth).send({ readings: [] }).expect(400);
    expect(r1.body.Err_No).toBe('4103');
    await app.http.post('/api_3/readings').set(org.auth).send({}).expect(400);
  });
});

describe('hand-filled data (5.6)', () => {
  it('feeds day and month totals, and replaces an amount sent again for the same period', async () => {
    const org = await buildOrg(app);
    const h = await buildMeter(app, org, { type: 1, body: { Is_HandWork: '1' } });
    const send = (body: object) =>
      app.http
        .post('/api_3/PRP_manual_energy_measure_datas')
        .set(org.auth)
        .send({ Meter_id: h.id, ...body });
    await send({ Date_Time: '2024-03-01 10:00:00', Date_Type: '3', Data_Amount: '7.5' }).expect(200);
    await send({ Date_Time: '2024-03-01 18:00:00', Date_Type: '3', Data_Amount: '8' }).expect(200);
    expect(await dayTotal(org, h.name)).toBe('8.00');
    await send({ Date_Time: '2024-03-15 00:00:00', Date_Type: 2, Data_Amount: 100 }).expect(200);
    const month = await app.http
      .get('/api_3/allenergy')
      .set(org.auth)
      .query({
        Time_Type: '1',
        Time_Start: '2024-03-01 00:00:00',
        Time_End: '2024-03-31 00:00:00',
        Amount_Type: '1',
      })
      .expect(200);
    expect(month.body.Data).toEqual([expect.objectContaining({ Ene_Type: '1', Total_Amount: '108.00' })]);
  });

  it('rejects a meter that is not hand-filled, an unknown meter and a bad Date_Type, saving nothing', async () => {
    const org = await buildOrg(app);
    const m = await buildMeter(app, org);
    const send = (body: object) =>
      app.http.post('/api_3/PRP_manual_energy_measure_datas').set(org.auth).send(body);
    const r1 = await send({
      Meter_id: m.id,
      Date_Time: '2024-03-01 10:00:00',
      Date_Type: '3',
      Data_Amount: '5',
    }).expect(400);
    expect(r1.body.Err_Detail.field).toBe('Meter_id');
    await send({
      Meter_id: 999999999,
      Date_Time: '2024-03-01 10:00:00',
      Date_Type: '3',
      Data_Amount: '5',
    }).expect(400);
    const r3 = await send({
      Meter_id: m.id,
      Date_Time: '2024-03-01 10:00:00',
      Date_Type: '1',
      Data_Amount: '5',
    }).expect(400);
    expect(r3.body.Err_Detail.field).toBe('Date_Type');
    expect(await dayTotal(org, m.name)).toBe('0.00');
  });
});

describe('concurrent batches', () => {
  it('keeps totals exact when overlapping batches for the same meters arrive at once', async () => {
    const org = await buildOrg(app);
    const a = await buildMeter(app, org);
    const b = await buildMeter(app, org, { machine: a.machine });
    const all = [a.id, b.id].flatMap((meter) =>
      Array.from({ length: 48 }, (_, i) => ({ meter, ts: T0 + (i + 1) * Q, total: 1000 + i * 2.5 })),
    );
    // four gateways send overlapping halves, out of order, at the same time
    const parts = [
      all.slice(0, 60),
      all.slice(30, 96),
      [...all].reverse().slice(0, 50),
      all.filter((_, i) => i % 3 === 0),
    ];
    await Promise.all(parts.map((p) => postReadings(app, org, p)));
    expect(await dayTotal(org, a.name)).toBe('117.50');
    expect(await dayTotal(org, b.name)).toBe('117.50');
  });
});
