import { sql } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg, type TestUser } from '../../../../test/support/builders';
import { buildMeter, postReadings } from '../../../../test/support/metering/builders';

let app: TestApp;
let org: TestUser;
beforeAll(async () => {
  app = await startTestApp();
  org = await buildOrg(app);
});
afterAll(() => app.close());

const Q = 15 * 60_000;
const T0 = Date.parse('2026-05-04T00:00:00Z');

const meterItem = async (id: number) =>
  (await app.http.get('/api_3/meters').set(org.auth).query({ id }).expect(200)).body.Data[0];
const storedTotals = async (id: number) =>
  (
    await app.deps.database.rows<{ total: number }>(
      sql`select total from readings where meter_id = ${id} order by ts`,
    )
  ).map((r) => Number(r.total));

describe('plausibility: the max-rate ceiling is per meter (its own setting, or its energy type default)', () => {
  it('refuses, by index, a jump faster than the meter allows while a meter of the same type keeps it', async () => {
    const slow = await buildMeter(app, org, { type: 0, body: { Meter_Max_Rate: '100' } }); // 100 kWh/h
    const plain = await buildMeter(app, org, { type: 0 });
    expect(await meterItem(slow.id)).toMatchObject({ Meter_Max_Rate: '100', Meter_Max_Rate_Set: '1' });
    expect(await meterItem(plain.id)).toMatchObject({ Meter_Max_Rate: '1000000', Meter_Max_Rate_Set: '0' });

    // 15 minutes: +20 is 80 kWh/h (fine), +30 is 120 kWh/h (too fast for `slow`, nothing for `plain`).
    const steps = [0, 20, 30, 20];
    const send = (m: number) => {
      let total = 1000;
      return steps.map((d, i) => ({ meter: m, ts: T0 + i * Q, total: (total += d) }));
    };
    const r = await postReadings(app, org, [...send(slow.id), ...send(plain.id)]);
    expect(r.Accepted).toBe(7);
    expect(r.Rejected).toBe(1);
    expect(r.Errors).toEqual([
      {
        index: 2,
        field: 'total',
        rule: expect.stringContaining('该仪表设置的上限（每小时最多增加 100）'),
      },
    ]);
    // The refused reading changed nothing; the one after it is compared with the one before it (50 in 30 min).
    expect(await storedTotals(slow.id)).toEqual([1000, 1020, 1070]);
    expect(await storedTotals(plain.id)).toEqual([1000, 1020, 1050, 1070]);
  });

  it('uses the energy type default until the meter has its own, and a raised setting takes the reading', async () => {
    const steam = await buildMeter(app, org, { type: 5 }); // steam: 10,000 t/h by default
    const t = T0 + 86_400_000;
    const first = await postReadings(app, org, [
      { meter: steam.id, ts: t, total: 10 },
      { meter: steam.id, ts: t + Q, total: 10 + 3000 }, // 12,000 t/h
    ]);
    expect(first).toMatchObject({
      Accepted: 1,
      Rejected: 1,
      Errors: [
        {
          index: 1,
          field: 'total',
          rule: expect.stringContaining('默认上限（每小时最多增加 10000）'),
        },
      ],
    });
    const item = await meterItem(steam.id);
    await app.http
      .put('/api_3/meters')
      .set(org.auth)
      .send({
        id: steam.id,
        Meter_Name: item.Meter_Name,
        Meter_Type: '5',
        Meter_Superior_id: item.Meter_Superior_id,
        Meter_Max_Rate: 20_000,
      })
      .expect(200);
    expect(await meterItem(steam.id)).toMatchObject({ Meter_Max_Rate: '20000', Meter_Max_Rate_Set: '1' });
    const again = await postReadings(app, org, [{ meter: steam.id, ts: t + Q, total: 10 + 3000 }]);
    expect(again).toMatchObject({ Accepted: 1, Rejected: 0 });
    expect(await storedTotals(steam.id)).toEqual([10, 3010]);
  });

  it('refuses a setting that is not a positive number, naming the field, changing nothing', async () => {
    const m = await buildMeter(app, org, { type: 1, body: { Meter_Max_Rate: 50 } });
    const item = await meterItem(m.id);
    for (const bad of [0, -5, 'abc', '1e309'] as const) {
      const res = await app.http.put('/api_3/meters').set(org.auth).send({
        id: m.id,
        Meter_Name: item.Meter_Name,
        Meter_Type: '1',
        Meter_Superior_id: item.Meter_Superior_id,
        Meter_Max_Rate: bad,
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('Meter_Max_Rate');
    }
    expect(await meterItem(m.id)).toMatchObject({ Meter_Max_Rate: '50', Meter_Max_Rate_Set: '1' });
  });
});
