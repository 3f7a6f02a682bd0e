import { startTestApp, type TestApp } from '../../../../test/support/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

it('documents every metering endpoint in the OpenAPI reference', async () => {
  const res = await app.http.get('/openapi.json').expect(200);
  const paths = Object.keys(res.body.paths);
  for (const p of [
    '/api_3/meters',
    '/api_3/metersuperiors',
    '/api_3/metersuperior_image',
    '/api_3/readings',
    '/api_3/allenergy',
    '/api_3/detailenergy',
    '/api_3/measure',
    '/api_3/form_detailenergy',
    '/api_3/rate',
    '/api_3/personalise',
    '/api_3/shifts',
    '/api_3/PRP_manual_energy_measure_datas',
  ])
    expect(paths).toContain(p);
});
