import net from 'node:net';
import os from 'node:os';
import { Client } from 'pg';
import { parseArgs } from 'node:util';
import { startBff } from './lib/bff-process';
import { createBenchDatabase } from './lib/database';
import { printTable, type ResultRow } from './lib/stats';
import { cpuSeconds, databaseCpuSeconds } from './lib/cpu';
import { startFleet, stopFleet } from '../bff/src/fakes/devices/fleet';
import type { SimulatedDevice } from '../bff/src/fakes/devices/device';
import {
  atRate,
  closedLoop,
  EmsClient,
  latencyText,
  pgStatements,
  rawMqttBaseline,
  type Sample,
} from './commands-lib';

/**
 * `npm run bench:commands [-- --devices 1000 --rate 200 --seconds 20 --commands 100000]`: a real BFF
 * process (embedded broker, throwaway PostgreSQL database) and simulated devices in this process.
 * Measures command round trips against a same-run baseline (an authenticated GET that does not reach a
 * device), throughput, and a long run with injected duplicate and late answers whose every record is
 * checked against what the devices actually did. Prints one table; never asserts.
 */
const { values: a } = parseArgs({
  options: {
    devices: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    commands: { type: 'string', default: '100000' },
    concurrency: { type: 'string', default: '32' },
    /** Commands of the closed-loop throughput phase (also measures CPU per command). */
    'throughput-commands': { type: 'string', default: '5000' },
    'timeout-ms': { type: 'string', default: '1000' },
    'pg-admin-url': {
      type: 'string',
      default: process.env.WD_BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
  },
});
const N = Number(a.devices);
const RATE = Number(a.rate);
const SECONDS = Number(a.seconds);
const COMMANDS = Number(a.commands);
const CONCURRENCY = Number(a.concurrency);
const TP = Number(a['throughput-commands']);

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

/** Compares every command of the fault run with what its device did and what the record says. */
async function audit(dbUrl: string, samples: Sample[], fleet: SimulatedDevice[]) {
  const executed = new Map<string, number>();
  const fault = new Map<string, string>();
  for (const d of fleet) {
    for (const [id, n] of d.executions) executed.set(id, n);
    for (const [id, f] of d.faultsApplied) fault.set(id, f);
  }
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  const { rows } = await db.query<{ id: string; status: string; late: boolean; dups: number }>(
    `select id, status, late_response is not null as late, duplicate_responses as dups
       from device_commands where method = 'reactive.set'`,
  );
  await db.end();
  const records = new Map(rows.map((r) => [r.id, r]));
  const out = { lost: 0, twice: 0, untrue: 0, timeouts: 0, late: 0, duplicates: 0, unexpectedTimeouts: 0 };
  for (const s of samples) {
    const rec = s.commandId ? records.get(s.commandId) : undefined;
    if (!rec || (s.status !== 200 && s.status !== 504)) {
      out.lost++;
      continue;
    }
    const n = executed.get(rec.id) ?? 0;
    if (n > 1) out.twice++;
    const f = fault.get(rec.id);
    if (f === 'late') out.late++;
    if (f === 'duplicate') out.duplicates++;
    if (s.status === 504) out.timeouts++;
    const truth =
      f === 'late'
        ? s.status === 504 && rec.status === 'timed_out' && rec.late && n === 1
        : s.status === 200
          ? rec.status === 'succeeded' && n === 1 && rec.dups === (f === 'duplicate' ? 1 : 0)
          : rec.status === 'timed_out';
    if (!truth) out.untrue++;
    if (s.status === 504 && f !== 'late') out.unexpectedTimeouts++;
  }
  return out;
}

async function main(): Promise<void> {
  const load = os.loadavg();
  const db = await createBenchDatabase(a['pg-admin-url']);
  const mqttPort = await freePort();
  const bff = await startBff({
    DATABASE_URL: db.url,
    WD_MQTT_MODE: 'embedded',
    WD_MQTT_PORT: String(mqttPort),
    DEVICE_RPC_TIMEOUT_MS: a['timeout-ms'],
    WD_ADMIN_PASSWORD: 'bench-admin-password',
  });
  let fleet: SimulatedDevice[] = [];
  const rows: ResultRow[] = [];
  try {
    const client = await EmsClient.signUp(bff.url, `bench_${process.pid}`, 'Bench-password-1');
    const uids = Array.from({ length: N }, (_, i) => `bench-${process.pid}-${i}`);
    const secrets: string[] = [];
    for (let i = 0; i < N; i += 20)
      secrets.push(...(await Promise.all(uids.slice(i, i + 20).map((u) => client.register(u)))));
    log(`${N} devices registered; connecting`);
    fleet = await startFleet(
      uids.map((uid, i) => ({
        url: `mqtt://127.0.0.1:${mqttPort}`,
        uid,
        secret: secrets[i]!,
        kind: 'ems' as const,
        lateMs: 200,
      })),
    );
    for (let t = 0; (await client.onlineCount()) < N; t++) {
      if (t > 200) throw new Error('devices did not all come online');
      await new Promise((r) => setTimeout(r, 100));
    }
    log(`${N} devices online`);
    await closedLoop(500, 8, uids, (u) => client.timed(u, 'reactive')); // warm-up
    const raw = await rawMqttBaseline({
      devices: Math.min(N, 50),
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      redisPrefix: `wdbench:${process.pid}:rawmqtt:`,
    });
    const rawRtt = latencyText(await atRate(RATE, SECONDS, raw.uids, raw.send));
    await raw.close();
    const base = latencyText(await atRate(RATE, SECONDS, uids, (u) => client.timed(u, 'stored')));
    const react = await atRate(RATE, SECONDS, uids, (u) => client.timed(u, 'reactive'));
    const reactive = latencyText(react);
    const bms = latencyText(await atRate(RATE, SECONDS, uids, (u) => client.timed(u, 'bms')));
    const added = reactive.p99 - base.p99;
    const bmsAdded = bms.p99 - base.p99;
    rows.push(
      {
        what: `baseline: raw MQTT round trip at ${RATE}/s`,
        value: rawRtt.text,
        target: '-',
        ok: null,
        note: 'QoS 1 request → simulated device → answer, aedes + Redis persistence, no BFF',
      },
      {
        what: `baseline: GET /devices/detail at ${RATE}/s`,
        value: base.text,
        target: '-',
        ok: null,
        note: 'HTTP + auth + DB, no device',
      },
      {
        what: `POST /reactive-power-control at ${RATE}/s`,
        value: reactive.text,
        target: '-',
        ok: react.every((s) => s.status === 200),
        note: 'one device round trip, recorded',
      },
      {
        what: 'added latency (command − baseline GET), p50 / p99',
        value: `${(reactive.p50 - base.p50).toFixed(1)} / ${added.toFixed(1)} ms`,
        target: 'p99 ≤ 15 ms',
        ok: added <= 15,
        note: `over GET + raw MQTT: p50 ${(reactive.p50 - base.p50 - rawRtt.p50).toFixed(1)} ms, p99 ${(added - rawRtt.p99).toFixed(1)} ms`,
      },
      {
        what: `POST /bms-control at ${RATE}/s`,
        value: bms.text,
        target: '-',
        ok: null,
        note: 'command + state read-back (two round trips)',
      },
      {
        what: 'BMS added latency (command + read-back − baseline), p50 / p99',
        value: `${(bms.p50 - base.p50).toFixed(1)} / ${bmsAdded.toFixed(1)} ms`,
        target: 'p99 ≤ 30 ms',
        ok: bmsAdded <= 30,
        note: `load average now ${loadText()}`,
      },
    );
    log('latency done; throughput');
    // CPU each command costs the BFF and PostgreSQL: less sensitive than latency to a machine shared with others.
    // The same CPU measure for an authenticated GET that reaches no device: what any request costs.
    const cpuGet0 = { bff: cpuSeconds(bff.pid), pg: await databaseCpuSeconds(a['pg-admin-url'], db.name) };
    await closedLoop(TP, CONCURRENCY, uids, (u) => client.timed(u, 'stored'));
    const cpuGet1 = { bff: cpuSeconds(bff.pid), pg: await databaseCpuSeconds(a['pg-admin-url'], db.name) };
    const pgs = await pgStatements(db.url);
    await pgs?.reset();
    const cpu0 = { bff: cpuSeconds(bff.pid), pg: await databaseCpuSeconds(a['pg-admin-url'], db.name) };
    const benchCpu0 = process.cpuUsage();
    const tp = await closedLoop(TP, CONCURRENCY, uids, (u) => client.timed(u, 'reactive'));
    const benchCpu = process.cpuUsage(benchCpu0);
    const cpu1 = { bff: cpuSeconds(bff.pid), pg: await databaseCpuSeconds(a['pg-admin-url'], db.name) };
    const stats = await pgs?.read();
    await pgs?.close();
    if (stats) {
      const perCommand = (n: number) => (n / TP).toFixed(2);
      const total = stats.statements.reduce((s, st) => s + st.calls, 0);
      rows.push({
        what: 'PostgreSQL statements / commits per reactive command',
        value: `${perCommand(total)} / ${perCommand(stats.commits)}`,
        target: '-',
        ok: null,
        note: `pg_stat_statements over the throughput phase (top 25 statements; ${stats.rollbacks} rollbacks)`,
      });
      statementLines = stats.statements.map(
        (st) =>
          `${perCommand(st.calls).padStart(6)} calls/cmd ${(st.totalMs / st.calls).toFixed(3).padStart(8)} ms  ${st.query.replace(/\s+/g, ' ').slice(0, 160)}`,
      );
    }
    rows.push(
      {
        what: `throughput, ${CONCURRENCY} in flight`,
        value: `${(TP / tp.seconds).toFixed(0)} commands/s`,
        target: '≥ 1000/s',
        ok: TP / tp.seconds >= 1000,
        note: latencyText(tp.samples).text,
      },
      {
        what: 'CPU per 1,000 reactive commands (BFF / PostgreSQL)',
        value: `${(((cpu1.bff - cpu0.bff) * 1000) / TP).toFixed(2)} s / ${(((cpu1.pg - cpu0.pg) * 1000) / TP).toFixed(2)} s`,
        target: '-',
        ok: null,
        note: `throughput phase; PostgreSQL = its backends of this database; this bench process (HTTP client + ${N} simulated devices): ${((((benchCpu.user + benchCpu.system) / 1e6) * 1000) / TP).toFixed(2)} s`,
      },
      {
        what: 'baseline: CPU per 1,000 GET /devices/detail (BFF / PostgreSQL)',
        value: `${(((cpuGet1.bff - cpuGet0.bff) * 1000) / TP).toFixed(2)} s / ${(((cpuGet1.pg - cpuGet0.pg) * 1000) / TP).toFixed(2)} s`,
        target: '-',
        ok: null,
        note: `same closed loop (${CONCURRENCY} in flight), no device`,
      },
    );

    log(`${COMMANDS} commands with 1% duplicate and 1% late answers`);
    for (const d of fleet) d.setRandomFaults({ duplicate: 0.01, late: 0.01 });
    const errorsBefore = client.connectionErrors;
    let seq = 0;
    // Every command carries an Idempotency-Key, so a reset connection is retried without sending twice.
    const run = await closedLoop(
      COMMANDS,
      CONCURRENCY,
      uids,
      (u) => client.timed(u, 'reactive', `bench-${process.pid}-${seq++}`),
      (n) => log(`  ${n} done`),
    );
    const retried = client.connectionErrors - errorsBefore;
    for (const d of fleet) d.setRandomFaults(undefined);
    await new Promise((r) => setTimeout(r, Number(a['timeout-ms']) + 1500)); // last late answers land
    const audit1 = await audit(db.url, run.samples, fleet);
    rows.push(
      {
        what: `${COMMANDS} commands: rate`,
        value: `${(COMMANDS / run.seconds).toFixed(0)} commands/s`,
        target: '-',
        ok: null,
        note: latencyText(run.samples.filter((s) => s.status === 200)).text,
      },
      {
        what: 'lost (no answer or no record)',
        value: String(audit1.lost),
        target: '0',
        ok: audit1.lost === 0,
        note: `${retried} connection resets retried with the same Idempotency-Key`,
      },
      { what: 'executed twice', value: String(audit1.twice), target: '0', ok: audit1.twice === 0 },
      {
        what: 'records not matching the device',
        value: String(audit1.untrue),
        target: '0',
        ok: audit1.untrue === 0,
      },
      {
        what: 'injected late → timed out, late answer kept',
        value: `${audit1.late} late, ${audit1.timeouts} timeouts`,
        target: 'equal',
        ok: audit1.late === audit1.timeouts,
      },
      {
        what: 'injected duplicates (counted on record)',
        value: String(audit1.duplicates),
        target: '≈1%',
        ok: null,
      },
      {
        what: 'timeouts without an injected fault',
        value: String(audit1.unexpectedTimeouts),
        target: '0',
        ok: audit1.unexpectedTimeouts === 0,
      },
    );
    rows.push({
      what: 'HTTP connection errors (whole run)',
      value: String(client.connectionErrors),
      target: '0',
      ok: client.connectionErrors === 0,
    });
    rows.push({ what: 'BFF RSS at end', value: `${bff.rssMb().toFixed(0)} MB`, target: '-', ok: null });
    rows.push({ what: 'load average at end (1 / 5 / 15 min)', value: loadText(), target: '-', ok: null });
  } finally {
    await stopFleet(fleet).catch(() => undefined);
    await bff.stop();
    await db.drop();
  }
  printTable(
    `device commands: ${N} simulated devices, embedded broker, PostgreSQL, timeout ${a['timeout-ms']} ms (${os.cpus().length} cores, load before ${load.map((l) => l.toFixed(2)).join(' ')})`,
    rows,
  );
  if (statementLines.length)
    console.log(['', 'top statements (throughput phase):', ...statementLines].join('\n'));
}

let statementLines: string[] = [];
const loadText = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
