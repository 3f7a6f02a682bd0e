import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildMember, buildOrg } from '../../../../test/support/builders';
import { buildMeter, postReadings } from '../../../../test/support/metering/builders';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

it('answers allenergy with the consumption of ingested readings', async () => {
  const org = await buildOrg(app);
  const m = await buildMeter(app, org);
  const t0 = Date.parse('2019-06-01T00:00:00+08:00');
  const r = await postReadings(app, org, [
    { meter: m.id, ts: t0, total: 100 },
    { meter: m.id, ts: t0 + 15 * 60_000, total: 110, params: { UA: 220 } },
    { meter: m.id, ts: t0 + 30 * 60_000, total: 125.5, params: { UA: 222 } },
  ]);
  expect(r).toMatchObject({ Accepted: 3, Rejected: 0 });
  const res = await app.http
    .get('/api_3/allenergy')
    .set(org.auth)
    .query({
      Time_Type: '2',
      Time_Start: '2019-06-01 00:00:00',
      Time_End: '2019-06-01 23:59:59',
      Amount_Type: '2',
    })
    .expect(200);
  expect(res.body.Data).toEqual([expect.objectContaining({ Meter_Name: m.name, Total_Amount: '25.50' })]);
  const raw = await app.http
    .get('/api_3/detailenergy')
    .set(org.auth)
    .query({
      Time_Type: '3',
      Time_Start: '2019-06-01 00:00:00',
      Time_End: '2019-06-01 01:59:59',
      Amount_Type: '1',
      Data_Source: 'raw',
    })
    .expect(200);
  expect(raw.body.Data.map((d: { Total_Amount: string }) => d.Total_Amount)).toEqual(['25.50', '0.00']);
  const measure = await app.http
    .get('/api_3/measure')
    .set(org.auth)
    .query({
      Time_Type: '2',
      Time_Start: '2019-06-01 00:00:00',
      Time_End: '2019-06-01 23:59:59',
      Meter_Name: m.name,
    })
    .expect(200);
  expect(measure.body.Data).toEqual([
    { Time: '2019-06-01 00:00:00', Measure_Name: 'UA', Measure_Value: '221' },
  ]);
});

it('keeps Data_Source=raw to admins (permission energy.raw) and limits it to 6 queries a minute per user', async () => {
  const org = await buildOrg(app);
  const viewer = await buildMember(app, org, 'viewer');
  const operator = await buildMember(app, org, 'operator');
  const query = {
    Time_Type: '2',
    Time_Start: '2019-06-01 00:00:00',
    Time_End: '2019-06-01 23:59:59',
    Amount_Type: '1',
  };
  for (const member of [viewer, operator]) {
    const res = await app.http
      .get('/api_3/allenergy')
      .set(member.auth)
      .query({ ...query, Data_Source: 'raw' })
      .expect(403);
    expect(res.body).toMatchObject({ Err_No: '4105', Err_Detail: { field: 'Data_Source' } });
    await app.http.get('/api_3/allenergy').set(member.auth).query(query).expect(200);
  }
  const statuses: number[] = [];
  let limited: { Err_No?: string } | undefined;
  for (let i = 0; i < 13; i++) {
    const res = await app.http
      .get(i % 2 ? '/api_3/detailenergy' : '/api_3/allenergy')
      .set(org.auth)
      .query({ ...query, Data_Source: 'raw' });
    statuses.push(res.status);
    if (res.status === 429) limited = res.body;
  }
  // 13 requests fall in at most two one-minute windows, of which each lets 6 through.
  expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(12);
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(6);
  expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
  expect(limited).toMatchObject({ Err_No: '4201' });
  // The rollup path is not limited by it.
  await app.http.get('/api_3/allenergy').set(org.auth).query(query).expect(200);
});
