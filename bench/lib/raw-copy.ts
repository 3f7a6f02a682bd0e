import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { cpuSeconds } from './cpu';
import type { Batch } from './phases';

/**
 * The raw baseline: plain COPY of readings into a bare table with the columns and primary key of
 * `readings` (no partitions, no rollups, no checks), on one connection. The COPY text is built before
 * the clock starts, so only PostgreSQL's work is timed; the CPU its backend used is measured too.
 */
export async function rawCopy(
  url: string,
  batches: Batch[],
): Promise<{ rows: number; seconds: number; cpuSeconds: number }> {
  const chunks: Buffer[] = [];
  let rows = 0;
  for (const b of batches) {
    const lines = b.readings.map(
      (r) =>
        `${r.meter}\t${new Date(r.ts).toISOString()}\t${r.total}\t0\t0\t${r.params ? JSON.stringify(r.params) : '\\N'}`,
    );
    rows += lines.length;
    chunks.push(Buffer.from(lines.join('\n') + '\n'));
  }
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`create table bench_raw_readings (
      meter_id integer not null, ts timestamptz not null, total double precision not null,
      base double precision not null default 0, delta double precision not null default 0, params jsonb,
      primary key (meter_id, ts))`);
    const backend = (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    const cpu0 = cpuSeconds(backend);
    const start = performance.now();
    await pipeline(Readable.from(chunks), c.query(copyFrom('copy bench_raw_readings from stdin')));
    const seconds = (performance.now() - start) / 1000;
    const cpu = cpuSeconds(backend) - cpu0;
    await c.query('drop table bench_raw_readings');
    return { rows, seconds, cpuSeconds: cpu };
  } finally {
    await c.end();
  }
}
