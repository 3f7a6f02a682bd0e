import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg } from '../../../../test/support/builders';
import { createSite, ingestSite } from '../../demo/data/load';
import { generateSite } from '../../demo/data/site';
import { seedOeeDemo } from './demo';
import type { OeeApi } from './feature';

jest.setTimeout(300_000);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('OEE demo rules', () => {
  it('fit the generated site: the press line runs by day, idles at night and on weekends', async () => {
    const org = await buildOrg(app);
    const site = generateSite({ seed: 'oee-demo', startDate: '2025-06-02', days: 7 });
    const ports = {
      machines: app.deps.machines,
      meters: app.deps.meters,
      ingest: app.deps.ingest,
      manual: app.deps.manualData,
    };
    const ids = await createSite(ports, org.orgId, site);
    const { service } = (app.platform.registry.api as (name: string) => OeeApi)('oee');
    const lines = await seedOeeDemo(app.deps.db, service, async () => org.orgId);
    expect(lines.join('')).toContain('5 台机器');
    // Idempotent: a second start adds nothing.
    expect((await seedOeeDemo(app.deps.db, service, async () => org.orgId)).join('')).toContain('已存在');
    await app.platform.settle();
    await ingestSite(ports, org.orgId, site, ids);
    await app.platform.settle();
    const rules = await app.http.get('/api_3/OEE_status_rules').set(org.auth).query({ Per_Page_Counts: 100 });
    expect(rules.body.Total_Numbers).toBe(15);
    const machine = Number(
      rules.body.Data.find((r: { Meter_Superior: string }) => r.Meter_Superior === '冲压线1')
        .Meter_Superior_id,
    );
    const week = await app.http
      .get('/api_3/OEE_statistic')
      .set(org.auth)
      .query({
        Meter_Superior_id: machine,
        Time_Type: 2,
        Return_Format: 2,
        Time_Start: '2025-06-02 00:00:00',
        Time_End: '2025-06-09 00:00:00',
      })
      .expect(200);
    const at = (day: string, status: string) =>
      week.body.Data.find(
        (r: { Time: string; Status_Name: string }) =>
          r.Time === `${day} 00:00:00` && r.Status_Name === status,
      ).Total_Amount as number;
    // Monday: mostly 运行 by day and 待机 at night; Sunday: mostly 待机; never 未定义.
    expect(at('2025-06-02', '运行')).toBeGreaterThan(6 * 3600);
    expect(at('2025-06-02', '待机')).toBeGreaterThan(6 * 3600);
    expect(at('2025-06-08', '待机')).toBeGreaterThan(at('2025-06-08', '运行'));
    expect(
      week.body.Data.filter((r: { Status_Name: string }) => r.Status_Name === '未定义').every(
        (r: { Total_Amount: number }) => r.Total_Amount === 0,
      ),
    ).toBe(true);
  });
});
