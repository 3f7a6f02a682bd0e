/**
 * Domain events through an outbox. `emit` writes one event row in the caller's transaction (one
 * statement, nothing else), so an event exists exactly when — and only if — its data committed.
 *
 * Each consumer reads the outbox from a cursor of its own (`platform_event_cursors`), in batches:
 * - Order: by the id of the transaction that wrote the event (`tx_id`, xid8), then the event's id. A
 *   consumer reads only events of transactions older than every transaction still running
 *   (`tx_id < pg_snapshot_xmin(pg_current_snapshot())`): those have all ended, so no event can still
 *   commit behind a position the cursor has passed. (Ids alone would not do: a transaction that took
 *   its id first may commit last.)
 * - One instance at a time reads a consumer: a lease on its cursor row (LEASE_SECONDS, renewed while a
 *   batch is handled). A process that dies holding it is replaced when the lease runs out.
 * - At least once: the cursor moves after the handler returned; a crash in between hands the batch
 *   again (handlers are idempotent by the identities in their events, as they were on pg-boss).
 * - A failing batch is handed again event by event, so the events before the failing one are done
 *   and the failing one is known. It is retried with backoff (CONSUMER_RETRY_LIMIT times, 2 s doubling,
 *   a delayed job on the job runner), then recorded in `platform_event_failures` and passed.
 * - Wake-ups: an emit wakes this process's reader of each subscribed consumer shortly after (the
 *   transaction commits meanwhile); a one-minute cron job on the job runner reads every consumer, which
 *   covers another instance's events whose emitter died before reading them.
 *
 * Before this (migration 0011) every event was one pg-boss job per consumer, fetched and completed on
 * its own: most of the database time of a device command and of an ingest batch. Jobs of that kind
 * still queued at an upgrade are handled by the consumer's queue of the same name.
 */
import crypto from 'node:crypto';
import { lt, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../infra/db/client';
import type { Clock } from '../infra/clock';
import type { Logger } from '../infra/logger';
import type {
  DomainEvent,
  DomainEventType,
  DomainEventTypes,
  EventConsumer,
  Events,
  JobDefinition,
  Tx,
} from './contract';
import type { JobRunner } from './jobs';
import { platformEventFailures, platformEvents } from './tables';

/** Outbox rows older than this are removed by the retention job. */
export const EVENT_RETENTION_DAYS = 30;
/** Attempts of one event by one consumer before it is recorded as failed and passed. */
export const CONSUMER_RETRY_LIMIT = 10;
const RETRY_BASE_SECONDS = 2;
const CONSUMER_BATCH = 100;
const LEASE_SECONDS = 15;
/** When an emit wakes this process's readers (a transaction normally commits within milliseconds). */
const WAKE_DELAYS_MS = [20, 200, 600];
/** When a reader whose cursor another instance holds tries again. */
const BUSY_RETRY_MS = 250;
const RETRY_JOB = 'platform.events-retry';
const SWEEP_JOB = 'platform.events-sweep';

interface Consumer {
  def: EventConsumer;
  types: string[];
  /** The read in progress in this process. */
  running: Promise<number> | null;
  /** Woken while reading: read again when done. */
  again: boolean;
}

interface Position {
  tx: string;
  id: string;
}

/** The reader's lease was taken over (it outlived LEASE_SECONDS): stop, the new holder goes on. */
class LeaseLost extends Error {}

interface EventRow {
  id: string;
  tx: string;
  type: string;
  org_id: number | null;
  payload: unknown;
  occurred_at: Date | string;
}

export interface OutboxOptions {
  /** The platform schema (WD_JOBS_SCHEMA): the installation whose events these are. */
  scope: string;
  /** Whether this process reads consumers on its own (wake-ups, cron); off in tests (`drain`). */
  workers: boolean;
}

export class OutboxEvents implements Events {
  /** event type → consumer names */
  private readonly subscribers = new Map<DomainEventType, string[]>();
  private readonly consumers = new Map<string, Consumer>();
  private readonly pendingWakes = new Set<string>();
  private readonly owner = `${process.pid}:${crypto.randomUUID()}`;
  private started = false;

  constructor(
    private readonly database: Database,
    private readonly jobs: JobRunner,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly opts: OutboxOptions,
  ) {}

  /** Registers a consumer (before start). */
  subscribe(consumer: EventConsumer): void {
    if (this.consumers.has(consumer.name)) throw new Error(`consumer ${consumer.name} registered twice`);
    const types = [...new Set(consumer.events)];
    this.consumers.set(consumer.name, { def: consumer, types, running: null, again: false });
    for (const type of types)
      this.subscribers.set(type, [...(this.subscribers.get(type) ?? []), consumer.name]);
    // Jobs of the pre-0011 kind (one per event, carrying its id) queued before an upgrade.
    this.jobs.registerQueue({
      name: consumer.name,
      batchSize: 50,
      concurrency: 1,
      defaults: { retryLimit: CONSUMER_RETRY_LIMIT, retryDelay: RETRY_BASE_SECONDS, retryBackoff: true },
      mode: 'batch',
      pollingIntervalSeconds: 60,
      handle: async (jobs) => {
        const events = await this.load(jobs.map((j) => (j.data as { eventId: string }).eventId));
        if (events.length) await consumer.handle(events);
      },
    });
  }

  consumerNames(): string[] {
    return [...this.consumers.keys()];
  }

  hasConsumer(name: string): boolean {
    return this.consumers.has(name);
  }

  /** The platform's own jobs: retention, retries of failed reads, the one-minute sweep. */
  platformJobs(): JobDefinition<any>[] {
    return [
      this.retentionJob(),
      {
        name: RETRY_JOB,
        defaults: { retryLimit: 3, retryDelay: 5 },
        handle: async (data: { consumer: string }) => {
          if (this.consumers.has(data.consumer)) await this.read(data.consumer, false);
        },
      },
      {
        name: SWEEP_JOB,
        cron: { expression: '* * * * *' },
        defaults: { retryLimit: 0 },
        handle: async () => {
          for (const name of this.consumers.keys()) await this.read(name, false);
        },
      },
    ];
  }

  /**
   * Creates the cursors of consumers new to this installation at the current end of their events
   * (a consumer sees the events emitted after it first started), then starts reading.
   */
  async start(): Promise<void> {
    for (const c of this.consumers.values())
      await this.database.executeSql(
        `insert into platform_event_cursors (scope, consumer, tx_id, event_id)
         select $1, $2, coalesce(max(e.tx_id), '0'::xid8), coalesce(max(e.id), 0)
           from (select l.tx_id, l.id from unnest($3::text[]) as t(type)
                 cross join lateral (
                   select tx_id, id from platform_events
                    where scope = $1 and type = t.type and tx_id < pg_snapshot_xmin(pg_current_snapshot())
                    order by tx_id desc, id desc limit 1) l
                 order by l.tx_id desc, l.id desc limit 1) e
         on conflict do nothing`,
        [this.opts.scope, c.def.name, c.types],
      );
    this.started = true;
    if (this.opts.workers) for (const name of this.consumers.keys()) this.wake(name);
  }

  /** Stops reading: waits for the reads in progress, then gives this process's leases back. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await Promise.allSettled([...this.consumers.values()].map((c) => c.running));
    await this.database
      .executeSql(
        `update platform_event_cursors set lease_owner = null, lease_until = null
          where scope = $1 and lease_owner = $2`,
        [this.opts.scope, this.owner],
      )
      .catch((err) => this.log.warn({ err }, 'event cursor leases not given back'));
  }

  async emit<T extends DomainEventType>(
    tx: Tx,
    type: T,
    orgId: number | null,
    payload: DomainEventTypes[T],
  ): Promise<void> {
    await tx.execute(this.insertFrom(type, orgId, payload));
    this.emitted(type);
  }

  insertFrom<T extends DomainEventType>(
    type: T,
    orgId: number | null,
    payload: DomainEventTypes[T],
    from?: SQL,
  ): SQL {
    // Constant text for every event (a cheap statement to build and for PostgreSQL to plan); tx_id
    // and id are the columns' defaults: the writing transaction, which is the caller's statement.
    return sql`insert into platform_events (type, org_id, payload, occurred_at, scope)
      select ${type}, ${orgId}::int, ${JSON.stringify(payload)}::jsonb, ${this.clock.now()}::timestamptz, ${this.opts.scope}${
        from ? sql` from ${from}` : sql``
      }`;
  }

  emitted(type: DomainEventType): void {
    if (this.started && this.opts.workers)
      for (const name of this.subscribers.get(type) ?? []) this.wake(name);
  }

  /**
   * Reads a consumer shortly after an emit, at each of WAKE_DELAYS_MS (coalesced: while a wake-up at
   * one delay is pending, further emits reuse it).
   */
  private wake(name: string, delays = WAKE_DELAYS_MS): void {
    delays.forEach((ms, slot) => {
      const key = `${name}\u0000${ms}\u0000${slot}`;
      if (this.pendingWakes.has(key)) return;
      this.pendingWakes.add(key);
      setTimeout(() => {
        this.pendingWakes.delete(key);
        if (this.started)
          void this.read(name, false).catch((err) =>
            this.log.warn({ err, consumer: name }, 'event read failed'),
          );
      }, ms).unref();
    });
  }

  /**
   * Reads a consumer's events until none is left (or its head event waits for a retry). One read at a
   * time per consumer in this process; a wake-up during a read makes it read again. `force` ignores a
   * retry's backoff (tests' `drain`). Resolves to the events handled.
   */
  private read(name: string, force: boolean): Promise<number> {
    const c = this.consumers.get(name);
    if (!c) throw new Error(`no event consumer ${name} in this process`);
    if (c.running) {
      c.again = true;
      return c.running.then(() => 0);
    }
    c.running = (async () => {
      let n = 0;
      do {
        c.again = false;
        const r = await this.readOnce(c, force);
        n += r.handled;
        if (r.busy && this.started && this.opts.workers) this.wake(name, [BUSY_RETRY_MS]);
      } while (c.again);
      return n;
    })().finally(() => {
      c.running = null;
    });
    return c.running;
  }

  private async readOnce(c: Consumer, force: boolean): Promise<{ handled: number; busy: boolean }> {
    const { scope } = this.opts;
    const name = c.def.name;
    const { rows } = await this.database.executeSql(
      `update platform_event_cursors
          set lease_owner = $3, lease_until = now() + make_interval(secs => $4)
        where scope = $1 and consumer = $2
          and (lease_owner = $3 or lease_until is null or lease_until < now())
        returning tx_id::text as tx, event_id::text as id, failures,
                  coalesce(retry_at > now(), false) as waiting`,
      [scope, name, this.owner, LEASE_SECONDS],
    );
    const claim = rows[0] as { tx: string; id: string; failures: number; waiting: boolean } | undefined;
    if (!claim) return { handled: 0, busy: true };
    let handled = 0;
    try {
      if (claim.waiting && !force) return { handled, busy: false };
      let pos: Position = { tx: claim.tx, id: claim.id };
      let failures = claim.failures;
      for (;;) {
        const events = await this.scan(c.types, pos);
        if (!events.length) break;
        try {
          await this.handle(c, events);
          pos = events.at(-1)!.pos;
          await this.advance(name, pos);
          handled += events.length;
          failures = 0;
          continue;
        } catch (err) {
          if (err instanceof LeaseLost) throw err;
        }
        // One by one: the events before the failing one are done, and the failing one is known.
        for (const e of events) {
          try {
            await this.handle(c, [e]);
          } catch (err) {
            if (err instanceof LeaseLost) throw err;
            failures++;
            if (failures < CONSUMER_RETRY_LIMIT) {
              await this.retryLater(name, failures, err);
              return { handled, busy: false };
            }
            await this.database.db.insert(platformEventFailures).values({
              scope,
              consumer: name,
              eventId: BigInt(e.event.id),
              error: errorText(err),
            });
            this.log.error(
              { err, consumer: name, event: e.event.id, type: e.event.type, attempts: failures },
              'event delivery failed for good; passed',
            );
          }
          pos = e.pos;
          await this.advance(name, pos);
          handled++;
          failures = 0;
        }
      }
      return { handled, busy: false };
    } catch (err) {
      if (err instanceof LeaseLost) return { handled, busy: true };
      throw err;
    } finally {
      await this.database
        .executeSql(
          `update platform_event_cursors set lease_owner = null, lease_until = null
            where scope = $1 and consumer = $2 and lease_owner = $3`,
          [scope, name, this.owner],
        )
        .catch((err) => this.log.warn({ err, consumer: name }, 'event cursor lease not given back'));
    }
  }

  /** The consumer's next batch after `pos`, of transactions that have all ended. */
  private async scan(types: string[], pos: Position): Promise<{ event: DomainEvent; pos: Position }[]> {
    const { rows } = await this.database.executeSql(
      `select e.id::text as id, e.tx_id::text as tx, e.type, e.org_id, e.payload, e.occurred_at
         from unnest($2::text[]) as t(type)
         cross join lateral (
           select * from platform_events e
            where e.scope = $1 and e.type = t.type
              and (e.tx_id, e.id) > ($3::xid8, $4::bigint)
              and e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
            order by e.tx_id, e.id limit $5) e
        order by e.tx_id, e.id limit $5`,
      [this.opts.scope, types, pos.tx, pos.id, CONSUMER_BATCH],
    );
    return (rows as EventRow[]).map((r) => ({ event: toEvent(r), pos: { tx: r.tx, id: r.id } }));
  }

  /** Runs the handler, renewing the lease while it runs. */
  private async handle(c: Consumer, batch: { event: DomainEvent }[]): Promise<void> {
    const renew = setInterval(
      () =>
        void this.database
          .executeSql(
            `update platform_event_cursors set lease_until = now() + make_interval(secs => $4)
              where scope = $1 and consumer = $2 and lease_owner = $3`,
            [this.opts.scope, c.def.name, this.owner, LEASE_SECONDS],
          )
          .catch(() => undefined),
      (LEASE_SECONDS * 1000) / 3,
    );
    renew.unref();
    try {
      await c.def.handle(batch.map((b) => b.event));
    } finally {
      clearInterval(renew);
    }
  }

  /** Moves the cursor (fenced by the lease) and clears the head's retry state. */
  private async advance(name: string, pos: Position): Promise<void> {
    const { rows } = await this.database.executeSql(
      `update platform_event_cursors
          set tx_id = $4::xid8, event_id = $5, failures = 0, retry_at = null, last_error = null,
              lease_until = now() + make_interval(secs => $6)
        where scope = $1 and consumer = $2 and lease_owner = $3
        returning 1 as ok`,
      [this.opts.scope, name, this.owner, pos.tx, pos.id, LEASE_SECONDS],
    );
    if (!rows.length) throw new LeaseLost(name);
  }

  /** Records the head's failure and queues the next read after the backoff. */
  private async retryLater(name: string, failures: number, err: unknown): Promise<void> {
    const seconds = RETRY_BASE_SECONDS * 2 ** (failures - 1);
    this.log.warn(
      { err, consumer: name, attempt: failures, retryInSeconds: seconds },
      'event delivery failed',
    );
    await this.database.executeSql(
      `update platform_event_cursors
          set failures = $4, retry_at = now() + make_interval(secs => $5), last_error = $6
        where scope = $1 and consumer = $2 and lease_owner = $3`,
      [this.opts.scope, name, this.owner, failures, seconds, errorText(err)],
    );
    await this.jobs.send(
      RETRY_JOB,
      { consumer: name },
      { startAfter: new Date(this.clock.now().getTime() + seconds * 1000), key: `${name}:${failures}` },
    );
  }

  /**
   * Tests (and operators' one-off runs): reads the named consumers until every event committed before
   * this call is handled (a retry's backoff is skipped; a consumer read by another instance is waited
   * for). Returns how many events were handled.
   */
  async drain(names = this.consumerNames(), maxRounds = 1000): Promise<number> {
    if (!names.length) return 0;
    const { rows } = await this.database.executeSql(
      `select coalesce(max(id), 0)::text as max from platform_events where scope = $1`,
      [this.opts.scope],
    );
    const upTo = (rows[0] as { max: string }).max;
    let ran = 0;
    for (let round = 0; round < maxRounds; round++) {
      let n = 0;
      for (const name of names) n += await this.read(name, true);
      ran += n;
      if (n) continue;
      let pending = false;
      for (const name of names) pending ||= await this.pendingUpTo(name, upTo);
      if (!pending) return ran;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`events for ${names.join(', ')} still pending after ${maxRounds} rounds`);
  }

  /** Whether the consumer has an event with id ≤ `upTo` after its cursor. */
  private async pendingUpTo(name: string, upTo: string): Promise<boolean> {
    const c = this.consumers.get(name)!;
    const { rows } = await this.database.executeSql(
      `select exists (
         select 1 from platform_event_cursors c
          cross join unnest($3::text[]) as t(type)
          cross join lateral (
            select 1 from platform_events e
             where e.scope = c.scope and e.type = t.type and e.id <= $4::bigint
               and (e.tx_id, e.id) > (c.tx_id, c.event_id) limit 1) x
          where c.scope = $1 and c.consumer = $2) as pending`,
      [this.opts.scope, name, c.types, upTo],
    );
    return (rows[0] as { pending: boolean }).pending;
  }

  /** Events by id (the pre-0011 jobs), in outbox order. */
  private async load(ids: string[]): Promise<DomainEvent[]> {
    if (!ids.length) return [];
    const { rows } = await this.database.executeSql(
      `select id::text as id, tx_id::text as tx, type, org_id, payload, occurred_at
         from platform_events where id = any($1::bigint[]) order by id`,
      [[...new Set(ids)]],
    );
    return (rows as EventRow[]).map(toEvent);
  }

  /** The retention job: a daily cron removing outbox rows older than EVENT_RETENTION_DAYS. */
  private retentionJob(): JobDefinition<null> {
    return {
      name: 'platform.events-retention',
      cron: { expression: '17 3 * * *' },
      defaults: { retryLimit: 3, retryDelay: 60 },
      handle: async () => {
        const before = new Date(this.clock.now().getTime() - EVENT_RETENTION_DAYS * 86_400_000);
        await this.database.db.delete(platformEvents).where(lt(platformEvents.occurredAt, before));
        this.log.info({ before }, 'domain events before this time removed');
      },
    };
  }
}

function toEvent(r: EventRow): DomainEvent {
  return {
    id: r.id,
    type: r.type as DomainEventType,
    orgId: r.org_id,
    payload: r.payload as DomainEventTypes[DomainEventType],
    occurredAt: r.occurred_at instanceof Date ? r.occurred_at : new Date(r.occurred_at),
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
