import ExcelJS from 'exceljs';
import type { FormDetailRow } from '@wattdesk/shared';

export interface ReportContent {
  /** Sheet title, e.g. "2019年能源报表". */
  title: string;
  /** The query's range as the user gave it, shown under the title. */
  timeStart: string;
  timeEnd: string;
  generatedAt: string;
  /** The 3.5 answer, unchanged. */
  rows: FormDetailRow[];
}

const FIXED_HEADERS = ['部门', '机器', '仪表', '能源类型', '能源名称'];
/** Rows above each table: title, time range, generated at, blank. The header is on row 5. */
export const HEADER_ROW = 5;

/** Which figure a sheet shows: the amounts, or the costs where a rate applies. */
interface Figures {
  sheet: string;
  detail: (d: FormDetailRow['Detail_Amounts'][number]) => string | undefined;
  total: (r: FormDetailRow) => string | undefined;
  shift: (s: FormDetailRow['Shift_Amounts'][number]) => string | undefined;
}
const AMOUNTS: Figures = {
  sheet: '用量',
  detail: (d) => d.Total_Amount,
  total: (r) => r.Total_Amount,
  shift: (s) => s.Shift_Amount,
};
const COSTS: Figures = {
  sheet: '费用（元）',
  detail: (d) => d.Total_Cost,
  total: (r) => r.Total_Cost,
  shift: (s) => s.Shift_Cost,
};

/**
 * Builds the xlsx of a 3.4 report from the 3.5 rows: one line per group, one column per time bucket,
 * the range total, then one column per shift; a second sheet with costs when any rate applied. Text
 * from users (department, machine and meter names) is always a plain string cell: exceljs writes a
 * formula only for `{ formula }` values, never for text, so "=1+1" stays the text "=1+1".
 */
export async function buildReportWorkbook(content: ReportContent): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'WattDesk 能管通';
  writeSheet(wb, content, AMOUNTS);
  if (
    content.rows.some(
      (r) => r.Total_Cost !== undefined || r.Detail_Amounts.some((d) => d.Total_Cost !== undefined),
    )
  )
    writeSheet(wb, content, COSTS);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function writeSheet(wb: ExcelJS.Workbook, content: ReportContent, figures: Figures): void {
  const ws = wb.addWorksheet(figures.sheet, { views: [{ state: 'frozen', xSplit: 5, ySplit: HEADER_ROW }] });
  const times = bucketTimes(content.rows);
  const shifts = shiftNames(content.rows);
  ws.getCell(1, 1).value = `${content.title} · ${figures.sheet}`;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.getCell(2, 1).value = `时间范围：${content.timeStart} 至 ${content.timeEnd}`;
  ws.getCell(3, 1).value = `生成时间：${content.generatedAt}`;
  const header = [...FIXED_HEADERS, ...times, '合计', ...shifts.map((s) => `班次：${s}`)];
  header.forEach((h, i) => {
    const cell = ws.getCell(HEADER_ROW, i + 1);
    cell.value = h;
    cell.font = { bold: true };
  });
  const first = FIXED_HEADERS.length + 1;
  content.rows.forEach((row, r) => {
    const line = HEADER_ROW + 1 + r;
    const names = [row.Meter_Department, row.Meter_Superior, row.Meter_Name, row.Ene_Type, row.Ene_Name];
    names.forEach((text, i) => (ws.getCell(line, i + 1).value = String(text ?? '')));
    const byTime = new Map(row.Detail_Amounts.map((d) => [d.Time, figures.detail(d)]));
    times.forEach((t, i) => writeAmount(ws.getCell(line, first + i), byTime.get(t)));
    writeAmount(ws.getCell(line, first + times.length), figures.total(row));
    const byShift = new Map(row.Shift_Amounts.map((s) => [s.Shift_Name, figures.shift(s)]));
    shifts.forEach((s, i) => writeAmount(ws.getCell(line, first + times.length + 1 + i), byShift.get(s)));
  });
  ws.columns.forEach((col, i) => (col.width = i < FIXED_HEADERS.length ? 18 : 20));
}

/** A number as the API wrote it: the cell holds the API's value, shown with as many decimals. */
function writeAmount(cell: ExcelJS.Cell, text: string | undefined): void {
  if (text === undefined) return;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) {
    cell.value = text;
    return;
  }
  cell.value = n;
  const decimals = text.includes('.') ? text.split('.')[1]!.length : 0;
  cell.numFmt = decimals ? `0.${'0'.repeat(decimals)}` : '0';
}

/** Every bucket start in time order ("YYYY-MM-DD HH:mm:ss" sorts as text). */
function bucketTimes(rows: FormDetailRow[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const d of row.Detail_Amounts) seen.add(d.Time);
  return [...seen].sort();
}

function shiftNames(rows: FormDetailRow[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const s of row.Shift_Amounts) seen.add(s.Shift_Name);
  return [...seen];
}
