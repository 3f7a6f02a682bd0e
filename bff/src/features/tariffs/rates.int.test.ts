import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildMember, buildOrg, type TestUser } from '../../../../test/support/builders';
import { buildMeter, postReadings } from '../../../../test/support/metering/builders';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const rates = async (u: TestUser) => (await app.http.get('/api_3/rate').set(u.auth).expect(200)).body.Data;
const tou = (segments: [string, string, string][]) => ({
  Rate_Name: '分时电价',
  Rate_Type: '0',
  isSegmentation: '0',
  Rate_Unit: '元/kWh',
  Segments: segments.map(([Seg_Begin, Seg_End, Rate_Value]) => ({ Seg_Begin, Seg_End, Rate_Value })),
});

describe('rates (seed 002 §4.1/4.2)', () => {
  it('stores a time-of-use rate as segment rows with isSegmentation "0", and a flat one as "1"', async () => {
    const org = await buildOrg(app);
    await app.http
      .post('/api_3/rate')
      .set(org.auth)
      .send(
        tou([
          ['08:00:00', '22:00:00', '1.2'],
          ['22:00:00', '08:00:00', '0.4'],
        ]),
      )
      .expect(200);
    await app.http
      .post('/api_3/rate')
      .set(org.auth)
      .send({ Rate_Name: '水费', Rate_Type: '1', isSegmentation: '1', Rate_Value: '3.5', Rate_Unit: '元/m³' })
      .expect(200);
    const list = await rates(org);
    expect(list).toHaveLength(3);
    expect(list[0]).toMatchObject({
      Rate_Type: '0',
      isSegmentation: '0',
      Seg_Begin: '08:00:00',
      Seg_End: '22:00:00',
      Rate_Value: '1.2',
    });
    expect(list[2]).toMatchObject({ Rate_Type: '1', isSegmentation: '1', Rate_Value: '3.5', Seg_Begin: '' });
  });

  it.each([
    [
      [
        ['08:00:00', '12:00:00', '1'],
        ['11:00:00', '08:00:00', '2'],
      ],
      '重叠',
    ],
    [
      [
        ['08:00:00', '12:00:00', '1'],
        ['13:00:00', '08:00:00', '2'],
      ],
      '空缺',
    ],
    [[['08:15:00', '08:00:00', '1']], '整点或半点'],
  ])('rejects segments %j with 4103 (%s) and keeps the old rate', async (segments, reason) => {
    const org = await buildOrg(app);
    await app.http
      .post('/api_3/rate')
      .set(org.auth)
      .send(tou([['00:00:00', '24:00:00', '0.8']]))
      .expect(200);
    const before = await rates(org);
    const res = await app.http
      .post('/api_3/rate')
      .set(org.auth)
      .send(tou(segments as [string, string, string][]))
      .expect(400);
    expect(res.body.Err_No).toBe('4103');
    expect(res.body.Err_Msg).toContain(reason);
    expect(await rates(org)).toEqual(before);
  });

  it('changes one segment with 4.1 when the day stays covered, and refuses a change that opens a gap', async () => {
    const org = await buildOrg(app);
    await app.http
      .post('/api_3/rate')
      .set(org.auth)
      .send(
        tou([
          ['08:00:00', '22:00:00', '1.2'],
          ['22:00:00', '08:00:00', '0.4'],
        ]),
      )
      .expect(200);
    const [peak] = await rates(org);
    const put = (changes: object) =>
      app.http
        .put('/api_3/rate')
        .set(org.auth)
        .send({
          id: peak.id,
          Rate_Name: '峰',
          Rate_Type: '0',
          Rate_Value: '1.5',
          isSegmentation: '0',
          Seg_Begin: '08:00:00',
          Seg_End: '22:00:00',
          Rate_Unit: '元/kWh',
          ...changes,
        });
    await put({}).expect(200);
    expect((await rates(org))[0]).toMatchObject({ Rate_Name: '峰', Rate_Value: '1.5' });
    const res = await put({ Seg_End: '21:00:00' }).expect(400);
    expect(res.body.Err_Msg).toContain('空缺');
    expect((await rates(org))[0]).toMatchObject({ Seg_End: '22:00:00' });
  });

  it('answers 404 for another organization’s rate and lets only admins change rates', async () => {
    const a = await buildOrg(app);
    const b = await buildOrg(app);
    await app.http
      .post('/api_3/rate')
      .set(b.auth)
      .send(tou([['00:00:00', '24:00:00', '0.8']]))
      .expect(200);
    const [row] = await rates(b);
    await app.http
      .put('/api_3/rate')
      .set(a.auth)
      .send({
        id: row.id,
        Rate_Name: 'x',
        Rate_Type: '0',
        Rate_Value: '9',
        isSegmentation: '0',
        Seg_Begin: '00:00:00',
        Seg_End: '24:00:00',
        Rate_Unit: '元',
      })
      .expect(404);
    expect((await rates(b))[0].Rate_Value).toBe('0.8');
    const operator = await buildMember(app, a, 'operator');
    await app.http
      .post('/api_3/rate')
      .set(operator.auth)
      .send(tou([['00:00:00', '24:00:00', '0.8']]))
      .expect(403);
  });
});

describe('cost in energy answers', () => {
  it('re-prices data already stored when a rate is set, changed or removed, and when a meter changes type', async () => {
    const org = await buildOrg(app);
    const m = await buildMeter(app, org);
    const t = Date.parse('2024-04-01T07:00:00+08:00'); // 07:00–09:00: two hours across the 08:00 peak start
    await postReadings(
      app,
      org,
      [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({ meter: m.id, ts: t + i * 15 * 60_000, total: 100 + i * 10 })),
    );
    const total = async (timeType = '2') => {
      const res = await app.http
        .get('/api_3/allenergy')
        .set(org.auth)
        .query({
          Time_Type: timeType,
          Time_Start: '2024-04-01 00:00:00',
          Time_End: '2024-04-01 23:00:00',
          Amount_Type: '2',
          Amount_SortName: m.name,
        })
        .expect(200);
      return res.body.Data[0];
    };
    expect(await total()).toEqual(expect.not.objectContaining({ Total_Cost: expect.anything() }));
    await app.http
      .post('/api_3/rate')
      .set(org.auth)
      .send({
        Rate_Name: '电价',
        Rate_Type: '0',
        isSegmentation: '1',
        Rate_Value: '0.5',
        Rate_Unit: '元/kWh',
      })
      .expect(200);
    expect(await total()).toMatchObject({ Total_Amount: '80.00', Total_Cost: '40.00' });
    await app.http
      .post('/api_3/rate')
      .set(org.auth)
      .send(
        tou([
          ['08:00:00', '22:00:00', '1.2'],
          ['22:00:00', '08:00:00', '0.4'],
        ]),
      )
      .expect(200);
    // 40 kWh before 08:00 at 0.4 and 40 after at 1.2, by day, by month and by hour
    expect(await total()).toMatchObject({ Total_Cost: '64.00' });
    expect(await total('1')).toMatchObject({ Total_Cost: '64.00' });
    expect(await total('3')).toMatchObject({ Total_Cost: '64.00' });
    await app.http
      .post('/api_3/rate')
      .set(org.auth)
      .send({ Rate_Name: '水价', Rate_Type: '1', isSegmentation: '1', Rate_Value: '2', Rate_Unit: '元/m³' })
      .expect(200);
    await app.http
      .put('/api_3/meters')
      .set(org.auth)
      .send({ id: m.id, Meter_Name: m.name, Meter_Type: '1', Meter_Superior_id: m.machine })
      .expect(200);
    expect(await total()).toMatchObject({ Ene_Type: '1', Total_Cost: '160.00' });
    expect(await total('1')).toMatchObject({ Total_Cost: '160.00' });
    await app.http.delete('/api_3/rate').set(org.auth).send({ Rate_Type: '1' }).expect(200);
    expect(await total()).toEqual(expect.not.objectContaining({ Total_Cost: expect.anything() }));
    expect((await rates(org)).map((r: { Rate_Type: string }) => r.Rate_Type)).toEqual(['0', '0']);
  });
});
