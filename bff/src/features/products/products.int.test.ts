import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildMember, buildOrg, type TestUser } from '../../../../test/support/builders';
import { buildMachine } from '../../../../test/support/metering/builders';
import { orgState } from '../../../../test/support/snapshot';
import type { ProductsApi } from './service';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** An organization with a product, a batch, a machine and one output. */
async function buildProducts(org: TestUser) {
  const post = async (path: string, body: Record<string, unknown>) =>
    Number((await app.http.post(path).set(org.auth).send(body).expect(200)).body.Data[0].id);
  const product = await post('/api_3/products', { Product_Name: '钢板', Product_Unit: 't' });
  const batch = await post('/api_3/productsBatch', {
    Production_Batch: 'P-01',
    Time_Start: '2026-01-01 00:00:00',
    Time_End: '2026-01-31 00:00:00',
  });
  const machine = (await buildMachine(app, org)).id;
  const output = await post('/api_3/product_output', {
    Product_id: product,
    Total_Amount: '12.5',
    Meter_Superior_id: machine,
    Time_Start: '2026-01-02 08:00:00',
    Time_End: '2026-01-02 20:00:00',
    ProductBatch_id: batch,
    Reject_Amount: 0.5,
  });
  return { product, batch, machine, output };
}

/** An 8.9 query that is valid unless `over` breaks it. */
const stat89 = (over: Record<string, unknown>) => ({
  Time_Type: 2,
  Time_Start: '2026-01-01 00:00:00',
  Time_End: '2026-02-01 00:00:00',
  Summary_Type: 0,
  Return_Format: 1,
  Amount_Type: 1,
  ...over,
});

/** Sends a request with the payload in the query (GET, DELETE) or the body. */
const send = (user: TestUser, method: 'post' | 'put' | 'get' | 'delete', path: string, payload: object) => {
  const req = app.http[method](path).set(user.auth);
  return method === 'get' || method === 'delete' ? req.query(payload) : req.send(payload);
};

const outputBody = (ids: { product: number; batch: number; machine: number }) => ({
  Product_id: ids.product,
  Total_Amount: 10,
  Meter_Superior_id: ids.machine,
  Time_Start: '2026-01-03 08:00:00',
  Time_End: '2026-01-03 20:00:00',
  ProductBatch_id: ids.batch,
});

describe('products, batches and outputs (seed 002 §8.1–8.8, 8.10–8.13)', () => {
  it('creates, lists with paging and filters, updates and deletes', async () => {
    const org = await buildOrg(app);
    const ids = await buildProducts(org);
    const products = await app.http.get('/api_3/products').set(org.auth).expect(200);
    expect(products.body).toMatchObject({
      Err_No: '0',
      Total_Numbers: 1,
      Data: [{ id: ids.product, Product_Name: '钢板', Product_Unit: 't', Remarks: '' }],
    });
    const outputs = await app.http
      .get('/api_3/product_output')
      .set(org.auth)
      .query({ Production_Batch: 'P-01', Product_Name: '钢板' })
      .expect(200);
    expect(outputs.body.Data).toEqual([
      {
        id: ids.output,
        Product_id: ids.product,
        Total_Amount: 12.5,
        Meter_Superior_id: ids.machine,
        Time_Start: '2026-01-02 08:00:00',
        Time_End: '2026-01-02 20:00:00',
        Create_Time: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
        ProductBatch_id: ids.batch,
        Reject_Amount: 0.5,
        Product_Name: '钢板',
        Product_Unit: 't',
        Meter_Superior: expect.any(String),
        Production_Batch: 'P-01',
      },
    ]);
    for (const q of [{ Production_Batch: 'P-02' }, { Product_Name: '铸件' }]) {
      const none = await app.http.get('/api_3/product_output').set(org.auth).query(q).expect(200);
      expect({ q, n: none.body.Total_Numbers }).toEqual({ q, n: 0 });
    }
    await app.http.post('/api_3/product_output').set(org.auth).send(outputBody(ids)).expect(200);
    const page = await app.http
      .get('/api_3/product_output')
      .set(org.auth)
      .query({ Per_Page_Counts: 1, Page_Counts: 2 })
      .expect(200);
    expect(page.body.Total_Numbers).toBe(2);
    expect(page.body.Data.map((o: { id: number }) => o.id)).toEqual([ids.output]);
    await app.http
      .put('/api_3/product_output')
      .set(org.auth)
      .send({ ...outputBody(ids), id: ids.output, Total_Amount: 13 })
      .expect(200);
    const after = await app.http.get('/api_3/product_output').set(org.auth).query({ id: ids.output });
    expect(after.body.Data[0]).toMatchObject({
      Total_Amount: 13,
      Time_Start: '2026-01-03 08:00:00',
      Reject_Amount: null,
    });
    await app.http
      .put('/api_3/products')
      .set(org.auth)
      .send({ id: ids.product, Product_Name: '冷轧钢板', Remarks: '改名' })
      .expect(200);
    const renamed = await app.http.get('/api_3/products').set(org.auth).query({ id: ids.product });
    expect(renamed.body.Data[0]).toEqual({
      id: ids.product,
      Product_Name: '冷轧钢板',
      Product_Unit: 't',
      Remarks: '改名',
    });
    await app.http
      .put('/api_3/productsBatch')
      .set(org.auth)
      .send({
        id: ids.batch,
        Production_Batch: 'P-01A',
        Time_Start: '2026-01-01 00:00:00',
        Time_End: '2026-02-01 00:00:00',
      })
      .expect(200);
    const batches = await app.http.get('/api_3/productsBatch').set(org.auth).expect(200);
    expect(batches.body.Data).toEqual([
      {
        id: ids.batch,
        Production_Batch: 'P-01A',
        Time_Start: '2026-01-01 00:00:00',
        Time_End: '2026-02-01 00:00:00',
        Output_Numbers: 2,
      },
    ]);
    const all = await app.http.get('/api_3/product_output').set(org.auth).expect(200);
    for (const o of all.body.Data as { id: number }[])
      await app.http.delete('/api_3/product_output').set(org.auth).query({ id: o.id }).expect(200);
    await app.http.delete('/api_3/products').set(org.auth).query({ id: ids.product }).expect(200);
    await app.http.delete('/api_3/productsBatch').set(org.auth).query({ id: ids.batch }).expect(200);
    expect((await app.http.get('/api_3/products').set(org.auth)).body.Total_Numbers).toBe(0);
  });

  it('refuses deleting a product or batch that outputs use (4004 naming them), changing nothing', async () => {
    const org = await buildOrg(app);
    const ids = await buildProducts(org);
    const before = await orgState(app, org.orgId);
    for (const path of ['/api_3/products', '/api_3/productsBatch']) {
      const id = path === '/api_3/products' ? ids.product : ids.batch;
      const res = await app.http.delete(path).set(org.auth).query({ id }).expect(409);
      expect(res.body.Err_No).toBe('4004');
      expect(res.body.Err_Msg).toContain(String(ids.output));
    }
    expect(await orgState(app, org.orgId)).toEqual(before);
  });

  it('refuses duplicate names (4003 naming the field)', async () => {
    const org = await buildOrg(app);
    await buildProducts(org);
    const p = await app.http.post('/api_3/products').set(org.auth).send({ Product_Name: '钢板' }).expect(409);
    expect(p.body).toMatchObject({ Err_No: '4003' });
    const b = await app.http
      .post('/api_3/productsBatch')
      .set(org.auth)
      .send({ Production_Batch: 'P-01', Time_Start: '2026-01-01 00:00:00', Time_End: '2026-01-02 00:00:00' })
      .expect(409);
    expect(b.body).toMatchObject({ Err_No: '4003' });
    // the same names in another organization are fine
    const other = await buildOrg(app);
    await app.http.post('/api_3/products').set(other.auth).send({ Product_Name: '钢板' }).expect(200);
  });

  it('answers bad input with 4103 naming the field, changing nothing', async () => {
    const org = await buildOrg(app);
    const ids = await buildProducts(org);
    const before = await orgState(app, org.orgId);
    const out = outputBody(ids);
    const cases: [string, 'post' | 'put' | 'get' | 'delete', Record<string, unknown>, string][] = [
      ['/api_3/products', 'post', {}, 'Product_Name'],
      ['/api_3/products', 'post', { Product_Name: '  ' }, 'Product_Name'],
      ['/api_3/products', 'post', { Product_Name: 'x'.repeat(65) }, 'Product_Name'],
      ['/api_3/products', 'post', { Product_Name: 'a', Extra: 1 }, ''],
      ['/api_3/products', 'put', { Product_Name: 'a' }, 'id'],
      ['/api_3/products', 'delete', { id: 'abc' }, 'id'],
      ['/api_3/products', 'get', { Per_Page_Counts: 0 }, 'Per_Page_Counts'],
      ['/api_3/product_output', 'post', { ...out, Total_Amount: -1 }, 'Total_Amount'],
      ['/api_3/product_output', 'post', { ...out, Total_Amount: 'many' }, 'Total_Amount'],
      ['/api_3/product_output', 'post', { ...out, Time_End: out.Time_Start }, 'Time_End'],
      ['/api_3/product_output', 'post', { ...out, Time_End: '2026-01-03 07:00:00' }, 'Time_End'],
      ['/api_3/product_output', 'post', { ...out, Time_Start: '2026-02-30 00:00:00' }, 'Time_Start'],
      ['/api_3/product_output', 'post', { ...out, Time_Start: '2026/01/03' }, 'Time_Start'],
      ['/api_3/product_output', 'post', { ...out, Reject_Amount: 11 }, 'Reject_Amount'],
      ['/api_3/product_output', 'post', { ...out, ProductBatch_id: undefined }, 'ProductBatch_id'],
      ['/api_3/product_output', 'put', { ...out, id: 0 }, 'id'],
      [
        '/api_3/productsBatch',
        'post',
        { Production_Batch: 'x', Time_Start: '2026-01-02 00:00:00', Time_End: '2026-01-01 00:00:00' },
        'Time_End',
      ],
      ['/api_3/productsBatch', 'post', { Production_Batch: 'x', Time_Start: '2026-01-02' }, 'Time_Start'],
      ['/api_3/product_output_energy_statistic', 'get', stat89({ Amount_Type: 4 }), 'Energy_Type'],
      ['/api_3/product_output_energy_statistic', 'get', stat89({ Time_Type: 4 }), 'Time_Type'],
      [
        '/api_3/product_output_energy_statistic',
        'get',
        stat89({ Return_Format: 2, Is_Order: 1 }),
        'Is_Order',
      ],
      [
        '/api_3/product_output_energy_statistic',
        'get',
        stat89({ Time_End: '2026-01-01 00:00:00' }),
        'Time_End',
      ],
      ['/api_3/product_output_energy_statistic', 'get', stat89({ Amount_Type: 6 }), 'Amount_Type'],
      ['/api_3/product_output_energy_statistic', 'get', stat89({ Product_Name: '没有' }), 'Product_Name'],
      [
        '/api_3/product_output_energy_statistic',
        'get',
        stat89({ Time_Type: 3, Time_End: '2027-01-01 00:00:00', Return_Format: 2 }),
        'Time_End',
      ],
      [
        '/api_3/productsBatch_output_energy_statistic',
        'get',
        { Summary_Type: 3, Amount_Type: 1 },
        'Production_Batch',
      ],
      [
        '/api_3/productsBatch_output_energy_statistic',
        'get',
        { Production_Batch: '没有', Summary_Type: 3, Amount_Type: 1 },
        'Production_Batch',
      ],
      [
        '/api_3/productsBatch_output_energy_statistic',
        'get',
        { Production_Batch: 'P-01', Summary_Type: 4, Amount_Type: 1 },
        'Summary_Type',
      ],
      [
        '/api_3/productsBatch_output_energy_statistic',
        'get',
        { Production_Batch: 'P-01', Summary_Type: 0, Amount_Type: 2 },
        'Energy_Type',
      ],
      [
        '/api_3/productsBatch_output_energy_statistic',
        'get',
        { Production_Batch: 'P-01', Summary_Type: 0, Amount_Type: 1, Meter_Superior: '没有' },
        'Meter_Superior',
      ],
      [
        '/api_3/productsBatch_output_energy_statistic',
        'get',
        { Production_Batch: 'P-01', Summary_Type: 0, Amount_Type: 1, Limit: 0 },
        'Limit',
      ],
      ['/api_3/standard_coal_factors', 'put', { Energy_Type: 9, Factor: 1 }, 'Energy_Type'],
      ['/api_3/standard_coal_factors', 'put', { Energy_Type: 0, Factor: 0 }, 'Factor'],
      ['/api_3/standard_coal_factors', 'delete', { Energy_Type: 'x' }, 'Energy_Type'],
    ];
    for (const [path, method, payload, field] of cases) {
      const res = await send(org, method, path, payload);
      expect({ path, method, payload, status: res.status, code: res.body.Err_No }).toEqual({
        path,
        method,
        payload,
        status: 400,
        code: '4103',
      });
      if (field)
        expect({ path, payload, msg: JSON.stringify(res.body) }).toEqual({
          path,
          payload,
          msg: expect.stringContaining(field),
        });
    }
    expect(await orgState(app, org.orgId)).toEqual(before);
  });

  it('answers another organization’s ids as missing (4002), changing nothing', async () => {
    const org = await buildOrg(app);
    const other = await buildOrg(app);
    const mine = await buildProducts(org);
    const theirs = await buildProducts(other);
    const before = [await orgState(app, org.orgId), await orgState(app, other.orgId)];
    const cases: [string, 'post' | 'put' | 'delete', Record<string, unknown>][] = [
      ['/api_3/products', 'put', { id: theirs.product, Product_Name: 'x' }],
      ['/api_3/products', 'delete', { id: theirs.product }],
      [
        '/api_3/productsBatch',
        'put',
        {
          id: theirs.batch,
          Production_Batch: 'x',
          Time_Start: '2026-01-01 00:00:00',
          Time_End: '2026-01-02 00:00:00',
        },
      ],
      ['/api_3/productsBatch', 'delete', { id: theirs.batch }],
      ['/api_3/product_output', 'put', { ...outputBody(mine), id: theirs.output }],
      ['/api_3/product_output', 'delete', { id: theirs.output }],
      ['/api_3/product_output', 'post', { ...outputBody(mine), Product_id: theirs.product }],
      ['/api_3/product_output', 'post', { ...outputBody(mine), Meter_Superior_id: theirs.machine }],
      ['/api_3/product_output', 'post', { ...outputBody(mine), ProductBatch_id: theirs.batch }],
      [
        '/api_3/product_output',
        'put',
        { ...outputBody(mine), id: mine.output, ProductBatch_id: theirs.batch },
      ],
    ];
    for (const [path, method, payload] of cases) {
      const res = await send(org, method, path, payload);
      expect({ path, method, payload, status: res.status, code: res.body.Err_No }).toEqual({
        path,
        method,
        payload,
        status: 404,
        code: '4002',
      });
    }
    for (const [path, q] of [
      ['/api_3/products', { id: theirs.product }],
      ['/api_3/productsBatch', { id: theirs.batch }],
      ['/api_3/product_output', { id: theirs.output }],
      ['/api_3/product_output', { Meter_Superior_id: theirs.machine }],
    ] as const) {
      const res = await app.http.get(path).set(org.auth).query(q).expect(200);
      expect({ path, n: res.body.Total_Numbers }).toEqual({ path, n: 0 });
    }
    const stat = await app.http
      .get('/api_3/productsBatch_output_energy_statistic')
      .set(org.auth)
      .query({ Production_Batch: 'P-01', Summary_Type: 0, Amount_Type: 1 })
      .expect(200);
    expect(stat.body.Data).toHaveLength(1);
    expect(stat.body.Data[0].Total_Amount).toBe(12.5);
    expect([await orgState(app, org.orgId), await orgState(app, other.orgId)]).toEqual(before);
  });

  it('lets operators enter outputs but not manage products; viewers only read', async () => {
    const org = await buildOrg(app);
    const ids = await buildProducts(org);
    const operator = await buildMember(app, org, 'operator');
    const viewer = await buildMember(app, org, 'viewer');
    await app.http.post('/api_3/product_output').set(operator.auth).send(outputBody(ids)).expect(200);
    await app.http.post('/api_3/products').set(operator.auth).send({ Product_Name: 'y' }).expect(403);
    await app.http.post('/api_3/product_output').set(viewer.auth).send(outputBody(ids)).expect(403);
    await app.http
      .put('/api_3/standard_coal_factors')
      .set(operator.auth)
      .send({ Energy_Type: 0, Factor: 1 })
      .expect(403);
    await app.http.get('/api_3/product_output').set(viewer.auth).expect(200);
  });
});

describe('standard-coal factors (折标系数)', () => {
  it('starts from GB/T 2589-2020 with the source named and units, is editable and resettable', async () => {
    const org = await buildOrg(app);
    const res = await app.http.get('/api_3/standard_coal_factors').set(org.auth).expect(200);
    const rows = res.body.Data as Record<string, unknown>[];
    expect(rows).toHaveLength(9);
    expect(rows[0]).toEqual({
      Energy_Type: 0,
      Ene_Name: '电',
      Factor: 0.1229,
      Factor_Unit: 'kgce/kWh',
      Energy_Unit: 'kWh',
      Source: expect.stringContaining('GB/T 2589-2020'),
      Is_Default: 1,
    });
    expect(
      rows.every((r) => String(r.Source).includes('GB/T 2589') && String(r.Factor_Unit).startsWith('kgce/')),
    ).toBe(true);
    await app.http
      .put('/api_3/standard_coal_factors')
      .set(org.auth)
      .send({ Energy_Type: '8', Factor: '1.33' })
      .expect(200);
    const set = (await app.http.get('/api_3/standard_coal_factors').set(org.auth)).body.Data[8];
    expect(set).toMatchObject({
      Energy_Type: 8,
      Factor: 1.33,
      Factor_Unit: 'kgce/m³',
      Is_Default: 0,
      Source: '本组织设定',
    });
    const other = await buildOrg(app);
    expect((await app.http.get('/api_3/standard_coal_factors').set(other.auth)).body.Data[8].Factor).toBe(
      1.2143,
    );
    await app.http.delete('/api_3/standard_coal_factors').set(org.auth).query({ Energy_Type: 8 }).expect(200);
    expect((await app.http.get('/api_3/standard_coal_factors').set(org.auth)).body.Data[8].Is_Default).toBe(
      1,
    );
  });

  it('is the products feature api: outputsInRange returns whole outputs overlapping the range', async () => {
    const org = await buildOrg(app);
    const ids = await buildProducts(org);
    const api = app.platform.registry.api('products' as never) as ProductsApi;
    const got = await api.outputsInRange(
      org.orgId,
      ids.machine,
      new Date('2026-01-02T03:00:00Z'),
      new Date('2026-01-02T04:00:00Z'),
    );
    expect(got).toEqual([
      {
        productId: ids.product,
        amount: 12.5,
        rejectAmount: 0.5,
        start: new Date('2026-01-02T00:00:00Z'),
        end: new Date('2026-01-02T12:00:00Z'),
      },
    ]);
    expect(
      await api.outputsInRange(
        org.orgId,
        ids.machine,
        new Date('2026-01-02T12:00:00Z'),
        new Date('2026-01-03T00:00:00Z'),
      ),
    ).toEqual([]);
  });
});
