import ExcelJS from 'exceljs';
import { reportFileQuery } from '@wattdesk/shared';
import { reportFileName } from './naming';
import type { FormDetailRow } from '@wattdesk/shared';
import { buildReportWorkbook, HEADER_ROW } from './workbook';
import { xlsxEntries } from './xlsx-entries';

const rows: FormDetailRow[] = [
  {
    Meter_Department: '东车间',
    Meter_Superior: '=HYPERLINK("http://x","点我")',
    Meter_Name: '=1+1',
    Ene_Type: '1',
    Ene_Name: '自来水',
    Total_Amount: '10.25',
    Total_Cost: '41.00',
    Shift_Amounts: [
      { Shift_Name: '白班', Shift_Amount: '1000.50' },
      { Shift_Name: '夜班', Shift_Amount: '2000.00' },
    ],
    Detail_Amounts: [
      { Time: '2019-04-01 01:00:00', Total_Amount: '10.25', Total_Cost: '41.00' },
      { Time: '2019-04-01 02:00:00', Total_Amount: '0.00', Total_Cost: '0.00' },
    ],
  },
  {
    Meter_Department: '+cmd|" /C calc"!A0',
    Meter_Superior: '@SUM(1,2)',
    Meter_Name: '-2+3',
    Ene_Type: '0',
    Ene_Name: '电',
    Total_Amount: '7.5',
    Shift_Amounts: [],
    Detail_Amounts: [{ Time: '2019-04-01 02:00:00', Total_Amount: '7.5' }],
  },
];

async function build() {
  return buildReportWorkbook({
    title: '2019年4月1日能源报表',
    timeStart: '2019-04-01 00:00:00',
    timeEnd: '2019-04-02 00:00:00',
    generatedAt: '2019-04-02 08:00:00',
    rows,
  });
}

describe('report workbook', () => {
  it('writes formula-looking names as plain text cells and no formula at all', async () => {
    const buf = await build();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const texts = [1, 2, 3].map((c) => ws.getCell(HEADER_ROW + 1, c));
    expect(texts.map((c) => c.value)).toEqual(['东车间', '=HYPERLINK("http://x","点我")', '=1+1']);
    for (const c of [...texts, ...[1, 2, 3].map((col) => ws.getCell(HEADER_ROW + 2, col))])
      expect(c.type).toBe(ExcelJS.ValueType.String);
    const entries = xlsxEntries(buf);
    const sheet = entries.get('xl/worksheets/sheet1.xml')!;
    expect(sheet).toContain('<sheetData>');
    expect(sheet).not.toMatch(/<f[ >]/);
    expect(entries.get('xl/sharedStrings.xml')).toContain('=1+1');
  });

  it('puts each bucket amount under its time column as the number the API gave', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await build()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(HEADER_ROW).values as unknown[]).slice(1);
    expect(header).toEqual([
      '部门',
      '机器',
      '仪表',
      '能源类型',
      '能源名称',
      '2019-04-01 01:00:00',
      '2019-04-01 02:00:00',
      '合计',
      '班次：白班',
      '班次：夜班',
    ]);
    expect((ws.getRow(HEADER_ROW + 1).values as unknown[]).slice(6)).toEqual([10.25, 0, 10.25, 1000.5, 2000]);
    // The second meter has no 01:00 bucket and no shifts: those cells stay empty.
    expect(ws.getCell(HEADER_ROW + 2, 6).value).toBeNull();
    expect(ws.getCell(HEADER_ROW + 2, 7).value).toBe(7.5);
    expect(ws.getCell(HEADER_ROW + 1, 6).numFmt).toBe('0.00');
  });

  it('adds a cost sheet with the API costs when a rate applied', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await build()) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['用量', '费用（元）']);
    const ws = wb.worksheets[1]!;
    expect((ws.getRow(HEADER_ROW + 1).values as unknown[]).slice(6, 9)).toEqual([41, 0, 41]);
    expect(ws.getCell(HEADER_ROW + 2, 8).value).toBeNull();
  });
});

describe('report file names', () => {
  it('follows the seed: Year_report2019, Month_report2019_6, Day_report2019_6_12', () => {
    expect(reportFileName(1, '2019-01-01 00:00:00')).toBe('Year_report2019.xlsx');
    expect(reportFileName(2, '2019-06-01 00:00:00')).toBe('Month_report2019_6.xlsx');
    expect(reportFileName(3, '2019-06-12 07:30:00')).toBe('Day_report2019_6_12.xlsx');
  });

  it('accepts only names of that shape, so no path or other file can be asked for', () => {
    for (const ok of ['Year_report2019.xlsx', 'Month_report2019_12.xlsx', 'Day_report2019_6_31.xlsx'])
      expect(reportFileQuery.safeParse({ File_Name: ok }).success).toBe(true);
    for (const bad of [
      '../etc/passwd',
      'Year_report2019.xlsx/..',
      'Month_report2019_06.xlsx',
      'Month_report2019_13.xlsx',
      'x.xlsx',
    ])
      expect(reportFileQuery.safeParse({ File_Name: bad }).success).toBe(false);
  });
});
