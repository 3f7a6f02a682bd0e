import { execSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { startBff } from './lib/bff-process';
import { Api } from './lib/client';
import { createBenchDatabase } from './lib/database';
import { percentile, printTable, timeRuns, type ResultRow } from './lib/stats';

/**
 * `npm run bench:oee [-- --machines 50 --runs 200]`: a real BFF process on a throwaway PostgreSQL
 * database; `--machines` machines with status rules and a year (2025) of state timeline each (10 state
 * changes a day, ~3 % of the day-parts missing → 离线), written straight into oee_runs (the query path is
 * what is measured; the consumer that writes them is tested against the reference). Times 7.6
 * `OEE_statistic` for a year (by month, and in total) over the machines in turn, beside a baseline
 * measured in the same run: `OEE_settings` (session check + one primary-key read). Prints one table
 * and the load average; never asserts.
 */
const { values: a } = parseArgs({
  options: {
    machines: { type: 'string', default: '50' },
    runs: { type: 'string', default: '200' },
    'pg-admin-url': {
      type: 'string',
      default: process.env.WD_BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
  },
});
const MACHINES = Number(a.machines);
const RUNS = Number(a.runs);

async function main(): Promise<void> {
  const db = await createBenchDatabase(a['pg-admin-url']);
  let bff: Awaited<ReturnType<typeof startBff>> | undefined;
  try {
    bff = await startBff({ DATABASE_URL: db.url, WD_MQTT_MODE: 'off' });
    const api = new Api(bff.url);
    await api.signUp(`bench_oee_${process.pid}`, 'Bench-password-1');
    const machines: number[] = [];
    for (let i = 0; i < MACHINES; i++) {
      const m = Number(
        (
          await api.call('POST', '/api_3/metersuperiors', {
            Meter_Superior: `机器${i + 1}`,
            Meter_Department: '冲压车间',
            equipmentCode: '01',
            equipmentUnitCode: `M-${i + 1}`,
          })
        ).Data[0].id,
      );
      const meter = Number(
        (
          await api.call('POST', '/api_3/meters', {
            Meter_Name: `电表${i + 1}`,
            Meter_Type: '0',
            Meter_Superior_id: m,
            Meter_Parameter: 'P',
          })
        ).Data[0].id,
      );
      for (const [Status_Name, LowerLimit, UpperLimit] of [
        ['停机', 0, 9.99],
        ['待机', 10, 49.99],
        ['运行', 50, 1e9],
      ] as const)
        await api.call('POST', '/api_3/OEE_status_rules', {
          Rule_Name: Status_Name,
          Status_Name,
          Meter_id: meter,
          Meter_Parameter: 'P',
          LowerLimit,
          UpperLimit,
          Meter_Superior_id: m,
        });
      machines.push(m);
    }
    // The rebuild jobs of the rule changes (no readings yet) run before the timeline is written.
    await new Promise((r) => setTimeout(r, 3000));
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const ids = `{${machines.join(',')}}`;
    await pg.query(
      `insert into oee_points (machine_id, ts, status)
       select id, '2025-01-01 00:00:00+08', '待机' from unnest($1::int[]) as id on conflict do nothing`,
      [ids],
    );
    const parts: [number, number, string][] = [
      [0, 360, '待机'],
      [360, 480, '停机'],
      [480, 600, '运行'],
      [600, 630, '待机'],
      [630, 720, '运行'],
      [720, 780, '停机'],
      [780, 960, '运行'],
      [960, 990, '待机'],
      [990, 1200, '运行'],
      [1200, 1440, '待机'],
    ];
    const values = parts.map(([s, e, st]) => `(${s}, ${e}, '${st}')`).join(',');
    const ins = await pg.query(
      `insert into oee_runs (machine_id, start_ts, end_ts, status)
       select m, d + p.a * interval '1 minute', d + p.b * interval '1 minute', p.st
       from unnest($1::int[]) as m,
            generate_series('2025-01-01 00:00:00+08'::timestamptz, '2025-12-31 00:00:00+08', interval '1 day') as d,
            (values ${values}) as p(a, b, st)
       where random() > 0.03`,
      [ids],
    );
    await pg.query('analyze oee_runs');
    await pg.end();

    const year = (i: number, format: number) => ({
      Time_Type: '1',
      Return_Format: String(format),
      Time_Start: '2025-01-01 00:00:00',
      Time_End: '2026-01-01 00:00:00',
      Meter_Superior_id: String(machines[i % machines.length]),
    });
    let i = 0;
    const base = await timeRuns(RUNS, () =>
      api.get('/api_3/OEE_settings', { Meter_Superior_id: String(machines[i++ % machines.length]) }),
    );
    i = 0;
    const detailed = await timeRuns(RUNS, () => api.get('/api_3/OEE_statistic', year(i++, 2)));
    i = 0;
    const total = await timeRuns(RUNS, () => api.get('/api_3/OEE_statistic', year(i++, 1)));
    const base2 = await timeRuns(RUNS, () =>
      api.get('/api_3/OEE_settings', { Meter_Superior_id: String(machines[i++ % machines.length]) }),
    );
    const load = execSync('uptime').toString().trim();
    const p95 = (x: number[]) => percentile(x, 95);
    const rows: ResultRow[] = [
      {
        what: 'baseline GET OEE_settings p95 (before / after)',
        value: `${p95(base).toFixed(1)} / ${p95(base2).toFixed(1)} ms`,
        target: 'baseline',
        ok: null,
        note: `p50 ${percentile(base, 50).toFixed(1)} ms`,
      },
      {
        what: '7.6 year by month (Return_Format 2), p95',
        value: `${p95(detailed).toFixed(1)} ms`,
        target: '≤ 100 ms',
        ok: p95(detailed) <= 100,
        note: `p50 ${percentile(detailed, 50).toFixed(1)} ms; ${(p95(detailed) - p95(base)).toFixed(1)} ms above baseline`,
      },
      {
        what: '7.6 year total (Return_Format 1), p95',
        value: `${p95(total).toFixed(1)} ms`,
        target: '≤ 100 ms',
        ok: p95(total) <= 100,
        note: `p50 ${percentile(total, 50).toFixed(1)} ms`,
      },
    ];
    printTable(
      `bench:oee — ${MACHINES} machines × a year of states (${ins.rowCount} runs), ${RUNS} queries each, machines in turn`,
      rows,
    );
    console.log(`load: ${load}`);
  } finally {
    await bff?.stop();
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
