/**
 * Durable jobs on pg-boss 10 (in the application's own PostgreSQL or PGlite database, schema
 * `WD_JOBS_SCHEMA`). pg-boss runs on PGlite through its `db` executor option (`Database.executeSql`);
 * a job sent in a transaction is written through that transaction's own connection, so it exists
 * exactly when the transaction commits. Workers fetch with `FOR UPDATE SKIP LOCKED`, so each job runs
 * once across every instance on the database.
 */
import PgBoss from 'pg-boss';
import type { Database } from '../infra/db/client';
import type { Clock } from '../infra/clock';
import type { Logger } from '../infra/logger';
import type { JobDefinition, JobOptions, Jobs, Tx } from './contract';

/** What pg-boss needs from a connection. */
interface Executor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

/**
 * What is stored as a job's pg-boss data: the caller's data, and for a delayed job its due time on the
 * injected clock (so time-stepped tests can run "what is due at t" without waiting).
 */
interface Envelope {
  data: unknown;
  dueAt?: number;
}

export interface JobInput {
  id: string;
  data: unknown;
  retryCount: number;
}

/**
 * A queue this process works. `each`: jobs are fetched in batches but handled, completed and failed one
 * by one (JobDefinition); `batch`: the whole batch succeeds or fails together (event consumers).
 */
export interface QueueDef {
  name: string;
  batchSize: number;
  concurrency: number;
  defaults: JobOptions;
  cron?: { expression: string; tz?: string; data?: unknown };
  mode: 'each' | 'batch';
  /** Seconds between polls of this queue when idle (default: the runner's; pg-boss minimum 0.5). */
  pollingIntervalSeconds?: number;
  handle(jobs: JobInput[]): Promise<void>;
}

export interface FailedJob {
  id: string;
  name: string;
  data: unknown;
  error: string;
  at: Date;
}

export interface JobRunnerOptions {
  database: Database;
  clock: Clock;
  log: Logger;
  schema: string;
  /** Poll for jobs, run cron and maintenance in this process (off in tests: they drain by hand). */
  workers: boolean;
  /**
   * Seconds between polls of an idle queue (pg-boss minimum 0.5). Jobs sent by this process wake its
   * own workers at once (see `nudge`), so the interval bounds only the latency of other instances' jobs.
   */
  pollingIntervalSeconds?: number;
}

/** The connection of a Drizzle transaction (node-postgres PoolClient or PGlite Transaction). */
function txExecutor(tx: Tx): Executor {
  const client = (tx as unknown as { session?: { client?: { query?: unknown } } }).session?.client;
  if (!client || typeof client.query !== 'function')
    throw new Error('sendInTx: not a Drizzle transaction on node-postgres or PGlite');
  const query = client.query as (text: string, values?: unknown[]) => Promise<{ rows: any[] }>;
  return { executeSql: (text, values) => query.call(client, text, values) };
}

function bossOptions(o: JobOptions | undefined): PgBoss.RetryOptions & PgBoss.ExpirationOptions {
  const out: PgBoss.RetryOptions & PgBoss.ExpirationOptions = {};
  if (o?.retryLimit !== undefined) out.retryLimit = o.retryLimit;
  if (o?.retryDelay !== undefined) out.retryDelay = o.retryDelay;
  if (o?.retryBackoff !== undefined) out.retryBackoff = o.retryBackoff;
  if (o?.expireInSeconds !== undefined) out.expireInSeconds = o.expireInSeconds;
  return out;
}

/** What pg-boss stores as a failed job's output (the Error's own fields are not enumerable). */
function errorOutput(err: unknown): object {
  return err instanceof Error
    ? { name: err.name, message: err.message, stack: err.stack }
    : { message: String(err) };
}

function errorText(output: unknown): string {
  if (output && typeof output === 'object' && 'message' in output) return String(output.message);
  return output === null || output === undefined ? '' : JSON.stringify(output);
}

/** The job runner behind `ctx.jobs`: `Jobs` plus registration, start/stop and the test drain. */
/** When a send wakes the sending process's own workers of its queue (see `JobRunner.nudge`). */
const NUDGE_DELAYS_MS = [20, 200, 600];

export class JobRunner implements Jobs {
  private readonly boss: PgBoss;
  private readonly queues = new Map<string, QueueDef>();
  /** queue name → ids of this process's pg-boss workers on it */
  private readonly workerIds = new Map<string, string[]>();
  /** `queue\0slot` of the wake-ups pending (see `nudge`). */
  private readonly pendingNudges = new Set<string>();
  private started = false;
  private readonly schema: string;

  constructor(private readonly opts: JobRunnerOptions) {
    this.schema = opts.schema;
    this.boss = new PgBoss({
      db: { executeSql: (text: string, values?: unknown[]) => opts.database.executeSql(text, values) },
      schema: opts.schema,
      migrate: true,
      supervise: opts.workers,
      schedule: opts.workers,
    });
    this.boss.on('error', (err) => opts.log.error({ err }, 'job queue error'));
  }

  /** Adds a queue (before start). Names are unique across features. */
  registerQueue(def: QueueDef): void {
    if (this.queues.has(def.name)) throw new Error(`job queue ${def.name} registered twice`);
    if (this.started) throw new Error(`job queue ${def.name} registered after start`);
    this.queues.set(def.name, def);
  }

  /** A feature's JobDefinition: one job per handler call. */
  registerJob(def: JobDefinition<any>): void {
    this.registerQueue({
      name: def.name,
      batchSize: 10,
      concurrency: def.concurrency ?? 1,
      defaults: def.defaults ?? {},
      cron: def.cron,
      mode: 'each',
      handle: async ([job]) => def.handle(job!.data, { id: job!.id, retryCount: job!.retryCount }),
    });
  }

  queueNames(): string[] {
    return [...this.queues.keys()];
  }

  /** Creates the schema (first start) and every queue with its defaults; starts workers and cron. */
  async start(): Promise<void> {
    await this.boss.start();
    for (const q of this.queues.values()) {
      const options = { name: q.name, ...bossOptions(q.defaults) };
      await this.boss.createQueue(q.name, options);
      await this.boss.updateQueue(q.name, options);
      if (q.cron)
        await this.boss.schedule(q.name, q.cron.expression, { data: q.cron.data ?? null } as object, {
          tz: q.cron.tz ?? 'UTC',
        });
      else await this.boss.unschedule(q.name);
    }
    this.started = true;
    if (!this.opts.workers) return;
    for (const q of this.queues.values()) {
      const pollingIntervalSeconds = Math.max(
        0.5,
        q.pollingIntervalSeconds ?? this.opts.pollingIntervalSeconds ?? 2,
      );
      for (let i = 0; i < q.concurrency; i++) {
        let worker = '';
        worker = await this.boss.work(
          q.name,
          { batchSize: q.batchSize, includeMetadata: true, pollingIntervalSeconds },
          async (jobs: PgBoss.JobWithMetadata<Envelope>[]) => {
            // A full batch means more may be waiting: fetch again at once instead of after the interval.
            if (jobs.length >= q.batchSize) this.boss.notifyWorker(worker);
            await this.run(q, jobs, false);
          },
        );
        this.workerIds.set(q.name, [...(this.workerIds.get(q.name) ?? []), worker]);
      }
    }
  }

  /** Stops fetching, waits for running jobs (they are retried elsewhere if this process dies). */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000, close: false });
  }

  /**
   * Runs fetched jobs. `each` queues complete or fail every job on its own; a `batch` queue's failure
   * fails the batch (thrown to pg-boss's worker, or recorded here when `settle` is true).
   */
  private async run(q: QueueDef, jobs: PgBoss.JobWithMetadata<Envelope>[], settle: boolean): Promise<void> {
    const inputs = jobs.map((j) => ({ id: j.id, data: j.data?.data ?? null, retryCount: j.retryCount }));
    if (q.mode === 'each') {
      for (const job of inputs) {
        try {
          await q.handle([job]);
          await this.boss.complete(q.name, job.id);
        } catch (err) {
          this.opts.log.warn({ err, queue: q.name, job: job.id, retry: job.retryCount }, 'job failed');
          await this.boss.fail(q.name, job.id, errorOutput(err));
        }
      }
      return;
    }
    const ids = inputs.map((j) => j.id);
    try {
      await q.handle(inputs);
      if (settle) await this.boss.complete(q.name, ids);
    } catch (err) {
      this.opts.log.warn({ err, queue: q.name, jobs: ids.length }, 'event delivery failed');
      if (!settle) throw err;
      await this.boss.fail(q.name, ids, errorOutput(err));
    }
  }

  /**
   * Wakes this process's workers of a queue shortly after a job was sent to it (a job sent in a
   * transaction becomes visible at its commit: normally within milliseconds, later for a large ingest
   * transaction on a loaded machine), instead of waiting for the next poll. A worker that is busy
   * fetches again as soon as it is done; an idle one at once. Coalesced: while a wake-up of a queue
   * at one of the delays is pending, further sends reuse it (one fetch serves every job sent before
   * it), so a burst of sends costs at most three timers per queue, not three per send.
   */
  private nudge(name: string, delayed: boolean): void {
    const ids = this.workerIds.get(name);
    if (!ids?.length || delayed) return;
    NUDGE_DELAYS_MS.forEach((ms, slot) => {
      const key = `${name}\u0000${slot}`;
      if (this.pendingNudges.has(key)) return;
      this.pendingNudges.add(key);
      setTimeout(() => {
        this.pendingNudges.delete(key);
        if (this.started) for (const id of ids) this.boss.notifyWorker(id);
      }, ms).unref();
    });
  }

  private envelope(data: unknown, opts?: JobOptions): Envelope {
    return opts?.startAfter ? { data, dueAt: opts.startAfter.getTime() } : { data };
  }

  /** pg-boss options for a send: a delay measured on the injected clock, retries, the key. */
  private sendOptions(opts: JobOptions | undefined, db: Executor | undefined): PgBoss.SendOptions {
    const out: PgBoss.SendOptions & { db?: Executor } = bossOptions(opts);
    if (opts?.startAfter) {
      const seconds = Math.max(
        0,
        Math.ceil((opts.startAfter.getTime() - this.opts.clock.now().getTime()) / 1000),
      );
      if (seconds > 0) out.startAfter = seconds;
    }
    if (opts?.key) out.singletonKey = opts.key;
    if (db) out.db = db;
    return out;
  }

  async send<D>(name: string, data: D, opts?: JobOptions): Promise<string | null> {
    if (opts?.key) return this.opts.database.db.transaction((tx) => this.sendInTx(tx, name, data, opts));
    const id = await this.boss.send(
      name,
      this.envelope(data, opts) as object,
      this.sendOptions(opts, undefined),
    );
    this.nudge(name, !!opts?.startAfter);
    return id;
  }

  async sendInTx<D>(tx: Tx, name: string, data: D, opts?: JobOptions): Promise<string | null> {
    const db = txExecutor(tx);
    if (opts?.key) {
      // pg-boss's singletonKey alone dedupes only under the 'short'/'singleton' queue policies, so the
      // key is checked here, serialised per (queue, key) by a transaction lock.
      await db.executeSql('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `${this.schema}|${name}|${opts.key}`,
      ]);
      const existing = await db.executeSql(
        `select id from ${this.schema}.job where name = $1 and singleton_key = $2 and state < 'completed' limit 1`,
        [name, opts.key],
      );
      if (existing.rows.length) return null;
    }
    const id = await this.boss.send(name, this.envelope(data, opts) as object, this.sendOptions(opts, db));
    this.nudge(name, !!opts?.startAfter);
    return id;
  }

  async runNow(name: string, id: string): Promise<boolean> {
    const q = this.queues.get(name);
    if (!q || !this.started) return false;
    // The same state change as pg-boss's fetch, for one id: a worker's fetch holding the row makes this
    // wait and then find it active, so the job starts exactly once.
    const { rows } = await this.opts.database.executeSql(
      `update ${this.schema}.job set state = 'active', started_on = now(),
              retry_count = case when started_on is not null then retry_count + 1 else retry_count end
        where name = $1 and id = $2 and state < 'active'
        returning id, data, retry_count`,
      [name, id],
    );
    const row = rows[0] as { id: string; data: Envelope | null; retry_count: number } | undefined;
    if (!row) return false;
    const job = { id: row.id, name, data: row.data, retryCount: row.retry_count };
    await this.run(q, [job as unknown as PgBoss.JobWithMetadata<Envelope>], true);
    return true;
  }

  async cancel(name: string, id: string): Promise<void> {
    await this.boss.cancel(name, id);
  }

  async failed(name?: string, limit = 100): Promise<FailedJob[]> {
    const where = name ? `state = 'failed' and name = $2` : `state = 'failed' and $2::text is null`;
    const { rows } = await this.opts.database.executeSql(
      `select id, name, data, output, completed_on from (
         select id, name, data, output, completed_on from ${this.schema}.job where ${where}
         union all
         select id, name, data, output, completed_on from ${this.schema}.archive where ${where}
       ) f order by completed_on desc limit $1`,
      [limit, name ?? null],
    );
    return rows.map(
      (r: { id: string; name: string; data: Envelope | null; output: unknown; completed_on: Date }) => ({
        id: r.id,
        name: r.name,
        data: r.data?.data ?? null,
        error: errorText(r.output),
        at: new Date(r.completed_on),
      }),
    );
  }

  /** Cron schedules as stored (visible to every instance). */
  async schedules(): Promise<{ name: string; cron: string; timezone: string }[]> {
    const rows = await this.boss.getSchedules();
    return rows.map((s) => ({ name: s.name, cron: s.cron, timezone: s.options?.tz ?? 'UTC' }));
  }

  // -------------------------------------------------------------------------------------------------
  // Deterministic processing for tests (and operators' one-off runs)
  // -------------------------------------------------------------------------------------------------

  /**
   * Works the named queues (default: all of this process's) in this call until none has a due job:
   * retries are due at once (their backoff is skipped), delayed jobs stay until `runDue`. Jobs running
   * on another worker are waited for. Returns how many jobs ran.
   */
  async drain(names = this.queueNames(), maxRounds = 1000): Promise<number> {
    const queues = names.map((n) => {
      const q = this.queues.get(n);
      if (!q) throw new Error(`no job queue ${n} in this process`);
      return q;
    });
    let ran = 0;
    for (let round = 0; round < maxRounds; round++) {
      await this.opts.database.executeSql(
        `update ${this.schema}.job set start_after = now() - interval '1 second'
          where name = any($1::text[]) and state = 'retry'`,
        [names],
      );
      let n = 0;
      for (const q of queues) {
        const jobs = (await this.boss.fetch<Envelope>(q.name, {
          batchSize: q.batchSize,
          includeMetadata: true,
        })) as PgBoss.JobWithMetadata<Envelope>[];
        if (!jobs.length) continue;
        n += jobs.length;
        await this.run(q, jobs, true);
      }
      ran += n;
      if (n) continue;
      const { rows } = await this.opts.database.executeSql(
        `select count(*)::int as n from ${this.schema}.job
          where name = any($1::text[]) and (state = 'active' or state = 'retry'
            or (state = 'created' and start_after < now()))`,
        [names],
      );
      if (!rows[0].n) return ran;
      await new Promise((r) => setTimeout(r, 20)); // a job another worker is running
    }
    throw new Error(`jobs in ${names.join(', ')} still pending after ${maxRounds} rounds`);
  }

  /** Makes the queue's delayed jobs that are due at `at` (on the injected clock) due now. */
  async promoteDue(name: string, at: Date): Promise<number> {
    const { rows } = await this.opts.database.executeSql(
      `update ${this.schema}.job set start_after = now() - interval '1 second'
        where name = $1 and state = 'created' and start_after >= now() - interval '1 second'
          and coalesce((data->>'dueAt')::bigint, 0) <= $2
        returning id`,
      [name, at.getTime()],
    );
    return rows.length;
  }

  /** Queues one run of a cron job now (what the next tick would do). */
  async tick(name: string): Promise<string | null> {
    const q = this.queues.get(name);
    if (!q?.cron) throw new Error(`job ${name} has no cron schedule`);
    return this.send(name, q.cron.data ?? null);
  }
}
