import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg } from '../../../../test/support/builders';
import { buildMachine, buildMeter } from '../../../../test/support/metering/builders';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const ok = {
  Time_Type: '2',
  Time_Start: '2024-03-01 00:00:00',
  Time_End: '2024-03-02 00:00:00',
  Amount_Type: '1',
};

describe('energy query parameters', () => {
  it.each([
    [{ Time_Type: '4' }, 'Time_Type'],
    [{ Amount_Type: '5' }, 'Amount_Type'],
    [{ Amount_Combination: '3' }, 'Amount_Combination'],
    [{ Amount_Value: '0,9' }, 'Amount_Value'],
    [{ Amount_Value: 'x' }, 'Amount_Value'],
    [{ Time_Start: '2024/03/01' }, 'Time_Start'],
    [{ Time_Start: '2024-02-30 00:00:00' }, 'Time_Start'],
    [{ Time_End: '2024-02-01 00:00:00' }, 'Time_End'],
    [{ Time_Type: '3', Time_Interval: '1', Time_End: '2024-03-05 00:00:00' }, 'Time_End'],
    [{ Time_Interval: '0' }, 'Time_Interval'],
    [{ Amount_Type: '2', Amount_SortName: '没有这个表' }, 'Amount_SortName'],
    [{ Amount_Type: '3', Amount_SortName: '没有这台机器' }, 'Amount_SortName'],
    [{ Surprise: '1' }, 'Surprise'],
  ])('answers %j with 4103 naming %s', async (change, field) => {
    const org = await buildOrg(app);
    await buildMeter(app, org);
    for (const path of ['/api_3/allenergy', '/api_3/detailenergy']) {
      const res = await app.http
        .get(path)
        .set(org.auth)
        .query({ ...ok, ...change });
      if (path === '/api_3/allenergy' && 'Time_Interval' in change) continue; // not a 3.1 parameter
      expect({ path, status: res.status, body: res.body }).toMatchObject({
        status: 400,
        body: { Err_No: '4103', Err_Detail: { field: expect.stringMatching(new RegExp(`^${field}`)) } },
      });
    }
  });

  it('does not reveal another organization’s meter or machine by name', async () => {
    const a = await buildOrg(app);
    const b = await buildOrg(app);
    const foreign = await buildMeter(app, b);
    const machine = await buildMachine(app, b);
    await buildMeter(app, a);
    for (const [type, name] of [
      ['2', foreign.name],
      ['3', machine.name],
    ]) {
      const res = await app.http
        .get('/api_3/allenergy')
        .set(a.auth)
        .query({ ...ok, Amount_Type: type, Amount_SortName: name })
        .expect(400);
      expect(res.body.Err_Detail.field).toBe('Amount_SortName');
    }
    const m = await app.http
      .get('/api_3/measure')
      .set(a.auth)
      .query({ Time_Type: '2', Time_Start: ok.Time_Start, Time_End: ok.Time_End, Meter_Name: foreign.name })
      .expect(400);
    expect(m.body.Err_Detail.field).toBe('Meter_Name');
  });

  it('rejects a measure point the meter does not have', async () => {
    const org = await buildOrg(app);
    const m = await buildMeter(app, org, { body: { Meter_Parameter: 'UA' } });
    const res = await app.http
      .get('/api_3/measure')
      .set(org.auth)
      .query({
        Time_Type: '2',
        Time_Start: ok.Time_Start,
        Time_End: ok.Time_End,
        Meter_Name: m.name,
        Measure_Name: 'UA,XYZ',
      })
      .expect(400);
    expect(res.body).toMatchObject({ Err_No: '4103', Err_Detail: { field: 'Measure_Name' } });
    expect(res.body.Err_Msg).toContain('XYZ');
  });

  it('uses the seed defaults for Time_Interval: a day query has 24 hourly buckets', async () => {
    const org = await buildOrg(app);
    const m = await buildMeter(app, org);
    const res = await app.http
      .get('/api_3/detailenergy')
      .set(org.auth)
      .query({
        Time_Type: '3',
        Time_Start: '2024-03-01 00:00:00',
        Time_End: '2024-03-01 23:59:59',
        Amount_Type: '2',
        Amount_SortName: m.name,
      })
      .expect(200);
    expect(res.body.Data).toHaveLength(24);
    expect(res.body.Data[23]).toMatchObject({
      Time: '2024-03-01 23:00:00',
      Total_Amount: '0.00',
      Meter_Name: m.name,
    });
  });
});
