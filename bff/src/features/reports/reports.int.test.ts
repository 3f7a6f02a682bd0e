import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg, type TestUser } from '../../../../test/support/builders';
import { buildMachine, buildMeter, postReadings } from '../../../../test/support/metering/builders';
import { HEADER_ROW } from './workbook';
import { xlsxEntries } from './xlsx-entries';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const HOUR = 3_600_000;
const june = {
  Time_Type: '2',
  Time_Start: '2019-06-01 00:00:00',
  Time_End: '2019-06-30 23:59:59',
  Amount_Type: '2',
};

/** An organization whose machine and meters carry formula-looking names, with three days of hourly readings. */
async function siteWithFormulaNames(org: TestUser) {
  const machine = await buildMachine(app, org, {
    name: '=HYPERLINK("http://x","点我")',
    department: '@SUM(1,2)',
  });
  const a = await buildMeter(app, org, { machine: machine.id, name: '=1+1', type: 0 });
  const b = await buildMeter(app, org, { machine: machine.id, name: '+cmd|" /C calc"!A0', type: 1 });
  const t0 = Date.parse('2019-06-01T00:00:00+08:00');
  const readings = [];
  for (let h = 0; h <= 72; h++) {
    readings.push({ meter: a.id, ts: t0 + h * HOUR, total: 1000 + h * 12.5 + (h % 7) * 0.25 });
    readings.push({ meter: b.id, ts: t0 + h * HOUR, total: 50 + h * 0.75 });
  }
  expect(await postReadings(app, org, readings)).toMatchObject({ Rejected: 0 });
  return { machine, a, b };
}

function download(org: TestUser, name: string) {
  return app.http
    .get('/api_3/report_file')
    .set(org.auth)
    .query({ File_Name: name })
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
}

async function sheetOf(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

describe('reports (seed 002 §3.4)', () => {
  it('builds Month_report2019_6.xlsx holding exactly the numbers form_detailenergy answers', async () => {
    const org = await buildOrg(app);
    await siteWithFormulaNames(org);
    const api = await app.http.post('/api_3/form_detailenergy').set(org.auth).send(june).expect(200);
    const res = await app.http.post('/api_3/report').set(org.auth).send(june).expect(200);
    expect(res.body.Data).toEqual([
      {
        File_Name: 'Month_report2019_6.xlsx',
        File_Url: '/api_3/report_file?File_Name=Month_report2019_6.xlsx',
      },
    ]);
    const file = await download(org, 'Month_report2019_6.xlsx').expect(200);
    expect(file.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const ws = await sheetOf(file.body as Buffer);
    const header = (ws.getRow(HEADER_ROW).values as unknown[]).slice(1) as string[];
    const rows = api.body.Data as any[];
    expect(rows.length).toBe(2);
    expect(rows[0].Detail_Amounts).toHaveLength(30);
    rows.forEach((row, r) => {
      const line = ws.getRow(HEADER_ROW + 1 + r);
      expect([1, 2, 3, 4, 5].map((c) => line.getCell(c).value)).toEqual([
        row.Meter_Department,
        row.Meter_Superior,
        row.Meter_Name,
        row.Ene_Type,
        row.Ene_Name,
      ]);
      for (const d of row.Detail_Amounts) {
        const col = header.indexOf(d.Time) + 1;
        expect(col).toBeGreaterThan(5);
        expect(line.getCell(col).value).toBe(Number(d.Total_Amount));
      }
      expect(line.getCell(header.indexOf('合计') + 1).value).toBe(Number(row.Total_Amount));
      for (const s of row.Shift_Amounts)
        expect(line.getCell(header.indexOf(`班次：${s.Shift_Name}`) + 1).value).toBe(Number(s.Shift_Amount));
    });
    // The figures are real: 72 hours of 12.5 kWh plus the wobble of the last reading.
    const elec = rows.find((r) => r.Meter_Name === '=1+1');
    expect(elec.Total_Amount).toBe('900.50');
  });

  it('writes formula-looking machine, department and meter names as text, never as formulas', async () => {
    const org = await buildOrg(app);
    await siteWithFormulaNames(org);
    await app.http.post('/api_3/report').set(org.auth).send(june).expect(200);
    const buf = (await download(org, 'Month_report2019_6.xlsx').expect(200)).body as Buffer;
    const ws = await sheetOf(buf);
    const names = [1, 2, 3].map((c) => ws.getCell(HEADER_ROW + 1, c));
    expect(names.map((c) => c.value)).toEqual(['@SUM(1,2)', '=HYPERLINK("http://x","点我")', '=1+1']);
    for (const c of names) expect(c.type).toBe(ExcelJS.ValueType.String);
    expect(ws.getCell(HEADER_ROW + 2, 3).value).toBe('+cmd|" /C calc"!A0');
    for (const [name, xml] of xlsxEntries(buf))
      if (name.startsWith('xl/worksheets/')) expect(xml).not.toMatch(/<f[ >]/);
  });

  it('serves a report only to the organization that made it: another organization gets 404', async () => {
    const owner = await buildOrg(app);
    await siteWithFormulaNames(owner);
    await app.http.post('/api_3/report').set(owner.auth).send(june).expect(200);
    const other = await buildOrg(app);
    const res = await download(other, 'Month_report2019_6.xlsx').expect(404);
    expect(JSON.parse((res.body as Buffer).toString('utf8'))).toMatchObject({ Err_No: '4002' });
    // The other organization's own report of the same name is its own (empty) file; the owner's is unchanged.
    await app.http.post('/api_3/report').set(other.auth).send(june).expect(200);
    const mine = await sheetOf((await download(other, 'Month_report2019_6.xlsx').expect(200)).body as Buffer);
    expect(mine.getCell(HEADER_ROW + 1, 3).value).toBeNull();
    const owners = await sheetOf(
      (await download(owner, 'Month_report2019_6.xlsx').expect(200)).body as Buffer,
    );
    expect(owners.getCell(HEADER_ROW + 1, 3).value).toBe('=1+1');
  });

  it('names year and day reports as the seed shows', async () => {
    const org = await buildOrg(app);
    await siteWithFormulaNames(org);
    const year = await app.http
      .post('/api_3/report')
      .set(org.auth)
      .send({ ...june, Time_Type: '1', Time_Start: '2019-01-01 00:00:00', Time_End: '2019-12-31 23:59:59' })
      .expect(200);
    expect(year.body.Data[0].File_Name).toBe('Year_report2019.xlsx');
    const day = await app.http
      .post('/api_3/report')
      .set(org.auth)
      .send({ ...june, Time_Type: '3', Time_Start: '2019-06-02 00:00:00', Time_End: '2019-06-02 23:59:59' })
      .expect(200);
    expect(day.body.Data[0].File_Name).toBe('Day_report2019_6_2.xlsx');
    const dayQuery = {
      ...june,
      Time_Type: '3',
      Time_Start: '2019-06-02 00:00:00',
      Time_End: '2019-06-02 23:59:59',
    };
    const api = await app.http.post('/api_3/form_detailenergy').set(org.auth).send(dayQuery).expect(200);
    const ws = await sheetOf((await download(org, 'Day_report2019_6_2.xlsx').expect(200)).body as Buffer);
    expect(ws.getCell(HEADER_ROW, 6).value).toBe('2019-06-02 00:00:00');
    expect(ws.getCell(HEADER_ROW, 29).value).toBe('2019-06-02 23:00:00');
    const first = api.body.Data[0].Detail_Amounts[0];
    expect(first.Time).toBe('2019-06-02 00:00:00');
    expect(ws.getCell(HEADER_ROW + 1, 6).value).toBe(Number(first.Total_Amount));
    expect(Number(first.Total_Amount)).toBeGreaterThan(12);
  });

  it('rejects a bad query with 4103 naming the field, and stores no file', async () => {
    const org = await buildOrg(app);
    const bad = await app.http
      .post('/api_3/report')
      .set(org.auth)
      .send({ ...june, Time_Type: '9' })
      .expect(400);
    expect(bad.body).toMatchObject({ Err_No: '4103', Err_Detail: { field: 'Time_Type' } });
    await download(org, 'Month_report2019_6.xlsx').expect(404);
  });

  it('refuses a file name that is not a report name with 4103, so no other file can be asked for', async () => {
    const org = await buildOrg(app);
    for (const name of ['../../etc/passwd', 'Month_report2019_06.xlsx', 'Year_report2019.xlsx.bak']) {
      const res = await download(org, name).expect(400);
      expect(JSON.parse((res.body as Buffer).toString('utf8'))).toMatchObject({
        Err_No: '4103',
        Err_Detail: { field: 'File_Name' },
      });
    }
  });

  it('requires a session', async () => {
    await app.http.post('/api_3/report').send(june).expect(401);
    await app.http.get('/api_3/report_file').query({ File_Name: 'Year_report2019.xlsx' }).expect(401);
  });
});
