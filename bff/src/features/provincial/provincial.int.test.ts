import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildMember, buildOrg, type TestUser } from '../../../../test/support/builders';
import { buildMeter, postReadings } from '../../../../test/support/metering/builders';
import { orgState } from '../../../../test/support/snapshot';
import { ManualClock } from '../../infra/clock';
import { startFakeProvincial, type FakeProvincial } from '../../fakes/provincial/server';
import type {} from '../demo-import/feature'; // its demo.import.finished event type
import { JOB_PLAN, type ProvincialApi } from './feature';

jest.setTimeout(60_000);

// 12:00 in Shanghai on 10 March: "yesterday" is the business day 2026-03-09 00:00 → 03-10 00:00 (+08:00).
const T0 = Date.parse('2026-03-10T04:00:00Z');
const DAY = Date.parse('2026-03-08T16:00:00Z');
const H = 3_600_000;

let app: TestApp;
let fake: FakeProvincial;
let clock: ManualClock;
let api: ProvincialApi;

beforeAll(async () => {
  clock = new ManualClock(new Date(T0));
  fake = await startFakeProvincial({ now: () => clock.now().getTime() });
  app = await startTestApp({ clock });
  api = app.platform.registry.api('provincial');
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

/** A 5.2 body with one daily electricity item on `meter`; `over` replaces parts of it. */
function infos(
  meter: number,
  over: { item?: Record<string, unknown>; enterprise?: Record<string, unknown> } = {},
) {
  return {
    collectItemConfig: [
      {
        name: '全厂-二次能源-电力-购进已消费',
        Meter_id: meter,
        Energy_Code: '013300',
        Real_zbckz: '0.1229',
        dataUsageCode: '11',
        inputType: '1',
        statType: '1',
        scope: 1,
        ...over.item,
      },
    ],
    enterprise: {
      name: '示例钢铁有限责任公司',
      typeCode: '159',
      industryCode: 'C3120',
      regionCode: '410481',
      center: false,
      jgzh: false,
      energyConsumeLevel: 4,
      latitude: 33.283433,
      longitude: 113.505883,
      phone: '0375-8111111',
      ...over.enterprise,
    },
    group: { name: '河北示例钢铁股份有限公司', address: '', remark: '' },
  };
}

/** An organization connected to the fake platform and registered (5.5), with one electricity meter read yesterday. */
async function connectedOrg(): Promise<{ admin: TestUser; meter: number; key: string }> {
  const admin = await buildOrg(app);
  const key = `k${crypto.randomBytes(6).toString('hex')}`;
  const secret = crypto.randomBytes(24).toString('hex');
  fake.state.keys.set(key, secret);
  await app.http
    .put('/api_3/PRP_connection')
    .set(admin.auth)
    .send({ Platform_Url: fake.url, Access_Key: key, Secret: secret })
    .expect(200);
  await app.http
    .post('/api_3/PRP_version')
    .set(admin.auth)
    .send({ enterpriseCode: '91410481MA47ABCD1X', region: '410481' })
    .expect(200);
  const meter = (await buildMeter(app, admin)).id;
  await postReadings(app, admin, [
    { meter, ts: DAY + H, total: 100 },
    { meter, ts: DAY + 5 * H, total: 150 },
  ]);
  await app.platform.settle();
  return { admin, meter, key };
}

const uploads = async (user: TestUser) =>
  (
    await app.http
      .get('/api_3/PRP_uploaded_energy_measure_datas')
      .set(user.auth)
      .query({ Time_Start: '2026-01-01 00:00:00', Time_End: '2026-12-31 00:00:00', Per_Page_Counts: 1000 })
      .expect(200)
  ).body.Data as {
    Operation_Type: number;
    Result: number;
    Attempt: number;
    Period: string;
    Original_Data: any;
  }[];

const result = async (user: TestUser, type: number) =>
  (
    await app.http
      .get('/api_3/PRP_operation_result')
      .set(user.auth)
      .query({ Operation_Type: type })
      .expect(200)
  ).body.Data;

const figuresOf = (key: string) => fake.state.allFigures().filter((f) => f.accessKey === key);
const dataUploadsOf = (key: string) => fake.state.uploads.filter((u) => u.accessKey === key);

describe('configuration (5.1–5.5)', () => {
  it('refuses bad 5.2 input naming the field, and another organization’s meter, changing nothing', async () => {
    const { admin, meter } = await connectedOrg();
    const other = await buildOrg(app);
    const foreign = (await buildMeter(app, other)).id;
    await app.http.get('/api_3/PRP_base_infos').set(admin.auth).expect(200); // the lists are cached first
    const before = await orgState(app, admin.orgId);
    const cases: [unknown, string][] = [
      [infos(foreign), 'collectItemConfig.0.Meter_id'],
      [infos(meter, { item: { Energy_Code: '999999' } }), 'collectItemConfig.0.Energy_Code'],
      [infos(meter, { item: { dataUsageCode: '77' } }), 'collectItemConfig.0.dataUsageCode'],
      [infos(meter, { item: { statType: '5' } }), 'collectItemConfig.0.statType'],
      [infos(meter, { item: { processCode: '06' } }), 'collectItemConfig.0.processCode'],
      [infos(meter, { item: { extra: 1 } }), 'collectItemConfig.0.extra'],
      [infos(meter, { enterprise: { name: '' } }), 'enterprise.name'],
      [infos(meter, { enterprise: { regionCode: '41048' } }), 'enterprise.regionCode'],
      [infos(meter, { enterprise: { latitude: 95 } }), 'enterprise.latitude'],
      [infos(meter, { enterprise: { longitude: 'x' } }), 'enterprise.longitude'],
      [infos(meter, { enterprise: { center: 'no' } }), 'enterprise.center'],
      [{ ...infos(meter), collectItemConfig: [] }, 'collectItemConfig'],
      [{ ...infos(meter), enterprise: undefined }, 'enterprise'],
    ];
    for (const [body, field] of cases) {
      const res = await app.http
        .put('/api_3/PRP_organization_infos')
        .set(admin.auth)
        .send(body as object);
      expect([res.status, res.body.Err_No, res.body.Err_Detail?.field]).toEqual([400, '4103', field]);
    }
    const dup = infos(meter);
    dup.collectItemConfig.push({ ...dup.collectItemConfig[0]!, name: '重复' });
    const res = await app.http.put('/api_3/PRP_organization_infos').set(admin.auth).send(dup);
    expect([res.status, res.body.Err_Detail?.field]).toEqual([400, 'collectItemConfig.1.Meter_id']);
    expect(await orgState(app, admin.orgId)).toEqual(before);
    await app.http.get('/api_3/PRP_organization_infos').set(admin.auth).expect(404);
  });

  it('saves and answers 5.2/5.3, uploads it (5.8 type 1), and keeps it from viewers and other organizations', async () => {
    const { admin, meter, key } = await connectedOrg();
    await app.http.put('/api_3/PRP_organization_infos').set(admin.auth).send(infos(meter)).expect(200);
    await app.platform.settle();
    const got = (await app.http.get('/api_3/PRP_organization_infos').set(admin.auth).expect(200)).body
      .Data[0];
    expect(got.collectItemConfig[0]).toMatchObject({ Meter_id: meter, processCode: '00', statType: '1' });
    expect(got.enterprise).toMatchObject({ name: '示例钢铁有限责任公司', regionCode: '410481' });
    expect(fake.state.enterpriseOf(key)).toMatchObject({ enterprise: { name: '示例钢铁有限责任公司' } });
    expect(await result(admin, 1)).toEqual([expect.objectContaining({ Result: 1, Failures: 0, Pending: 0 })]);
    expect(await result(admin, 2)).toEqual([expect.objectContaining({ Result: 1 })]);

    const viewer = await buildMember(app, admin, 'viewer');
    await app.http.put('/api_3/PRP_organization_infos').set(viewer.auth).send(infos(meter)).expect(403);
    await app.http.get('/api_3/PRP_organization_infos').set(viewer.auth).expect(403);
    const other = await buildOrg(app);
    await app.http.get('/api_3/PRP_organization_infos').set(other.auth).expect(404);
    expect(await uploads(other)).toEqual([]);
    expect(await result(other, 1)).toEqual([]);
    // Without a connection nothing reaches a platform.
    const res = await app.http.put('/api_3/PRP_organization_infos').set(other.auth).send(infos(meter));
    expect(res.status).toBe(409);
    for (const q of [{}, { Operation_Type: 4 }, { Operation_Type: 'x' }])
      await app.http.get('/api_3/PRP_operation_result').set(admin.auth).query(q).expect(400);
    await app.http
      .get('/api_3/PRP_uploaded_energy_measure_datas')
      .set(admin.auth)
      .query({ Time_Start: '2026-01-01' })
      .expect(400);
    await app.http
      .post('/api_3/PRP_version')
      .set(admin.auth)
      .send({ enterpriseCode: '123', region: '410481' })
      .expect(400);
  });

  it('answers the code lists from its cache until 5.4 reports a new version, then fetches them again', async () => {
    const { admin } = await connectedOrg();
    const lists = async () =>
      (await app.http.get('/api_3/PRP_base_infos').set(admin.auth).expect(200)).body.Data[0];
    const fetches = () => fake.state.calls.filter((c) => c.path === '/prp/v1/dictionary').length;
    const first = await lists();
    expect(first.collectItem).toContainEqual({
      code: '013300',
      name: '电力（当量）',
      unit: '千瓦时',
      zbckz: '0.1229',
    });
    const n = fetches();
    const version = fake.state.bumpDictionary();
    expect((await lists()).dicVersion).toBe(first.dicVersion);
    expect(fetches()).toBe(n);
    const v = (await app.http.get('/api_3/PRP_version').set(admin.auth).expect(200)).body.Data[0];
    expect(v).toMatchObject({ dicVersion: version, requireUpdate: 1, enterpriseCode: '91410481MA47ABCD1X' });
    const fresh = await lists();
    expect(fresh.dicVersion).toBe(version);
    expect(fresh.collectItem.length).toBe(first.collectItem.length + 1);
    expect(fetches()).toBe(n + 1);
    // Registered at the new version again (5.5), so later uploads carry it.
    await app.http
      .post('/api_3/PRP_version')
      .set(admin.auth)
      .send({ enterpriseCode: '91410481MA47ABCD1X', region: '410481' })
      .expect(200);
  });
});

describe('uploads', () => {
  it('uploads yesterday’s figure once; failing twice then succeeding is recorded three times (5.7) and 5.8 shows success', async () => {
    const { admin, meter, key } = await connectedOrg();
    await app.http.put('/api_3/PRP_organization_infos').set(admin.auth).send(infos(meter)).expect(200);
    await app.platform.settle();
    fake.state.fail({ times: 2, status: 503, path: '/prp/v1/data', accessKey: key });
    await app.platform.runCron(JOB_PLAN);
    const data = (await uploads(admin)).filter((u) => u.Operation_Type === 3);
    expect(data.map((u) => [u.Period, u.Attempt, u.Result])).toEqual([
      ['2026-03-09 00:00:00', 1, 0],
      ['2026-03-09 00:00:00', 2, 0],
      ['2026-03-09 00:00:00', 3, 1],
    ]);
    expect(data[2]!.Original_Data.data[0]).toMatchObject({
      statType: '1',
      statDate: '2026-03-09 00:00:00',
      dataValue: '50',
      convertRatio: '0.1229',
      revision: 0,
    });
    expect(await result(admin, 3)).toEqual([expect.objectContaining({ Result: 1, Failures: 0, Pending: 0 })]);
    expect(figuresOf(key)).toEqual([expect.objectContaining({ dataValue: '50', revision: 0 })]);

    // Another tick, and a resend of the same upload after a "crash" that lost our record of success:
    // the platform holds the figure once.
    await app.platform.runCron(JOB_PLAN);
    const [row] = await app.deps.database.rows<{ id: number }>(
      sql`select id from prp_uploads where org_id = ${admin.orgId} and operation_type = 3`,
    );
    await app.deps.database.rows(sql`update prp_uploads set state = 'pending' where id = ${row!.id}`);
    await api.uploads.send(row!.id, 0);
    expect(dataUploadsOf(key)).toHaveLength(1);
    const after = (await uploads(admin)).filter((u) => u.Operation_Type === 3);
    expect(after).toHaveLength(4);
    expect(
      (
        await app.deps.database.rows<{ n: number }>(
          sql`select count(*)::int as n from prp_uploads where org_id = ${admin.orgId} and operation_type = 3`,
        )
      )[0]!.n,
    ).toBe(1);
  });

  it('re-uploads exactly once when late data changes an uploaded figure', async () => {
    const { admin, meter, key } = await connectedOrg();
    await app.http.put('/api_3/PRP_organization_infos').set(admin.auth).send(infos(meter)).expect(200);
    await app.platform.settle();
    await app.platform.runCron(JOB_PLAN);
    expect(figuresOf(key)).toEqual([expect.objectContaining({ dataValue: '50', revision: 0 })]);
    // A late reading inside yesterday, and the same reading again (at-least-once delivery, a resent batch).
    await postReadings(app, admin, [{ meter, ts: DAY + 20 * H, total: 180 }]);
    await app.platform.settle();
    await postReadings(app, admin, [{ meter, ts: DAY + 20 * H, total: 180 }]);
    await app.platform.settle();
    // An event without changed hours (readings that changed no consumption) is no work.
    await app.deps.db.transaction((tx) =>
      app.platform.events.emit(tx, 'readings.ingested', admin.orgId, {
        source: 'http',
        readings: [],
        hours: [],
      }),
    );
    await app.platform.settle();
    expect(await app.platform.jobs.failed()).toEqual([]);
    // A reading of today changes no uploaded figure.
    await postReadings(app, admin, [{ meter, ts: T0 - H, total: 190 }]);
    await app.platform.settle();
    expect(dataUploadsOf(key)).toHaveLength(2);
    expect(figuresOf(key)).toEqual([expect.objectContaining({ dataValue: '80', revision: 1 })]);
    const data = (await uploads(admin)).filter((u) => u.Operation_Type === 3);
    expect(data.map((u) => [u.Period, u.Original_Data.data[0].revision, u.Result])).toEqual([
      ['2026-03-09 00:00:00', 0, 1],
      ['2026-03-09 00:00:00', 1, 1],
    ]);
  });

  it('sends yesterday’s figures as soon as a demo import finishes (demo.import.finished)', async () => {
    const { admin, meter, key } = await connectedOrg();
    await app.http.put('/api_3/PRP_organization_infos').set(admin.auth).send(infos(meter)).expect(200);
    await app.platform.settle();
    await app.deps.db.transaction((tx) =>
      app.platform.events.emit(tx, 'demo.import.finished', admin.orgId, { state: 'done' }),
    );
    await app.platform.settle();
    expect(figuresOf(key)).toEqual([
      expect.objectContaining({ statDate: '2026-03-09 00:00:00', dataValue: '50' }),
    ]);
    expect(await result(admin, 3)).toEqual([expect.objectContaining({ Result: 1 })]);
  });
});
