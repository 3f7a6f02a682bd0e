import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildMember, buildOrg } from '../../../../test/support/builders';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const get = async (auth: { Authorization: string }) =>
  (await app.http.get('/api_3/contract_demand').set(auth).expect(200)).body.Data[0];

describe('contracted demand (extension GET/PUT /api_3/contract_demand)', () => {
  it('is unset at first, then saved, replaced and cleared; each organization has its own', async () => {
    const org = await buildOrg(app);
    const other = await buildOrg(app);
    expect(await get(org.auth)).toEqual({ Contract_Demand: '', Demand_Unit: 'kW' });
    const put = await app.http
      .put('/api_3/contract_demand')
      .set(org.auth)
      .send({ Contract_Demand: '800' })
      .expect(200);
    expect(put.body).toMatchObject({ Err_No: '0', Data: [{ Contract_Demand: '800', Demand_Unit: 'kW' }] });
    expect(await get(org.auth)).toEqual({ Contract_Demand: '800', Demand_Unit: 'kW' });
    await app.http.put('/api_3/contract_demand').set(org.auth).send({ Contract_Demand: 1250.5 }).expect(200);
    expect((await get(org.auth)).Contract_Demand).toBe('1250.5');
    // Another organization sees nothing of it and sets its own.
    expect((await get(other.auth)).Contract_Demand).toBe('');
    await app.http.put('/api_3/contract_demand').set(other.auth).send({ Contract_Demand: '90' }).expect(200);
    expect((await get(org.auth)).Contract_Demand).toBe('1250.5');
    await app.http.put('/api_3/contract_demand').set(org.auth).send({ Contract_Demand: '' }).expect(200);
    expect((await get(org.auth)).Contract_Demand).toBe('');
    expect((await get(other.auth)).Contract_Demand).toBe('90');
  });

  it('refuses bad values in the seed envelope naming the field, changing nothing', async () => {
    const org = await buildOrg(app);
    await app.http.put('/api_3/contract_demand').set(org.auth).send({ Contract_Demand: '500' }).expect(200);
    for (const bad of [
      { Contract_Demand: '-5' },
      { Contract_Demand: '0' },
      { Contract_Demand: 'abc' },
      {},
      { Contract_Demand: '5', x: 1 },
    ]) {
      const res = await app.http.put('/api_3/contract_demand').set(org.auth).send(bad);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.Err_No).not.toBe('0');
      expect(JSON.stringify(res.body)).toMatch(/Contract_Demand|x/);
    }
    expect((await get(org.auth)).Contract_Demand).toBe('500');
  });

  it('only members allowed to change settings may set it; everyone signed in may read it', async () => {
    const org = await buildOrg(app);
    const viewer = await buildMember(app, org, 'viewer');
    await app.http.put('/api_3/contract_demand').set(org.auth).send({ Contract_Demand: '640' }).expect(200);
    expect((await get(viewer.auth)).Contract_Demand).toBe('640');
    const res = await app.http.put('/api_3/contract_demand').set(viewer.auth).send({ Contract_Demand: '1' });
    expect(res.status).toBe(403);
    expect((await get(org.auth)).Contract_Demand).toBe('640');
    await app.http.get('/api_3/contract_demand').expect(401);
  });
});
