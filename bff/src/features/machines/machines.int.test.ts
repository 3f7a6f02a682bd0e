import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg } from '../../../../test/support/builders';
import { buildMachine, buildMeter } from '../../../../test/support/metering/builders';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082',
  'hex',
);

describe('machines (seed 002 §2.5–2.9)', () => {
  it('creates, filters by department, edits and deletes a machine', async () => {
    const org = await buildOrg(app);
    const a = await buildMachine(app, org, { department: '东车间' });
    await buildMachine(app, org, { department: '西车间' });
    const east = await app.http
      .get('/api_3/metersuperiors')
      .set(org.auth)
      .query({ Meter_Department: '东车间' })
      .expect(200);
    expect(east.body).toMatchObject({
      Total_Numbers: 1,
      Data: [
        {
          id: a.id,
          Meter_Superior: a.name,
          Meter_Department: '东车间',
          Machine_Image_Url: '',
          equipmentCode: '01',
          equipmentUnitCode: 'A-1',
        },
      ],
    });
    await app.http
      .put('/api_3/metersuperiors')
      .set(org.auth)
      .send({
        id: a.id,
        Meter_Superior: '新名字',
        Meter_Department: '西车间',
        equipmentCode: '02',
        equipmentUnitCode: 'B-2',
      })
      .expect(200);
    const west = await app.http
      .get('/api_3/metersuperiors')
      .set(org.auth)
      .query({ Meter_Department: '西车间' })
      .expect(200);
    expect(west.body.Total_Numbers).toBe(2);
    await app.http.delete('/api_3/metersuperiors').set(org.auth).send({ id: a.id }).expect(200);
    expect((await app.http.get('/api_3/metersuperiors').set(org.auth).expect(200)).body.Total_Numbers).toBe(
      1,
    );
  });

  it('refuses to delete a machine that still has meters, naming them', async () => {
    const org = await buildOrg(app);
    const m = await buildMeter(app, org);
    const res = await app.http
      .delete('/api_3/metersuperiors')
      .set(org.auth)
      .query({ id: m.machine })
      .expect(409);
    expect(res.body).toMatchObject({ Err_No: '4004', Err_Detail: { dependents: [{ Meter_Name: m.name }] } });
    expect(
      (await app.http.get('/api_3/metersuperiors').set(org.auth).query({ id: m.machine }).expect(200)).body
        .Total_Numbers,
    ).toBe(1);
  });

  it('stores a PNG picture and serves it back only to its own organization', async () => {
    const org = await buildOrg(app);
    const other = await buildOrg(app);
    const machine = await buildMachine(app, org);
    const up = await app.http
      .post('/api_3/metersuperior_image')
      .set(org.auth)
      .field('Meter_Superior_id', String(machine.id))
      .attach('Machine_Image', PNG, { filename: 'pic.txt', contentType: 'text/plain' })
      .expect(200);
    const url: string = up.body.Data[0].Machine_Image_Url;
    expect(url).toMatch(new RegExp(`^/api_3/metersuperior_image\\?id=${machine.id}&v=[0-9a-f]+$`));
    const img = await app.http.get(url).set(org.auth).buffer(true).expect(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(img.body as Buffer, PNG)).toBe(0);
    await app.http.get(url).set(other.auth).expect(404);
    await app.http.get(url).expect(401);
  });

  it('rejects a file that is not an image whatever its name says, and keeps the machine without one', async () => {
    const org = await buildOrg(app);
    const machine = await buildMachine(app, org);
    const res = await app.http
      .post('/api_3/metersuperior_image')
      .set(org.auth)
      .field('Meter_Superior_id', String(machine.id))
      .attach('Machine_Image', Buffer.from('<svg onload="alert(1)"></svg>'), {
        filename: 'x.png',
        contentType: 'image/png',
      })
      .expect(400);
    expect(res.body).toMatchObject({ Err_No: '4103', Err_Detail: { field: 'Machine_Image' } });
    const after = await app.http
      .get('/api_3/metersuperiors')
      .set(org.auth)
      .query({ id: machine.id })
      .expect(200);
    expect(after.body.Data[0].Machine_Image_Url).toBe('');
  });

  it('rejects a picture larger than 2 MB and an upload to another organization’s machine', async () => {
    const org = await buildOrg(app);
    const other = await buildOrg(app);
    const machine = await buildMachine(app, org);
    const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]);
    const res = await app.http
      .post('/api_3/metersuperior_image')
      .set(org.auth)
      .field('Meter_Superior_id', String(machine.id))
      .attach('Machine_Image', big, 'big.png')
      .expect(400);
    expect(res.body.Err_Msg).toContain('2 MB');
    await app.http
      .post('/api_3/metersuperior_image')
      .set(other.auth)
      .field('Meter_Superior_id', String(machine.id))
      .attach('Machine_Image', PNG, 'pic.png')
      .expect(404);
  });
});
