import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg } from '../../../../test/support/builders';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const good = {
  Year_Start: '1',
  Year_End: '1',
  Month_Start: '-26',
  Month_End: '-26',
  Day_Start: '07:30:00',
  Day_End: '07:30:00',
};

describe('personalise (seed 002 §4.3/4.4) and shifts', () => {
  it('answers the defaults, then the saved settings and time zone', async () => {
    const org = await buildOrg(app);
    const before = await app.http.get('/api_3/personalise').set(org.auth).expect(200);
    expect(before.body.Data[0]).toEqual({
      Year_Start: '1',
      Year_End: '1',
      Month_Start: '1',
      Month_End: '1',
      Day_Start: '00:00:00',
      Day_End: '00:00:00',
      Time_Zone: 'Asia/Shanghai',
    });
    await app.http
      .put('/api_3/personalise')
      .set(org.auth)
      .send({ ...good, Time_Zone: 'Asia/Kolkata' })
      .expect(200);
    const after = await app.http.get('/api_3/personalise').set(org.auth).expect(200);
    expect(after.body.Data[0]).toEqual({ ...good, Time_Zone: 'Asia/Kolkata' });
  });

  it.each([
    [{ Year_Start: '13', Year_End: '13' }, 'Year_Start'],
    [{ Year_Start: '0', Year_End: '0' }, 'Year_Start'],
    [{ Month_Start: '-32', Month_End: '-32' }, 'Month_Start'],
    [{ Month_End: '-25' }, 'Month_End'],
    [{ Day_Start: '24:00:00', Day_End: '24:00:00' }, 'Day_Start'],
    [{ Day_Start: '07:15:00', Day_End: '07:15:00' }, 'Day_Start'],
    [{ Day_End: '08:00:00' }, 'Day_End'],
    [{ Time_Zone: 'Mars/Olympus' }, 'Time_Zone'],
    [{ Time_Zone: 'Asia/Kathmandu' }, 'Time_Zone'],
  ])('rejects %j with 4103 naming %s and keeps the old settings', async (change, field) => {
    const org = await buildOrg(app);
    const res = await app.http
      .put('/api_3/personalise')
      .set(org.auth)
      .send({ ...good, ...change })
      .expect(400);
    expect(res.body).toMatchObject({ Err_No: '4103', Err_Detail: { field } });
    const now = await app.http.get('/api_3/personalise').set(org.auth).expect(200);
    expect(now.body.Data[0].Day_Start).toBe('00:00:00');
  });

  it('saves shifts across midnight and refuses overlapping ones', async () => {
    const org = await buildOrg(app);
    const shifts = [
      { Shift_Name: '早班', Shift_Start: '06:00:00', Shift_End: '14:00:00' },
      { Shift_Name: '中班', Shift_Start: '14:00:00', Shift_End: '22:00:00' },
      { Shift_Name: '夜班', Shift_Start: '22:00:00', Shift_End: '06:00:00' },
    ];
    await app.http.put('/api_3/shifts').set(org.auth).send({ Shifts: shifts }).expect(200);
    expect((await app.http.get('/api_3/shifts').set(org.auth).expect(200)).body.Data).toEqual(shifts);
    const res = await app.http
      .put('/api_3/shifts')
      .set(org.auth)
      .send({ Shifts: [shifts[0], { Shift_Name: '重叠', Shift_Start: '13:00:00', Shift_End: '15:00:00' }] })
      .expect(400);
    expect(res.body.Err_Msg).toContain('重叠');
    expect((await app.http.get('/api_3/shifts').set(org.auth).expect(200)).body.Data).toEqual(shifts);
  });
});
