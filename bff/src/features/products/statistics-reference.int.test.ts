import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg, type TestUser } from '../../../../test/support/builders';
import { buildMachine } from '../../../../test/support/metering/builders';
import { refBuckets, type RefCalendar } from '../../../../test/support/metering/reference';
import { at, buildSite, local, TZ, type Site } from '../../../../test/support/metering/site';
import { refGroups, refShares, refValue, type RefOutput } from '../../../../test/support/products/reference';

// 8.9 and 8.14 against a brute-force reference on generated data: two weeks of readings around the 2020
// leap day (test/support/metering/site.ts: a meter swap, a register roll-over, late and duplicate
// readings, a virtual meter on machine 1 made of its meters and machine 2's water meter, a hand-filled
// water meter), outputs that overlap on one machine, cross a month boundary, and have no energy (a
// machine without meters; a span after the data), then custom day and month starts.

let app: TestApp;
let org: TestUser;
let site: Site;
const outputs: RefOutput[] = [];
const machines = new Map<string, number[]>();
/** GB/T 2589-2020 defaults the API should start with (electricity 当量值, new water); 9.9 set below. */
const factors: Record<number, number> = { 0: 0.1229, 1: 0.2571 };

const post = async (path: string, body: Record<string, unknown>) => {
  const res = await app.http.post(path).set(org.auth).send(body);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return Number(res.body.Data[0].id);
};

beforeAll(async () => {
  app = await startTestApp();
  org = await buildOrg(app);
  site = await buildSite(app, org);
  const m3 = await buildMachine(app, org, { department: '装配车间' });
  const list = await app.http
    .get('/api_3/metersuperiors')
    .set(org.auth)
    .query({ Per_Page_Counts: 100 })
    .expect(200);
  const idOf = new Map<string, number>(
    (list.body.Data as { id: number; Meter_Superior: string }[]).map((m) => [m.Meter_Superior, m.id]),
  );
  const { A, B, C, V, H } = site.ids;
  machines.set(site.machines.m1, [A, B, V]);
  machines.set(site.machines.m2, [C, H]);
  machines.set(m3.name, []);
  const p1 = await post('/api_3/products', { Product_Name: '钢板', Product_Unit: 't', Remarks: '热轧' });
  const p2 = await post('/api_3/products', { Product_Name: '铸件', Product_Unit: '件' });
  const b1 = await post('/api_3/productsBatch', {
    Production_Batch: 'B-01',
    Time_Start: '2020-02-20 00:00:00',
    Time_End: '2020-02-29 00:00:00',
  });
  const b2 = await post('/api_3/productsBatch', {
    Production_Batch: 'B-02',
    Time_Start: '2020-02-26 00:00:00',
    Time_End: '2020-03-15 00:00:00',
  });
  const plan: [number, string, string, string, number, number, string, string][] = [
    // product, unit/name, machine, batch, id, amount, start, end
    [p1, '钢板', site.machines.m1, 'B-01', b1, 120, '2020-02-21 08:00:00', '2020-02-22 20:00:00'],
    // overlaps the first on the same machine: the energy of 02-22 08:00–20:00 is shared by output rate
    [p2, '铸件', site.machines.m1, 'B-01', b1, 300, '2020-02-22 08:00:00', '2020-02-23 08:10:00'],
    // across the leap day and the month boundary
    [p1, '钢板', site.machines.m1, 'B-02', b2, 80, '2020-02-28 22:00:00', '2020-03-01 06:00:00'],
    // machine 2: water, with the hand-filled amounts of 02-27 and 02-29
    [p1, '钢板', site.machines.m2, 'B-02', b2, 50, '2020-02-26 00:00:00', '2020-03-01 00:00:00'],
    // no energy: a machine without meters, and a span after the readings
    [p2, '铸件', m3.name, 'B-01', b1, 40, '2020-02-24 00:00:00', '2020-02-25 00:00:00'],
    [p2, '铸件', site.machines.m1, 'B-02', b2, 25, '2020-03-10 00:00:00', '2020-03-11 00:00:00'],
    // an output of 0 beside another on machine 2: it gets no energy, and a zero-only segment splits equally
    [p2, '铸件', site.machines.m2, 'B-02', b2, 0, '2020-02-29 12:00:00', '2020-03-02 12:00:00'],
  ];
  for (const [pid, name, machine, batch, bid, amount, start, end] of plan) {
    await post('/api_3/product_output', {
      Product_id: pid,
      Total_Amount: amount,
      Meter_Superior_id: idOf.get(machine)!,
      Time_Start: start,
      Time_End: end,
      ProductBatch_id: bid,
    });
    outputs.push({
      product: name,
      unit: name === '钢板' ? 't' : '件',
      machine,
      batch,
      amount,
      start: at(start),
      end: at(end),
    });
  }
}, 180_000);
afterAll(() => app.close());

type Row = {
  Product_Name: string;
  Meter_Superior: string;
  Time?: string;
  Total_Amount: number | null;
  Unit: string;
};
const near = (api: number | null, ref: number | null, what: string) => {
  if (ref === null) return expect({ what, api }).toEqual({ what, api: null });
  const ok = api !== null && Math.abs(api - ref) <= 1e-4 + Math.abs(ref) * 1e-6;
  expect({ what, api, ref, ok }).toEqual({ what, api, ref, ok: true });
};

async function check89(
  cal: RefCalendar,
  q: {
    type: 1 | 2 | 3;
    start: string;
    end: string;
    summary: 0 | 1 | 2;
    format: 1 | 2;
    amount: number;
    energy?: number;
  },
) {
  const res = await app.http
    .get('/api_3/product_output_energy_statistic')
    .set(org.auth)
    .query({
      Time_Type: String(q.type),
      Time_Start: q.start,
      Time_End: q.end,
      Summary_Type: q.summary,
      Return_Format: q.format,
      Amount_Type: q.amount,
      ...(q.energy === undefined ? {} : { Energy_Type: String(q.energy) }),
    })
    .expect(200);
  const from = at(q.start);
  const to = at(q.end);
  const periods =
    q.format === 1
      ? [{ start: from, end: to }]
      : refBuckets(cal, q.type, q.start, q.end).map((b) => ({
          start: Math.max(b.start, from),
          end: Math.min(b.end, to),
        }));
  const shares = refShares(outputs, machines, site.meters, { start: from, end: to }, periods);
  const key = (o: RefOutput) =>
    q.summary === 1 ? `${o.product}|` : q.summary === 2 ? `|${o.machine}` : `${o.product}|${o.machine}`;
  const groups = refGroups(shares, key, periods.length);
  const rows = res.body.Data as Row[];
  expect({ rows: rows.length }).toEqual({ rows: groups.size * periods.length });
  for (const [k, totals] of groups) {
    totals.forEach((t, i) => {
      const time = local(periods[i]!.start);
      const row = rows.find((r) => `${r.Product_Name}|${r.Meter_Superior}` === k && r.Time === time);
      expect({ k, time, found: !!row }).toEqual({ k, time, found: true });
      near(row!.Total_Amount, refValue(q.amount, t, q.energy, factors), `${k} ${time} type ${q.amount}`);
    });
  }
  return rows;
}

describe('8.9 product_output_energy_statistic equals the brute-force reference', () => {
  const std: RefCalendar = { tz: TZ, dayMinute: 0, monthDay: 1 };

  it.each([1, 2, 3, 4, 5])('totals over the data, Amount_Type %i, every Summary_Type', async (amount) => {
    for (const summary of [0, 1, 2] as const)
      for (const energy of amount === 2 || amount === 4 ? [0, 1] : [undefined])
        await check89(std, {
          type: 2,
          start: '2020-02-20 00:00:00',
          end: '2020-03-12 00:00:00',
          summary,
          format: 1,
          amount,
          energy,
        });
  });

  it('per day over a month, per month over a year, per hour over the overlap day (outputs cut at the window)', async () => {
    for (const amount of [1, 3, 4, 5])
      await check89(std, {
        type: 2,
        start: '2020-02-21 12:00:00',
        end: '2020-03-03 00:00:00',
        summary: 0,
        format: 2,
        amount,
        energy: 0,
      });
    await check89(std, {
      type: 1,
      start: '2020-01-01 00:00:00',
      end: '2021-01-01 00:00:00',
      summary: 2,
      format: 2,
      amount: 5,
    });
    await check89(std, {
      type: 3,
      start: '2020-02-22 00:00:00',
      end: '2020-02-23 00:00:00',
      summary: 1,
      format: 2,
      amount: 2,
      energy: 0,
    });
  });

  it('carries units, answers null where nothing was produced, and an output with no energy has 0', async () => {
    const rows = await check89(std, {
      type: 2,
      start: '2020-02-20 00:00:00',
      end: '2020-03-12 00:00:00',
      summary: 0,
      format: 1,
      amount: 4,
      energy: 0,
    });
    expect(new Set(rows.map((r) => r.Unit))).toEqual(new Set(['kWh/t', 'kWh/件']));
    const noMeters = rows.find(
      (r) => r.Meter_Superior !== site.machines.m1 && r.Meter_Superior !== site.machines.m2,
    )!;
    expect(noMeters.Total_Amount).toBe(0);
    const tce = await check89(std, {
      type: 2,
      start: '2020-02-20 00:00:00',
      end: '2020-03-12 00:00:00',
      summary: 1,
      format: 1,
      amount: 3,
    });
    expect(tce.every((r) => r.Unit === 'tce')).toBe(true);
    const perDay = await check89(std, {
      type: 2,
      start: '2020-02-20 00:00:00',
      end: '2020-02-25 00:00:00',
      summary: 1,
      format: 2,
      amount: 5,
    });
    expect(perDay.some((r) => r.Total_Amount === null)).toBe(true);
    expect(perDay.every((r) => r.Unit === 'kgce/t' || r.Unit === 'kgce/件')).toBe(true);
  });

  it('orders by total and limits (Is_Order, Order_Type, Limit)', async () => {
    const q = {
      Time_Type: '2',
      Time_Start: '2020-02-20 00:00:00',
      Time_End: '2020-03-12 00:00:00',
      Summary_Type: 0,
      Return_Format: 1,
      Amount_Type: 1,
    };
    const all = (
      await app.http.get('/api_3/product_output_energy_statistic').set(org.auth).query(q).expect(200)
    ).body.Data as Row[];
    const desc = (
      await app.http
        .get('/api_3/product_output_energy_statistic')
        .set(org.auth)
        .query({ ...q, Is_Order: 1, Order_Type: 2, Limit: 2 })
        .expect(200)
    ).body.Data as Row[];
    const sorted = all.map((r) => r.Total_Amount!).sort((a, b) => b - a);
    expect(desc.map((r) => r.Total_Amount)).toEqual(sorted.slice(0, 2));
  });

  it('uses the organization’s standard-coal factors (changed water factor)', async () => {
    await app.http
      .put('/api_3/standard_coal_factors')
      .set(org.auth)
      .send({ Energy_Type: 1, Factor: '0.5', Source: '实测' })
      .expect(200);
    factors[1] = 0.5;
    for (const amount of [3, 5])
      await check89(std, {
        type: 2,
        start: '2020-02-20 00:00:00',
        end: '2020-03-12 00:00:00',
        summary: 2,
        format: 1,
        amount,
      });
    await app.http.delete('/api_3/standard_coal_factors').set(org.auth).query({ Energy_Type: 1 }).expect(200);
    factors[1] = 0.2571;
    await check89(std, {
      type: 2,
      start: '2020-02-20 00:00:00',
      end: '2020-03-12 00:00:00',
      summary: 2,
      format: 1,
      amount: 3,
    });
  });
});

describe('8.14 productsBatch_output_energy_statistic equals the brute-force reference', () => {
  it.each([1, 2, 3, 4, 5, 6])('Amount_Type %i, every Summary_Type, whole outputs', async (amount) => {
    for (const summary of [0, 1, 2, 3]) {
      const energy = amount === 2 || amount === 4 ? 0 : undefined;
      const res = await app.http
        .get('/api_3/productsBatch_output_energy_statistic')
        .set(org.auth)
        .query({
          Production_Batch: 'B-01,B-02',
          Summary_Type: summary,
          Amount_Type: amount,
          ...(energy === undefined ? {} : { Energy_Type: energy }),
        })
        .expect(200);
      const shares = refShares(outputs, machines, site.meters, null, [{ start: 0, end: 8.64e15 }]);
      const key = (o: RefOutput) =>
        summary === 1
          ? `|${o.product}|`
          : summary === 2
            ? `||${o.machine}`
            : summary === 3
              ? `${o.batch}||`
              : `${o.batch}|${o.product}|${o.machine}`;
      const groups = refGroups(shares, key, 1);
      const rows = res.body.Data as (Row & { Production_Batch: string })[];
      expect({ summary, rows: rows.length }).toEqual({ summary, rows: groups.size });
      for (const [k, [t]] of groups) {
        const row = rows.find((r) => `${r.Production_Batch}|${r.Product_Name}|${r.Meter_Superior}` === k);
        expect({ k, found: !!row }).toEqual({ k, found: true });
        near(row!.Total_Amount, refValue(amount, t!, energy, factors), `${k} type ${amount}`);
      }
    }
  });

  it('filters one batch, a product and a machine; ranks batches', async () => {
    const res = await app.http
      .get('/api_3/productsBatch_output_energy_statistic')
      .set(org.auth)
      .query({
        Production_Batch: 'B-02',
        Product_Name: '钢板',
        Meter_Superior: site.machines.m1,
        Summary_Type: 3,
        Amount_Type: 6,
      })
      .expect(200);
    expect(res.body.Data).toEqual([
      { Production_Batch: 'B-02', Product_Name: '', Meter_Superior: '', Total_Amount: 2.5, Unit: 't/h' },
    ]);
    const ranked = await app.http
      .get('/api_3/productsBatch_output_energy_statistic')
      .set(org.auth)
      .query({ Production_Batch: 'B-01,B-02', Summary_Type: 3, Amount_Type: 1, Is_Order: 1, Order_Type: 1 })
      .expect(200);
    const values = (ranked.body.Data as Row[]).map((r) => r.Total_Amount!);
    expect(values).toEqual([...values].sort((a, b) => a - b));
  });
});

describe('custom day (07:30) and month (from the 26th) starts move the 8.9 periods', () => {
  it('per day and per month with the custom calendar', async () => {
    await app.http
      .put('/api_3/personalise')
      .set(org.auth)
      .send({
        Year_Start: '1',
        Year_End: '1',
        Month_Start: '-26',
        Month_End: '-26',
        Day_Start: '07:30:00',
        Day_End: '07:30:00',
      })
      .expect(200);
    const custom: RefCalendar = { tz: TZ, dayMinute: 450, monthDay: 26 };
    for (const amount of [1, 4])
      await check89(custom, {
        type: 2,
        start: '2020-02-20 00:00:00',
        end: '2020-03-05 00:00:00',
        summary: 0,
        format: 2,
        amount,
        energy: 0,
      });
    await check89(custom, {
      type: 1,
      start: '2020-01-01 00:00:00',
      end: '2020-06-01 00:00:00',
      summary: 1,
      format: 2,
      amount: 5,
    });
  });
});
