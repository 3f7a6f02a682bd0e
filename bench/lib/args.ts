/** Benchmark size flags: `npm run bench -- --meters 100 --days 365`. */
export interface BenchArgs {
  meters: number;
  days: number;
  /** Readings per HTTP batch and batches in flight during the ingest run. */
  batch: number;
  concurrency: number;
  /** Timed repetitions of each query (p95 needs ≥ 20). */
  runs: number;
  /** Load the year with the bulk loader instead of timing HTTP ingest for all of it. */
  bulk: boolean;
  /** Seconds of timed HTTP ingest on top of the loaded year (bulk mode). */
  ingestSeconds: number;
  keepDb: boolean;
  pgAdminUrl: string;
}

const DEFAULTS: BenchArgs = {
  meters: 10,
  days: 365,
  batch: 2000,
  concurrency: 4,
  runs: 30,
  bulk: false,
  ingestSeconds: 20,
  keepDb: false,
  pgAdminUrl: process.env.WD_BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
};

/** Parses `--name value` / `--flag` pairs; unknown flags stop the run with the list of known ones. */
export function parseArgs(argv: string[]): BenchArgs {
  const out: BenchArgs = { ...DEFAULTS };
  const numeric = ['meters', 'days', 'batch', 'concurrency', 'runs', 'ingestSeconds'] as const;
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
    } else {
      throw new Error(
        `unknown flag ${argv[i]}; known: --meters N --days N --batch N --concurrency N --runs N --bulk --ingest-seconds N --keep-db --pg-admin-url URL`,
      );
    }
  }
  return out;
}
