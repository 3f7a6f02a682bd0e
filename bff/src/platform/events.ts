/**
 * Domain events through an outbox: `emit` writes the event row and one job per subscribed consumer in
 * the caller's transaction, so a consumer sees an event exactly when (and only if) its data committed.
 * Consumers are pg-boss queues of their own (batches of event ids), retried with backoff on failure.
 */
import { inArray, lt } from 'drizzle-orm';
import type { Db } from '../infra/db/client';
import type { Clock } from '../infra/clock';
import type { Logger } from '../infra/logger';
import type {
  DomainEvent,
  DomainEventType,
  DomainEventTypes,
  EventConsumer,
  Events,
  JobDefinition,
  JobOptions,
  Tx,
} from './contract';
import type { JobRunner } from './jobs';
import { platformEvents } from './tables';

/** Retry policy of consumer queues: 10 retries, 2 s doubling (about 34 minutes in all), then failed. */
export const CONSUMER_DEFAULTS: JobOptions = { retryLimit: 10, retryDelay: 2, retryBackoff: true };
/** Outbox rows older than this are removed by the retention job. */
export const EVENT_RETENTION_DAYS = 30;
const CONSUMER_BATCH = 50;
/** Idle polling of consumer queues (pg-boss 10's minimum). */
export const CONSUMER_POLL_SECONDS = 0.5;

export class OutboxEvents implements Events {
  /** event type → consumer queue names */
  private readonly subscribers = new Map<DomainEventType, string[]>();

  constructor(
    private readonly db: Db,
    private readonly jobs: JobRunner,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Registers a consumer (before the job runner starts): its queue, its subscriptions. */
  subscribe(consumer: EventConsumer): void {
    this.jobs.registerQueue({
      name: consumer.name,
      batchSize: CONSUMER_BATCH,
      concurrency: 1,
      defaults: CONSUMER_DEFAULTS,
      mode: 'batch',
      // Consumers chain a change to its reactions (a reading to its alarm push): polled at pg-boss's
      // minimum when idle, besides the wake-up of jobs sent by this process.
      pollingIntervalSeconds: CONSUMER_POLL_SECONDS,
      handle: async (jobs) => {
        const ids = jobs.map((j) => (j.data as { eventId: string }).eventId);
        const events = await this.load(ids);
        if (events.length < new Set(ids).size)
          this.log.warn({ consumer: consumer.name, wanted: ids.length, found: events.length }, 'events gone');
        if (events.length) await consumer.handle(events);
      },
    });
    for (const type of new Set(consumer.events)) {
      const list = this.subscribers.get(type) ?? [];
      list.push(consumer.name);
      this.subscribers.set(type, list);
    }
  }

  /** Consumer queue names subscribed to a type. */
  consumersOf(type: DomainEventType): string[] {
    return this.subscribers.get(type) ?? [];
  }

  async emit<T extends DomainEventType>(
    tx: Tx,
    type: T,
    orgId: number | null,
    payload: DomainEventTypes[T],
  ): Promise<void> {
    const [row] = await tx
      .insert(platformEvents)
      .values({ type, orgId, payload, occurredAt: this.clock.now() })
      .returning({ id: platformEvents.id });
    const eventId = String(row!.id);
    for (const queue of this.consumersOf(type)) await this.jobs.sendInTx(tx, queue, { eventId });
  }

  /** Events by id, in outbox order. */
  async load(ids: string[]): Promise<DomainEvent[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .select()
      .from(platformEvents)
      .where(
        inArray(
          platformEvents.id,
          [...new Set(ids)].map((id) => BigInt(id)),
        ),
      )
      .orderBy(platformEvents.id);
    return rows.map((r) => ({
      id: String(r.id),
      type: r.type as DomainEventType,
      orgId: r.orgId,
      payload: r.payload as DomainEventTypes[DomainEventType],
      occurredAt: r.occurredAt,
    }));
  }

  /** The retention job: a daily cron removing outbox rows older than EVENT_RETENTION_DAYS. */
  retentionJob(): JobDefinition<null> {
    return {
      name: 'platform.events-retention',
      cron: { expression: '17 3 * * *' },
      defaults: { retryLimit: 3, retryDelay: 60 },
      handle: async () => {
        const before = new Date(this.clock.now().getTime() - EVENT_RETENTION_DAYS * 86_400_000);
        await this.db.delete(platformEvents).where(lt(platformEvents.occurredAt, before));
        this.log.info({ before }, 'domain events before this time removed');
      },
    };
  }
}
