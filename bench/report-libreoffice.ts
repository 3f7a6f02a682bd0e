import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generateSite } from '../bff/src/demo/data/site';
import { startBff } from './lib/bff-process';
import { Api } from './lib/client';
import { createBenchDatabase } from './lib/database';
import { httpSender, ingestBatches } from './lib/ingest';
import { parseCsv } from './lib/csv';
import { createSiteOverHttp, gatewayBatches } from './lib/site-http';
import { printTable, type ResultRow } from './lib/stats';

const OUT = '/tmp/wd-report-libreoffice';
const HEADER_LINE = 5; // the table header is on row 5 of each sheet (see features/reports/workbook.ts)

/**
 * `npx tsx bench/report-libreoffice.ts`: opens real 3.4 reports in LibreOffice and checks that every
 * number it shows equals the 3.5 answer. A BFF process on a throwaway database gets a generated site
 * (one machine and one meter with formula-looking names, a time-of-use electricity rate), then month,
 * day and year reports are downloaded and converted to CSV by `soffice --headless` (every sheet).
 * Needs LibreOffice Calc (`apt-get install -y libreoffice-calc-nogui`). Prints one table.
 */
async function main(): Promise<void> {
  execFileSync('soffice', ['--version'], { stdio: 'ignore' });
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const site = generateSite({ seed: 'lo-check', startDate: '2025-06-01', days: 40, size: 9 });
  site.machines[0]!.name = '=HYPERLINK("http://x","点我")';
  site.meters[0]!.name = '=1+1';
  site.meters[1]!.name = '@SUM(1,2)';
  const db = await createBenchDatabase(
    process.env.WD_BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  );
  const rows: ResultRow[] = [];
  let bff: Awaited<ReturnType<typeof startBff>> | undefined;
  try {
    bff = await startBff({ DATABASE_URL: db.url, WD_ADMIN_PASSWORD: 'lo-check-password' });
    const api = new Api(bff.url);
    await api.signUp(`lo_check_${process.pid}`, 'Lo-check-pass-1');
    await api.call('POST', '/api_3/rate', {
      Rate_Name: '工业电价（峰谷）',
      Rate_Type: '0',
      isSegmentation: '0',
      Segments: [
        { Seg_Begin: '00:00:00', Seg_End: '08:00:00', Rate_Value: '0.35' },
        { Seg_Begin: '08:00:00', Seg_End: '22:00:00', Rate_Value: '1.02' },
        { Seg_Begin: '22:00:00', Seg_End: '24:00:00', Rate_Value: '0.35' },
      ],
      Rate_Unit: '元/kWh',
    });
    const ids = await createSiteOverHttp(api, site);
    await ingestBatches(httpSender(api), gatewayBatches(site, ids, 2, 2000), 2, bff.rssMb);
    const base = { Amount_Type: '2' };
    for (const q of [
      { ...base, Time_Type: '2', Time_Start: '2025-06-01 00:00:00', Time_End: '2025-06-30 23:59:59' },
      { ...base, Time_Type: '3', Time_Start: '2025-06-12 00:00:00', Time_End: '2025-06-12 23:59:59' },
      { ...base, Time_Type: '1', Time_Start: '2025-01-01 00:00:00', Time_End: '2025-12-31 23:59:59' },
    ]) {
      const answer = (await api.call('POST', '/api_3/form_detailenergy', q)).Data as any[];
      const name = (await api.call('POST', '/api_3/report', q)).Data[0].File_Name as string;
      const file = path.join(OUT, name);
      const res = await api.raw('GET', `/api_3/report_file?File_Name=${name}`);
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      execFileSync(
        'soffice',
        [
          `-env:UserInstallation=file://${OUT}/profile`,
          '--headless',
          '--convert-to',
          'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
          '--outdir',
          OUT,
          file,
        ],
        { stdio: 'ignore', timeout: 120_000 },
      );
      const base = name.replace(/\.xlsx$/, '');
      for (const [sheet, pick] of [
        ['用量', amountsOf],
        ['费用（元）', costsOf],
      ] as const) {
        const csv = parseCsv(fs.readFileSync(path.join(OUT, `${base}-${sheet}.csv`), 'utf8'));
        const { compared, mismatches } = compare(csv, answer, pick);
        rows.push({
          what: `${name} / ${sheet}`,
          value: `${compared} cells equal`,
          target: 'every number = API',
          ok: mismatches.length === 0 && compared > 0,
          note: mismatches.slice(0, 2).join('; '),
        });
      }
    }
  } finally {
    await bff?.stop();
    await db.drop();
  }
  printTable(
    `\n3.4 reports opened in LibreOffice (${execFileSync('soffice', ['--version']).toString().trim()}); files in ${OUT}`,
    rows,
  );
}

type Pick = (row: any) => {
  detail: Map<string, string | undefined>;
  total?: string;
  shifts: Map<string, string | undefined>;
};
const amountsOf: Pick = (r) => ({
  detail: new Map(r.Detail_Amounts.map((d: any) => [d.Time, d.Total_Amount])),
  total: r.Total_Amount,
  shifts: new Map(r.Shift_Amounts.map((s: any) => [s.Shift_Name, s.Shift_Amount])),
});
const costsOf: Pick = (r) => ({
  detail: new Map(r.Detail_Amounts.map((d: any) => [d.Time, d.Total_Cost])),
  total: r.Total_Cost,
  shifts: new Map(r.Shift_Amounts.map((s: any) => [s.Shift_Name, s.Shift_Cost])),
});

/** Compares every cell of the CSV's table with the API rows (names as text, figures as numbers). */
function compare(csv: string[][], answer: any[], pick: Pick): { compared: number; mismatches: string[] } {
  const header = csv[HEADER_LINE - 1]!;
  const mismatches: string[] = [];
  let compared = 0;
  const check = (where: string, cell: string | undefined, api: string | undefined, numeric: boolean) => {
    compared++;
    const same = numeric
      ? (cell ?? '') === ''
        ? api === undefined
        : Number(cell) === Number(api)
      : cell === api;
    if (!same) mismatches.push(`${where}: LibreOffice "${cell}" ≠ API "${api}"`);
  };
  answer.forEach((row, i) => {
    const line = csv[HEADER_LINE + i] ?? [];
    const names = [row.Meter_Department, row.Meter_Superior, row.Meter_Name, row.Ene_Type, row.Ene_Name];
    names.forEach((n, c) => check(`row ${i + 1} col ${c + 1}`, line[c], n, false));
    const p = pick(row);
    header.forEach((h, c) => {
      if (c < 5) return;
      const api =
        h === '合计' ? p.total : h.startsWith('班次：') ? p.shifts.get(h.slice(3)) : p.detail.get(h);
      check(`row ${i + 1} ${h}`, line[c], api, true);
    });
  });
  return { compared, mismatches };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
