import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg } from '../../../../test/support/builders';
import { plantsOf } from '../../../../test/support/isolarcloud';
import { stopDemoFakeIsolarCloud } from '../../fakes/isolarcloud/demo';
import { DEMO_APP } from '../../fakes/isolarcloud/state';
import type { MeteringDeps } from '../meters/wiring';
import { seedPlantsDemo } from './demo';

// Demo mode's plants: the fake started in-process, the demo organization connected through the OAuth flow,
// the first refresh done before the hook returns, today's curve back-filled, the PV plant linked to a meter.
jest.setTimeout(120_000);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({
    env: {
      ISOLARCLOUD_APPKEY: DEMO_APP.appkey,
      ISOLARCLOUD_SECRET_KEY: DEMO_APP.accessKey,
      ISOLARCLOUD_APP_ID: DEMO_APP.appId,
    },
  });
});
afterAll(async () => {
  await app.close();
  await stopDemoFakeIsolarCloud();
});

describe('plants demo', () => {
  it('starts the fake through the feature hook and says when there is no demo organization', async () => {
    const lines = await app.platform.registry.demo(['plants']);
    expect(lines.join('\n')).toMatch(/光伏电站（模拟 iSolarCloud）: http:\/\/127\.0\.0\.1:\d+/);
  });

  it('connects the demo organization with three plants and live figures, idempotently', async () => {
    const org = await buildOrg(app);
    const api = plantsOf(app);
    const ports = {
      jobs: app.platform.jobs,
      clock: { now: () => new Date() },
      demoOrg: async () => org.orgId,
      service: api.service,
      client: api.client,
      metering: (app.platform.registry.api as (name: string) => unknown)('metering') as MeteringDeps,
      repo: api.repo,
      port: 0,
    };
    for (let run = 0; run < 2; run++) {
      const seeded = await seedPlantsDemo(ports);
      expect(seeded.lines.join('')).toContain('演示组织已授权 3 个电站');
    }
    const list = await app.http.get('/api_3/pv_plants').set(org.auth).expect(200);
    expect(list.body.Total_Numbers).toBe(3);
    expect(list.body.Data[0]).toMatchObject({ Ps_Name: '三号仓库屋顶光伏', Fault_Status: 1 });
    expect(list.body.Data.map((p: { Ps_Type: number }) => p.Ps_Type).sort()).toEqual([12, 3, 3].sort());
    expect(
      list.body.Data.every(
        (p: { Power_kW: unknown; Updated_At: unknown }) => typeof p.Power_kW === 'number' && p.Updated_At,
      ),
    ).toBe(true);
    const pv = list.body.Data.find((p: { Ps_Name: string }) => p.Ps_Name === '一号厂房屋顶分布式光伏');
    expect(pv.Meter_id).toEqual(expect.any(Number));
    const detail = await app.http
      .get('/api_3/pv_plant_detail')
      .set(org.auth)
      .query({ Ps_Id: pv.Ps_Id })
      .expect(200);
    expect(detail.body.Data[0].Power_Curve.length).toBeGreaterThanOrEqual(1);
    expect(detail.body.Data[0].Daily_Yield.length).toBeGreaterThanOrEqual(1);
  });
});
