import crypto from 'node:crypto';
import { startTestApp } from '../../../../test/support/app';
import { eventually } from '../../../../test/support/devices';
import { DEMO_PASSWORD, demoDataPartWith } from '../../demo/demo-data';
import { seedProductsDemo } from './demo';
import { ProductsRepository } from './repository';
import { ProductsService } from './service';

describe('products demo data', () => {
  it('gives the demo machines products, batches and outputs with real unit consumption, once', async () => {
    const user = `demo_${crypto.randomBytes(4).toString('hex')}`;
    const app = await startTestApp({ env: { WD_DEMO: 'true' } });
    try {
      const part = demoDataPartWith({ days: 10, steelIntervals: 96, user });
      await part.start(app.container);
      part.background(app.container);
      const auth = await app.http
        .post('/api/auth')
        .send({ Usr_Name: user, Usr_Password: DEMO_PASSWORD })
        .expect(200);
      const headers = { Authorization: `Bearer ${auth.body.Data[0].Usr_Token as string}` };
      await eventually(async () => {
        const s = await app.http.get('/api_3/demo_import_status').set(headers).expect(200);
        return s.body.Data[0].State === 'done';
      }, 120_000);
      const { deps } = app.container;
      const repo = new ProductsRepository(deps.db);
      const ports = {
        db: deps.db,
        clock: deps.clock,
        calendar: deps.calendar,
        service: new ProductsService(repo, deps, deps.clock),
        repo,
        user,
      };
      const lines = await seedProductsDemo(ports);
      expect(lines[0]).toMatch(/4 种产品/);
      expect(await seedProductsDemo(ports)).toEqual(['  产品产量演示:        产品与产量已存在']);
      const batches = await app.http
        .get('/api_3/productsBatch')
        .set(headers)
        .query({ Per_Page_Counts: 100 })
        .expect(200);
      const names = (batches.body.Data as { Production_Batch: string }[]).map((b) => b.Production_Batch);
      expect(names.some((n) => n.startsWith('GS-2018'))).toBe(true);
      const stat = await app.http
        .get('/api_3/productsBatch_output_energy_statistic')
        .set(headers)
        .query({ Production_Batch: names.join(','), Summary_Type: 2, Amount_Type: 4, Energy_Type: 0 })
        .expect(200);
      const rows = stat.body.Data as { Meter_Superior: string; Total_Amount: number; Unit: string }[];
      const press = rows.find((r) => r.Meter_Superior === '冲压线1')!;
      expect(press.Unit).toBe('kWh/件');
      expect(press.Total_Amount).toBeGreaterThan(0);
      const steel = rows.find((r) => r.Meter_Superior === '电弧炉（2018 实测）')!;
      expect(steel.Unit).toBe('kWh/t');
      expect(steel.Total_Amount).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  }, 240_000);
});
