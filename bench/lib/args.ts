/** Benchmark size flags: `npm run bench -- --meters 100 --days 365`. */
export interface BenchArgs {
  meters: number;
  days: number;
  /** Readings per HTTP batch and batches in flight during the ingest run. */
  batch: number;
  concurrency: number;
  /** Timed repetitions of each query (p95 needs ≥ 20). */
  runs: number;
  /** Load all but the last `httpDays` days through the in-process bulk path; time HTTP ingest of the rest. */
  bulk: boolean;
  httpDays: number;
  /** With --bulk: the first days, loaded twice in the same run: raw COPY into a bare table, then the bulk path. */
  compareDays: number;
  /** The last days, published by simulated gateways over MQTT. */
  mqttDays: number;
  /** Readings per bulk-path batch. */
  bulkBatch: number;
  keepDb: boolean;
  pgAdminUrl: string;
  /** The broker the BFF and the simulated gateways use: its embedded aedes, or the Mosquitto at this URL. */
  mqttBroker: 'embedded' | string;
}

const DEFAULTS: BenchArgs = {
  meters: 10,
  days: 365,
  batch: 2000,
  concurrency: 4,
  runs: 30,
  bulk: false,
  httpDays: 7,
  compareDays: 14,
  mqttDays: 2,
  bulkBatch: 50_000,
  keepDb: false,
  pgAdminUrl: process.env.WD_BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  mqttBroker: 'embedded',
};

/** Parses `--name value` / `--flag` pairs; unknown flags stop the run with the list of known ones. */
export function parseArgs(argv: string[]): BenchArgs {
  const out: BenchArgs = { ...DEFAULTS };
  const numeric = [
    'meters',
    'days',
    'batch',
    'concurrency',
    'runs',
    'httpDays',
    'compareDays',
    'mqttDays',
    'bulkBatch',
  ] as const;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (flag === 'bulk' || flag === 'keepDb') {
      out[flag] = true;
    } else if ((numeric as readonly string[]).includes(flag)) {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v <= 0) throw new Error(`--${argv[i - 1]} needs a positive integer`);
      out[flag as (typeof numeric)[number]] = v;
    } else if (flag === 'pgAdminUrl') {
      out.pgAdminUrl = argv[++i]!;
    } else if (flag === 'mqttBroker') {
      const v = argv[++i] ?? '';
      if (v !== 'embedded' && !/^mqtts?:\/\//.test(v))
        throw new Error('--mqtt-broker needs "embedded" or a broker URL (mqtt://127.0.0.1:1883)');
      out.mqttBroker = v;
    } else {
      throw new Error(
        `unknown flag ${argv[i]}; known: --meters N --days N --batch N --concurrency N --runs N --bulk --http-days N --compare-days N --mqtt-days N --bulk-batch N --keep-db --pg-admin-url URL --mqtt-broker embedded|mqtt://HOST:PORT`,
      );
    }
  }
  return out;
}
