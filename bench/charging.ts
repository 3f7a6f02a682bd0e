import crypto from 'node:crypto';
import fs from 'node:fs';
import { execSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { operatorDatetime, OperatorClient } from '../bff/src/fakes/charging-operator/client';
import { startBff } from './lib/bff-process';
import { Api } from './lib/client';
import { createBenchDatabase } from './lib/database';
import { percentile, printTable, timeRuns, type ResultRow } from './lib/stats';

/**
 * `npm run bench:charging [-- --stations 50 --equipment 10 --cells 10 --period 15 --rounds 4]`: a real
 * BFF process on a throwaway PostgreSQL database. One operator registers stations × equipment × cells
 * (default 5,000 connectors) through the signed seed 004 API, then every connector reports its status
 * (POST /platform/management/cellStatus, signed, single report) once every `--period` seconds, spread
 * evenly over the period (open loop: a slow answer does not slow the senders), for `--rounds` periods.
 * During the load a manager reads `GET /api_3/charging_stations` (every station → equipment → cell with
 * live status and today's energy) once a second. Baselines measured in the same run, before the load:
 * a signed `GET /platform/management/cell?pageSize=1` and idle single reports. Prints one table and the
 * load average; never asserts.
 */
const { values: a } = parseArgs({
  options: {
    stations: { type: 'string', default: '50' },
    equipment: { type: 'string', default: '10' },
    cells: { type: 'string', default: '10' },
    period: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '4' },
    /** Reports per request: 1 = single reports (cellStatus); n > 1 = lists of n cells (cellStatusList). */
    batch: { type: 'string', default: '1' },
    /** Seconds between the manager's reads of every station during the load. */
    'page-every': { type: 'string', default: '1' },
    /** A connector changes status once every n of its reports (1 = every report). */
    'change-every': { type: 'string', default: '20' },
    /** Leave the throwaway database in place (its name is printed) to look at its plans afterwards. */
    'keep-db': { type: 'boolean', default: false },
    'pg-admin-url': {
      type: 'string',
      default: process.env.WD_BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
  },
});
const STATIONS = Number(a.stations);
const EQUIPMENT = Number(a.equipment);
const CELLS = Number(a.cells);
const PERIOD_MS = Number(a.period) * 1000;
const ROUNDS = Number(a.rounds);
const BATCH = Math.max(1, Number(a.batch));
const CHANGE_EVERY = Math.max(1, Number(a['change-every']));
const TZ = 'Asia/Shanghai';

/** CPU time (user + system) a process has used, in ms (from /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Runs `jobs` with at most `n` in flight. */
async function pool<T>(n: number, jobs: (() => Promise<T>)[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
}

async function main(): Promise<void> {
  const db = await createBenchDatabase(a['pg-admin-url']);
  let bff: Awaited<ReturnType<typeof startBff>> | undefined;
  try {
    bff = await startBff({
      DATABASE_URL: db.url,
      WD_MQTT_MODE: 'off',
      DATABASE_POOL_SIZE: '20',
      // seals the operator's secret (a throwaway key for the throwaway database)
      WD_SECRETS_KEY: crypto.randomBytes(32).toString('hex'),
    });
    const api = new Api(bff.url);
    await api.signUp(`bench_charging_${process.pid}`, 'Bench-password-1');
    const op = (
      await api.call('POST', '/api_3/charging_operators', {
        Operator_Id: 'BENCH-OP',
        Operator_Name: '压测运营商',
      })
    ).Data[0] as { Operator_Secret: string };
    const client = new OperatorClient({
      baseUrl: bff.url,
      operatorId: 'BENCH-OP',
      secret: op.Operator_Secret,
      timeZone: TZ,
    });
    const must = async (method: 'POST' | 'GET', path: string, body?: unknown) => {
      const r = await client.call(method, path, body);
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.message}`);
      return r;
    };
    const cellIds: string[] = [];
    const t0 = performance.now();
    for (let s = 0; s < STATIONS; s++) {
      const stationId = `ST${s}`;
      await must('POST', '/platform/management/station', {
        stationId,
        operatorId: 'BENCH-OP',
        stationName: `压测站 ${s}`,
        address: '压测路',
        serviceTel: '4000000000',
        stationType: 1,
        stationStatus: 50,
        stationLng: 121,
        stationLat: 31,
        construction: 5,
      });
      const jobs: (() => Promise<unknown>)[] = [];
      for (let e = 0; e < EQUIPMENT; e++) {
        const equipmentId = `${stationId}-E${e}`;
        jobs.push(async () => {
          await must('POST', '/platform/management/equipment', {
            equipmentId,
            stationId,
            operatorId: 'BENCH-OP',
            equipmentType: 1,
            power: 120,
          });
          for (let c = 0; c < CELLS; c++) {
            const cellId = `${equipmentId}-C${c}`;
            await must('POST', '/platform/management/cell', {
              cellId,
              equipmentId,
              operatorId: 'BENCH-OP',
              cellType: 2,
              cellStandard: 'GB/T 20234.3',
              ratedVoltageUpperLimit: 750,
              ratedVoltageLowerLimit: 200,
              ratedCurrent: 250,
              ratedPower: 120,
              electricityFee: '0.8',
              serviceFee: '0.4',
              fireControl: 1,
              smokeSensation: 1,
            });
            cellIds.push(cellId);
          }
        });
      }
      await pool(4, jobs);
    }
    const registerS = (performance.now() - t0) / 1000;

    const phaseOf = new Map(cellIds.map((c, i) => [c, i % CHANGE_EVERY]));
    const item = (cellId: string, seq: number) => {
      // A connector's status changes once every CHANGE_EVERY reports (at its own phase); power, SOC
      // and the session's energy change with every report.
      const phase = phaseOf.get(cellId)!;
      const charging = Math.floor((seq + phase) / CHANGE_EVERY) % 3 !== 0;
      return {
        cellId,
        status: charging ? 3 : 1,
        statusTime: `${operatorDatetime(new Date(), TZ)}.${String(seq % 1000).padStart(3, '0')}`,
        ...(charging
          ? {
              power: 55 + (seq % 10),
              voltage: 500,
              current: 110 + (seq % 20),
              soc: Math.min(100, 20 + seq),
              temperature: 30,
              totalPower: seq * 0.25,
            }
          : {}),
      };
    };
    const report = (cellId: string, seq: number) =>
      client.call('POST', '/platform/management/cellStatus', item(cellId, seq));
    /** One request for a group of cells; resolves to the number of items not accepted. */
    const send = async (group: string[], seq: number): Promise<number> => {
      if (group.length === 1) return (await report(group[0]!, seq)).status === 200 ? 0 : 1;
      const r = await client.call<{ accepted: boolean }[]>('POST', '/platform/management/cellStatusList', {
        list: group.map((c) => item(c, seq)),
      });
      return r.status === 200 ? r.data.filter((o) => !o.accepted).length : group.length;
    };
    const groups: string[][] = [];
    for (let i = 0; i < cellIds.length; i += BATCH) groups.push(cellIds.slice(i, i + BATCH));
    /** What the manager's 充电 page reads: every station with its equipment and cells, page by page. */
    const readStations = async () => {
      for (let page = 1; ; page++) {
        const r = await api.get('/api_3/charging_stations', {
          Page_Counts: String(page),
          Per_Page_Counts: '100',
        });
        if (page * 100 >= Number(r.Total_Numbers)) return;
      }
    };
    // Warm-up, not measured: every connector's first report (its live-status row is created once in
    // its life, the steady state is what repeats every period).
    const t1 = performance.now();
    await pool(
      8,
      cellIds.map((c) => () => report(c, 0)),
    );
    const firstS = (performance.now() - t1) / 1000;
    // Baselines (idle): a signed one-row page, and single reports one after another.
    const base = await timeRuns(200, () => must('GET', '/platform/management/cell?pageSize=1'));
    let k = 0;
    const idle = await timeRuns(200, () => report(cellIds[k++ % cellIds.length]!, 1));
    const pageIdle = await timeRuns(10, readStations);

    // Load: every connector once per period, evenly spread, open loop.
    const lat: number[] = [];
    let refused = 0;
    let failed = 0;
    const pageLat: number[] = [];
    const gap = PERIOD_MS / groups.length;
    const cpu0 = cpuMs(bff.pid);
    const start = performance.now();
    const end = start + ROUNDS * PERIOD_MS;
    let loading = true;
    const manager = (async () => {
      while (loading) {
        const t = performance.now();
        await readStations();
        pageLat.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, Number(a['page-every']) * 1000));
      }
    })();
    const inflight: Promise<void>[] = [];
    for (let i = 0; ; i++) {
      const due = start + i * gap;
      if (due >= end) break;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const group = groups[i % groups.length]!;
      const seq = 2 + Math.floor(i / groups.length);
      inflight.push(
        (async () => {
          const t = performance.now();
          try {
            refused += await send(group, seq);
          } catch {
            failed += group.length;
          }
          const ms = performance.now() - t;
          (globalThis as any).__dump ??= [];
          (globalThis as any).__dump.push([t - start, ms]);
          for (let j = 0; j < group.length; j++) lat.push(ms);
        })(),
      );
    }
    await Promise.all(inflight);
    if (process.env.WD_BENCH_DUMP)
      fs.writeFileSync(process.env.WD_BENCH_DUMP, JSON.stringify((globalThis as any).__dump));
    loading = false;
    await manager;
    const seconds = (performance.now() - start) / 1000;
    const bffCpuPerReport = (cpuMs(bff.pid) - cpu0) / Math.max(1, lat.length);
    const load = execSync('uptime').toString().trim();
    const p = (x: number[], q: number) => percentile(x, q).toFixed(1);
    const rows: ResultRow[] = [
      {
        what: 'baseline: signed GET cell (1 row), idle',
        value: `${p(base, 50)} / ${p(base, 99)} ms`,
        target: 'baseline',
        ok: null,
        note: 'p50 / p99',
      },
      {
        what: 'single status report, idle (sequential)',
        value: `${p(idle, 50)} / ${p(idle, 99)} ms`,
        target: 'baseline',
        ok: null,
        note: 'p50 / p99',
      },
      {
        what:
          BATCH > 1
            ? `status report under load (lists of ${BATCH}), p99`
            : 'status report under load (single), p99',
        value: `${p(lat, 99)} ms`,
        target: '≤ 50 ms',
        ok: percentile(lat, 99) <= 50,
        note: `p50 ${p(lat, 50)} ms, max ${Math.max(...lat).toFixed(0)} ms; ${lat.length} reports in ${seconds.toFixed(0)} s (${(lat.length / seconds).toFixed(0)}/s); refused ${refused}, failed ${failed}; BFF CPU ${bffCpuPerReport.toFixed(2)} ms per report (manager reads included)`,
      },
      {
        what: 'manager GET charging_stations, idle',
        value: `${p(pageIdle, 50)} ms`,
        target: 'baseline',
        ok: null,
        note: `p99 ${p(pageIdle, 99)} ms`,
      },
      {
        what: 'manager GET charging_stations under load, p99',
        value: `${p(pageLat, 99)} ms`,
        target: '≤ 200 ms',
        ok: percentile(pageLat, 99) <= 200,
        note: `p50 ${p(pageLat, 50)} ms over ${pageLat.length} reads; ${cellIds.length} cells`,
      },
    ];
    printTable(
      `bench:charging — ${cellIds.length} connectors (${STATIONS} stations × ${EQUIPMENT} equipment × ${CELLS} cells, registered in ${registerS.toFixed(0)} s, first reports in ${firstS.toFixed(0)} s), one signed report each every ${PERIOD_MS / 1000} s × ${ROUNDS}`,
      rows,
    );
    console.log(`load: ${load}`);
  } finally {
    await bff?.stop();
    if (a['keep-db']) console.log(`kept database ${db.name}`);
    else await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
