import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg, type TestUser } from '../../../../test/support/builders';
import { buildMachine, buildMeter, postReadings } from '../../../../test/support/metering/builders';
import { at } from '../../../../test/support/metering/site';
import { buildOeeRule } from '../../../../test/support/oee/builders';

jest.setTimeout(180_000);

/** An output as this test declares it: local times, `rejectAmount: null` for one without rejects. */
type Output = { productId: number; amount: number; rejectAmount: number | null; start: string; end: string };
/** The products of the test (created through §8 in beforeAll): A, B and C of `org`, D of `other`. */
const p = { A: 0, B: 0, C: 0, D: 0 };
let batch: number;

let app: TestApp;
let org: TestUser;
let other: TestUser;
let machine: number;
const MIN = 60_000;

beforeAll(async () => {
  app = await startTestApp();
  org = await buildOrg(app);
  other = await buildOrg(app);
  await app.http
    .put('/api_3/shifts')
    .set(org.auth)
    .send({ Shifts: [{ Shift_Name: '白班', Shift_Start: '08:00:00', Shift_End: '16:00:00' }] })
    .expect(200);
  machine = (await buildMachine(app, org)).id;
  const meter = (await buildMeter(app, org, { machine, body: { Meter_Parameter: 'P' } })).id;
  await app.http
    .put('/api_3/OEE_settings')
    .set(org.auth)
    .send({ Meter_Superior_id: machine, Reading_Interval: 300, Offline_Intervals: 3 })
    .expect(200);
  const rule = (Status_Name: string, LowerLimit: number, UpperLimit: number) =>
    buildOeeRule(app, org, {
      Status_Name,
      Meter_id: meter,
      Meter_Parameter: 'P',
      LowerLimit,
      UpperLimit,
      Meter_Superior_id: machine,
    });
  await rule('计划停机', 0, 0);
  await rule('待机', 1, 49.99);
  await rule('运行', 50, 1e6);
  // 2025-05-10: planned stop until 09:00, running 09:00–13:55, no readings 14:00–14:55, idle from 15:00.
  const list: unknown[] = [];
  let total = 100;
  for (let t = at('2025-05-10 00:00:00'); t < at('2025-05-11 00:00:00'); t += 5 * MIN) {
    const h = (t - at('2025-05-10 00:00:00')) / 3_600_000;
    if (h >= 14 && h < 15) continue;
    const P = h < 9 ? 0 : h < 14 ? 80 : 20;
    list.push({ meter, ts: t, total: (total += 1), params: { P } });
  }
  expect((await postReadings(app, org, list)).Rejected).toBe(0);
  await app.platform.settle();
  const create = async (who: TestUser, path: string, body: Record<string, unknown>) =>
    Number((await app.http.post(path).set(who.auth).send(body).expect(200)).body.Data[0].id);
  for (const k of ['A', 'B', 'C'] as const)
    p[k] = await create(org, '/api_3/products', { Product_Name: `产品${k}`, Product_Unit: '件' });
  p.D = await create(other, '/api_3/products', { Product_Name: '产品D', Product_Unit: '件' });
  batch = await create(org, '/api_3/productsBatch', {
    Production_Batch: 'B-0510',
    Time_Start: '2025-05-10 00:00:00',
    Time_End: '2025-05-12 00:00:00',
  });
  for (const [Product_id, Ideal_Rate] of [
    [p.A, 150],
    [p.B, 50],
  ])
    await app.http
      .post('/api_3/OEE_ideal_rates')
      .set(org.auth)
      .send({ Meter_Superior_id: machine, Product_id, Ideal_Rate })
      .expect(200);
});
afterAll(() => app.close());

/** Replaces the machine's outputs with `list`, through 8.5/8.6/8.8. */
async function setOutputs(list: Output[]) {
  const old = await app.http
    .get('/api_3/product_output')
    .set(org.auth)
    .query({ Meter_Superior_id: machine, Per_Page_Counts: 100 })
    .expect(200);
  for (const o of old.body.Data as { id: number }[])
    await app.http.delete('/api_3/product_output').set(org.auth).query({ id: o.id }).expect(200);
  for (const o of list)
    await app.http
      .post('/api_3/product_output')
      .set(org.auth)
      .send({
        Product_id: o.productId,
        Total_Amount: o.amount,
        Meter_Superior_id: machine,
        Time_Start: o.start,
        Time_End: o.end,
        ProductBatch_id: batch,
        ...(o.rejectAmount === null ? {} : { Reject_Amount: o.rejectAmount }),
      })
      .expect(200);
}

const factors = async (Time_Type: number, Time: string, m = machine) =>
  (
    await app.http
      .get('/api_3/OEE_factors')
      .set(org.auth)
      .query({ Meter_Superior_id: m, Time_Type, Time })
      .expect(200)
  ).body.Data[0];

describe('OEE factors (extension)', () => {
  it('says 无数据 for performance and quality without outputs, never 100 %', async () => {
    const f = await factors(3, '2025-05-10 12:00:00');
    // Shift 08:00–16:00 = 8 h; planned stop 08:00–09:00; run 09:00 → 14:10 (13:55 + 15 min gap), then 离线.
    expect(f).toMatchObject({
      Time_Start: '2025-05-10 00:00:00',
      Time_End: '2025-05-11 00:00:00',
      Planned_Seconds: 7 * 3600,
      Planned_Stop_Seconds: 3600,
      Run_Seconds: 5 * 3600 + 10 * 60,
      Run_Status_Names: ['运行'],
    });
    expect(f.Availability.Value).toBeCloseTo(310 / 420, 10);
    expect(f.Availability.Text).toBe('73.8 %');
    expect(f.Availability.Basis).toContain('运行时间');
    for (const k of ['Performance', 'Quality', 'OEE'])
      expect(f[k]).toMatchObject({ Value: null, Text: '无数据' });
  });

  it('computes performance, quality and OEE from outputs, ideal rates and rejects', async () => {
    await setOutputs([
      {
        productId: p.A,
        amount: 600,
        rejectAmount: 30,
        start: '2025-05-10 09:00:00',
        end: '2025-05-10 12:00:00',
      },
      {
        productId: p.B,
        amount: 40,
        rejectAmount: 0,
        start: '2025-05-10 12:00:00',
        end: '2025-05-10 16:00:00',
      },
    ]);
    const f = await factors(3, '2025-05-10 00:00:00');
    // Ideal hours 600/150 + 40/50 = 4.8 h over 5 h 10 min of run; good (640 − 30) of 640.
    expect(f.Performance.Value).toBeCloseTo(288 / 310, 10);
    expect(f.Quality.Value).toBeCloseTo(610 / 640, 10);
    expect(f.OEE.Value).toBeCloseTo((310 / 420) * (288 / 310) * (610 / 640), 10);
    expect(f.OEE.Basis).toContain('×');
  });

  it('prorates an output crossing the period and names what is missing', async () => {
    await setOutputs([
      // Half of it (12 h of 24) lies in 2025-05-10.
      {
        productId: p.A,
        amount: 300,
        rejectAmount: null,
        start: '2025-05-10 12:00:00',
        end: '2025-05-11 12:00:00',
      },
      {
        productId: p.B,
        amount: 10,
        rejectAmount: 1,
        start: '2025-05-10 10:00:00',
        end: '2025-05-10 11:00:00',
      },
    ]);
    const f = await factors(3, '2025-05-10 08:00:00');
    expect(f.Performance.Value).toBeCloseTo((150 / 150 + 10 / 50) / (310 / 60), 10);
    expect(f.Quality).toMatchObject({ Value: null, Text: '无数据' });
    expect(f.Quality.Basis).toContain('不合格数量');
    expect(f.OEE.Text).toBe('无数据');
    // C has no ideal rate on this machine.
    await setOutputs([
      {
        productId: p.C,
        amount: 10,
        rejectAmount: 0,
        start: '2025-05-10 10:00:00',
        end: '2025-05-10 11:00:00',
      },
    ]);
    const g = await factors(3, '2025-05-10 08:00:00');
    expect(g.Performance).toMatchObject({ Value: null, Text: '无数据' });
    expect(g.Performance.Basis).toContain('「产品C」');
  });

  it('counts a month from the first reading on (planned time from the shifts)', async () => {
    await setOutputs([]);
    const f = await factors(2, '2025-05-20 00:00:00');
    // From 05-10 00:00 to 06-01: 22 days × 8 h, minus 1 h planned stop; after 05-10 the machine is 离线.
    expect(f.Planned_Seconds).toBe((22 * 8 - 1) * 3600);
    expect(f.Run_Seconds).toBe(310 * 60);
  });

  it('answers 无数据 for a machine without run rules', async () => {
    const m = (await buildMachine(app, org)).id;
    const f = await factors(1, '2025-05-20 00:00:00', m);
    for (const k of ['Availability', 'Performance', 'Quality', 'OEE'])
      expect(f[k]).toMatchObject({ Value: null, Text: '无数据' });
  });

  it("refuses another organization's product for an ideal rate (4002 naming Product_id)", async () => {
    const res = await app.http
      .post('/api_3/OEE_ideal_rates')
      .set(org.auth)
      .send({ Meter_Superior_id: machine, Product_id: p.D, Ideal_Rate: 5 })
      .expect(404);
    expect(res.body.Err_No).toBe('4002');
    expect(JSON.stringify(res.body)).toContain('Product_id');
    const list = await app.http
      .get('/api_3/OEE_ideal_rates')
      .set(org.auth)
      .query({ Meter_Superior_id: machine })
      .expect(200);
    expect(list.body.Total_Numbers).toBe(2);
    expect(list.body.Data.map((r: { Product_id: number }) => r.Product_id)).toEqual([p.A, p.B]);
    const foreign = await app.http.get('/api_3/OEE_ideal_rates').set(other.auth).expect(200);
    expect(foreign.body.Total_Numbers).toBe(0);
    const del = await app.http
      .delete('/api_3/OEE_ideal_rates')
      .set(other.auth)
      .query({ id: list.body.Data[0].id });
    expect(del.status).toBe(404);
  });
});
