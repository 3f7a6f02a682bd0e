import os from 'node:os';
import { formatLocal } from '../bff/src/core/time';
import { generateSite } from '../bff/src/demo/data/site';
import { parseArgs } from './lib/args';
import { freePort, startBff } from './lib/bff-process';
import { Api } from './lib/client';
import { createBenchDatabase } from './lib/database';
import { httpSender, ingestBatches } from './lib/ingest';
import { openBulkSender } from './lib/bulk';
import { cpuSeconds, databaseCpuSeconds } from './lib/cpu';
import { registerGateways, mqttIngest } from './lib/mqtt-ingest';
import { ExpectedTotals, PhasedBatches } from './lib/phases';
import { rawCopy } from './lib/raw-copy';
import { createSiteOverHttp } from './lib/site-http';
import { percentile, printTable, timeRuns, type ResultRow } from './lib/stats';

/**
 * `npm run bench [-- --meters 100 --days 365 ...]`: on a throwaway PostgreSQL database, ingests a
 * generated year over HTTP into a real BFF process, then times the year queries and the year report.
 * Prints one table; never asserts.
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const loadBefore = os.loadavg();
  const site = generateSite({ seed: 'bench', startDate: '2025-01-01', days: args.days, size: args.meters });
  // Time_End as the seed writes it: the last second of the range.
  const range = {
    Time_Start: formatLocal(new Date(site.start), site.tz),
    Time_End: formatLocal(new Date(site.end - 1000), site.tz),
  };
  const total = args.meters * (args.days * 96 + 1);
  console.log(
    `bench: ${args.meters} meters × ${args.days} days = ${total.toLocaleString()} readings (each total + 4 params)`,
  );
  const db = await createBenchDatabase(args.pgAdminUrl);
  const rows: ResultRow[] = [];
  let bff: Awaited<ReturnType<typeof startBff>> | undefined;
  try {
    const mqttPort = await freePort();
    const embedded = args.mqttBroker === 'embedded';
    const brokerUrl = embedded ? `mqtt://127.0.0.1:${mqttPort}` : args.mqttBroker;
    bff = await startBff({
      DATABASE_URL: db.url,
      WD_ADMIN_PASSWORD: 'bench-admin-password',
      ...(embedded
        ? { WD_MQTT_MODE: 'embedded', WD_MQTT_PORT: String(mqttPort) }
        : // A shared Mosquitto: a share group of this run's own, so no other BFF takes its messages.
          { WD_MQTT_MODE: 'external', MQTT_URL: brokerUrl, WD_MQTT_SHARE_GROUP: `bench${process.pid}` }),
    });
    const api = new Api(bff.url);
    const orgId = await api.signUp(`bench_${process.pid}`, 'Bench-password-1');
    const ids = await createSiteOverHttp(api, site);
    const gateways = await registerGateways(api, args.concurrency);
    const rssIdle = bff.rssMb();

    // Phases by day, one generation pass: [compare] raw COPY vs bulk path on the same readings,
    // [load] the rest of the history through the bulk path, [http] timed HTTP ingest, [mqtt] gateways.
    const day = (ts: number) => Math.floor((ts - site.start) / 86_400_000);
    const mqttFrom = args.days - args.mqttDays;
    const httpFrom = args.bulk ? mqttFrom - args.httpDays : 0;
    const compareTo = args.bulk ? Math.min(args.compareDays, httpFrom) : 0;
    if (httpFrom < compareTo || mqttFrom <= 0)
      throw new Error('--days too small for --http-days + --mqtt-days');
    const expected = new ExpectedTotals();
    const phased = new PhasedBatches(
      site,
      ids,
      args.concurrency,
      (ts) => {
        const d = day(ts);
        if (d < compareTo) return { name: 'compare', batch: args.bulkBatch };
        if (d < httpFrom) return { name: 'load', batch: args.bulkBatch };
        if (d < mqttFrom) return { name: 'http', batch: args.batch };
        return { name: 'mqtt', batch: args.batch };
      },
      expected.observe,
    );

    if (args.bulk) {
      const same = [...phased.phase('compare')];
      const raw = await rawCopy(db.url, same);
      const rawRate = raw.rows / raw.seconds;
      rows.push({
        what: 'raw baseline: COPY into a bare table with the same primary key',
        value: `${Math.round(rawRate).toLocaleString()} readings/s`,
        target: '-',
        ok: null,
        note: `${raw.rows.toLocaleString()} readings (first ${compareTo} days) in ${raw.seconds.toFixed(1)} s, one connection`,
      });
      const bulk = await openBulkSender(db.url, orgId, args.concurrency);
      try {
        const dbName = new URL(db.url).pathname.slice(1);
        const pg0 = await databaseCpuSeconds(args.pgAdminUrl, dbName);
        const self0 = process.cpuUsage();
        const cmp = await ingestBatches(bulk.send, same.values(), args.concurrency, bff.rssMb);
        const selfCpu = process.cpuUsage(self0);
        const loaderCpu = (selfCpu.user + selfCpu.system) / 1e6;
        const pgCpu = (await databaseCpuSeconds(args.pgAdminUrl, dbName)) - pg0;
        const ratio = cmp.perSecond / rawRate;
        rows.push({
          what: `bulk path, the same readings (${args.concurrency} workers × ${args.bulkBatch.toLocaleString()}/batch)`,
          value: `${Math.round(cmp.perSecond).toLocaleString()} readings/s = ${ratio.toFixed(2)} × raw`,
          target: '≥ 0.25 × raw',
          ok: ratio >= 0.25,
          note: `${cmp.readings.toLocaleString()} in ${cmp.seconds.toFixed(1)} s, rollups and params kept current`,
        });
        // Wall-clock rates swing with the machine's load; CPU per reading does much less.
        const per10k = (cpu: number, n: number) => ((cpu / n) * 10_000).toFixed(2);
        rows.push({
          what: 'CPU per 10,000 readings: raw COPY vs bulk path',
          value: `raw ${per10k(raw.cpuSeconds, raw.rows)} s; bulk ${per10k(loaderCpu + pgCpu, cmp.readings)} s`,
          target: '-',
          ok: null,
          note: `bulk: loader (checks, merge, COPY text) ${per10k(loaderCpu, cmp.readings)} s + PostgreSQL ${per10k(pgCpu, cmp.readings)} s; raw = PostgreSQL only`,
        });
        const loaded = await ingestBatches(bulk.send, phased.phase('load'), args.concurrency, bff.rssMb);
        rows.push({
          what: 'bulk load of the rest of the history (bulk path, generated as it goes)',
          value: `${Math.round(loaded.perSecond).toLocaleString()} readings/s`,
          target: '-',
          ok: null,
          note: `${loaded.readings.toLocaleString()} in ${loaded.seconds.toFixed(0)} s`,
        });
      } finally {
        await bulk.close();
      }
    }
    const dbName = new URL(db.url).pathname.slice(1);
    const cpu0 = { bff: cpuSeconds(bff.pid), pg: await databaseCpuSeconds(args.pgAdminUrl, dbName) };
    const ing = await ingestBatches(httpSender(api), phased.phase('http'), args.concurrency, bff.rssMb);
    rows.push({
      what: `ingest over HTTP (${args.concurrency} gateways × ${args.batch}/batch)`,
      value: `${Math.round(ing.perSecond).toLocaleString()} readings/s`,
      target: '≥ 40,000/s',
      ok: ing.perSecond >= 40_000,
      note: `${ing.readings.toLocaleString()} in ${ing.seconds.toFixed(1)} s`,
    });
    // Where ingest time goes: CPU of the BFF process and of its PostgreSQL backends (the pool's
    // connections persist, so they are the ones that did the work).
    const cpuBff = cpuSeconds(bff.pid) - cpu0.bff;
    const cpuPg = (await databaseCpuSeconds(args.pgAdminUrl, dbName)) - cpu0.pg;
    const per10k = (s: number) => ((s / ing.readings) * 10_000).toFixed(2);
    rows.push({
      what: 'CPU per 10,000 readings ingested over HTTP',
      value: `BFF ${per10k(cpuBff)} s, PostgreSQL ${per10k(cpuPg)} s`,
      target: '-',
      ok: null,
      note: `over ${ing.seconds.toFixed(0)} s: BFF ${((cpuBff / ing.seconds) * 100).toFixed(0)}% of a core, PostgreSQL ${((cpuPg / ing.seconds) * 100).toFixed(0)}%`,
    });
    const mq = await mqttIngest({
      brokerUrl,
      dbUrl: db.url,
      gateways,
      batches: phased.phase('mqtt'),
      since: site.start + mqttFrom * 86_400_000,
    });
    rows.push({
      what: `ingest over MQTT (${gateways.length} gateways × ${args.batch}/message, QoS 1, ${embedded ? 'embedded aedes' : `Mosquitto ${brokerUrl}`})`,
      value: `${Math.round(mq.perSecond).toLocaleString()} readings/s`,
      target: '≥ 40,000/s',
      ok: mq.perSecond >= 40_000,
      note: `${mq.readings.toLocaleString()} stored ${mq.seconds.toFixed(1)} s after the first publish (published in ${mq.publishSeconds.toFixed(1)} s)`,
    });
    rows.push({
      what: 'BFF RSS under ingest (max)',
      value: `${Math.max(ing.maxRssMb, bff.rssMb()).toFixed(0)} MB`,
      target: '≤ 512 MB',
      ok: ing.maxRssMb <= 512,
      note: `idle ${rssIdle.toFixed(0)} MB`,
    });

    // Rollups are current when the year query right after the last acknowledged batch has every kWh.
    const totals = expected.consumption();
    const all = await api.get('/api_3/allenergy', { Time_Type: '1', ...range, Amount_Type: '2' });
    const byName = new Map<string, number>(all.Data.map((r: any) => [r.Meter_Name, Number(r.Total_Amount)]));
    const wrong = site.meters.filter(
      (m) => Math.abs((byName.get(m.name) ?? NaN) - totals.get(m.key)!) > 0.011,
    );
    rows.push({
      what: 'rollups current after ingest',
      value: `${site.meters.length - wrong.length}/${site.meters.length} meters exact`,
      target: 'all',
      ok: wrong.length === 0,
      note: wrong.length
        ? `e.g. ${wrong[0]!.name}: ${byName.get(wrong[0]!.name)} ≠ ${totals.get(wrong[0]!.key)!.toFixed(2)}`
        : '',
    });

    const queryTarget = args.meters <= 100 ? 50 : 250;
    const year = { Time_Type: '1', ...range, Amount_Type: '2' };
    for (const [what, path] of [
      ['allenergy year, by meter', '/api_3/allenergy'],
      ['detailenergy year by month, by meter', '/api_3/detailenergy'],
    ] as const) {
      const samples = await timeRuns(args.runs, () => api.get(path, year));
      // The same query from the raw readings (the slow reference path), as the same-run baseline.
      const raw = await timeRuns(
        Math.min(3, args.runs),
        () => api.get(path, { ...year, Data_Source: 'raw' }),
        0,
      );
      const p95 = percentile(samples, 95);
      rows.push({
        what: `${what} p95`,
        value: `${p95.toFixed(1)} ms`,
        target: `≤ ${queryTarget} ms`,
        ok: p95 <= queryTarget,
        note: `p50 ${percentile(samples, 50).toFixed(1)} ms, ${args.runs} runs; raw path ${percentile(raw, 50).toFixed(0)} ms`,
      });
    }

    const reportSamples = await timeRuns(
      Math.min(5, args.runs),
      () => api.call('POST', '/api_3/report', year),
      1,
    );
    const file = await api.raw('GET', '/api_3/report_file?File_Name=Year_report2025.xlsx');
    const size = (await file.arrayBuffer()).byteLength;
    const reportMax = Math.max(...reportSamples);
    rows.push({
      what: `year report (3.4 xlsx), ${args.meters} meters`,
      value: `${reportMax.toFixed(0)} ms`,
      target: '≤ 3,000 ms',
      ok: reportMax <= 3000,
      note: `slowest of ${reportSamples.length}; ${(size / 1024).toFixed(0)} KB`,
    });
  } finally {
    await bff?.stop();
    if (!args.keepDb) await db.drop();
  }
  const loadAfter = os.loadavg();
  printTable(
    `\nWattDesk bench — ${new Date().toISOString()} — ${os.cpus().length} cores, PostgreSQL 127.0.0.1; load avg before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`,
    rows,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
