/**
 * The platform's contract for features: how a feature plugs in (routes, start/stop, the events it
 * consumes, the jobs it runs), how data changes become domain events (an outbox written in the data's
 * own transaction), and how background work runs (durable jobs on pg-boss, in PostgreSQL / PGlite).
 *
 * Every feature — existing ones and alarms, OEE, plants, charging — is a `FeatureModule`. A feature
 * never calls into another feature's internals: it reacts to events, or uses another feature's declared
 * `api` through `ctx.use(name)` (the name and type registered in `FeatureApis` by declaration merging).
 */
import type { Redis } from 'ioredis';
import type { Config } from '@wattdesk/config';
import type { SQL } from 'drizzle-orm';
import type { Database, Db } from '../infra/db/client';
import type { Clock } from '../infra/clock';
import type { Logger } from '../infra/logger';
import type { RouteDef } from '../core/http/route';
import type { Foreground } from '../core/http/foreground';

/** A Drizzle transaction (what `db.transaction(fn)` hands to `fn`). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

// ---------------------------------------------------------------------------------------------------
// Domain events
// ---------------------------------------------------------------------------------------------------

/**
 * The catalogue of domain events: type name → payload. Producers and consumers import the payload
 * types from here; a feature adding an event type adds it by declaration merging:
 *
 *   declare module '../../platform/contract' { interface DomainEventTypes { 'alarm.raised': AlarmRaised } }
 */
export interface DomainEventTypes {
  /**
   * Readings committed by ingest (HTTP batch, MQTT gateway, hand-filled 5.6, demo / bulk load): one event
   * per ingest transaction. `readings` are the kept readings (latest value per (meter, ts)); `hours`
   * are the [meter, hour-start epoch ms] pairs whose consumption changed (late data included), so
   * hourly evaluators re-check exactly those.
   */
  'readings.ingested': {
    source: 'http' | 'mqtt' | 'manual' | 'bulk';
    readings: { meterId: number; ts: number; total: number | null; params: Record<string, number> | null }[];
    hours: { meterId: number; hourStart: number }[];
  };
  /** A device's telemetry (`wd/{uid}/telemetry`) or a sync's read-back, after it was stored. */
  'device.telemetry': {
    deviceId: number;
    deviceUid: string;
    kind: string;
    ts: number;
    /** BMS state when the device has one (`alarm_status` = active alarm count). */
    bms?: { alarm_status: number; [k: string]: unknown };
    data: Record<string, unknown>;
  };
  /** A device's presence changed (broker status / will), ordered by the device's own `ts`. */
  'device.status': { deviceId: number; deviceUid: string; online: boolean; ts: number };
  /** A command reached its final outcome (executed, failed, timed_out, …) with its read-back. */
  'device.command.completed': {
    commandId: string;
    deviceId: number;
    deviceUid: string;
    method: string;
    outcome: string;
    userId: number | null;
    readback?: Record<string, unknown>;
  };
}

export type DomainEventType = keyof DomainEventTypes;

/** A committed event as consumers receive it. `id` is the outbox row id (monotonic per database). */
export interface DomainEvent<T extends DomainEventType = DomainEventType> {
  id: string;
  type: T;
  /** The organization whose data changed; null for platform-wide events. */
  orgId: number | null;
  payload: DomainEventTypes[T];
  occurredAt: Date;
}

/** Writes events into the outbox. */
export interface Events {
  /**
   * Appends an event inside the caller's transaction: it becomes visible to consumers exactly when
   * that transaction commits, and is lost with it if it rolls back. The producer never knows who consumes.
   */
  emit<T extends DomainEventType>(
    tx: Tx,
    type: T,
    orgId: number | null,
    payload: DomainEventTypes[T],
  ): Promise<void>;
  /**
   * The same event as SQL the caller embeds in its own single statement, as a CTE
   * (`e as (${events.insertFrom(type, orgId, payload, sql`c`)})`): one outbox row per row of `from`,
   * written exactly when that statement's data is — one round trip and one commit, no transaction
   * block. Once the statement has run, the caller calls `emitted(type)` for the types it wrote.
   */
  insertFrom<T extends DomainEventType>(
    type: T,
    orgId: number | null,
    payload: DomainEventTypes[T],
    from: SQL,
  ): SQL;
  /** Tells this process's consumers of `type` that a statement of the caller wrote such events. */
  emitted(type: DomainEventType): void;
}

/**
 * A feature's reaction to events. Each consumer gets every committed event of its types at least once,
 * in outbox order per organization, after a crash too; it must be idempotent by the data's identity
 * (e.g. (rule, meter, reading ts)), never by comparing payload bytes. A consumer that throws is
 * retried with backoff; a failed batch is visible on the job runner and never skipped silently.
 */
export interface EventConsumer {
  /** Unique, stable name (`alarms.evaluate-readings`): the consumer's own queue. */
  name: string;
  events: DomainEventType[];
  handle(events: DomainEvent[]): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// Durable jobs (pg-boss)
// ---------------------------------------------------------------------------------------------------

export interface JobOptions {
  /** At most one queued job with this key per job name (pg-boss singletonKey): idempotent enqueue. */
  key?: string;
  /** Run no earlier than this (delayed jobs, e.g. escalation). */
  startAfter?: Date;
  retryLimit?: number;
  /** Seconds before the first retry; doubled each retry when `backoff` is true. */
  retryDelay?: number;
  retryBackoff?: boolean;
  /** Seconds a run may take before it is failed and retried. */
  expireInSeconds?: number;
}

export interface JobDefinition<D = unknown> {
  /** Unique, stable queue name (`alarms.deliver`). */
  name: string;
  handle(data: D, job: { id: string; retryCount: number }): Promise<void>;
  /** Defaults for jobs sent to this queue. */
  defaults?: JobOptions;
  /** A cron schedule (in UTC or `tz`): the job runs once per tick across every instance. */
  cron?: { expression: string; tz?: string; data?: D };
  /** Workers in this process (default 1). */
  concurrency?: number;
}

/** Sends and cancels jobs. Every job runs once across instances; failures are retried and visible. */
export interface Jobs {
  /** Queues a job; returns its id, or null when a job with the same `key` is already queued. */
  send<D>(name: string, data: D, opts?: JobOptions): Promise<string | null>;
  /** Queues a job inside the caller's transaction (it exists only if the transaction commits). */
  sendInTx<D>(tx: Tx, name: string, data: D, opts?: JobOptions): Promise<string | null>;
  cancel(name: string, id: string): Promise<void>;
  /**
   * Starts a queued job in this process now, unless a worker (of any instance) already started it:
   * the sender of a job that must not wait for the next poll runs it right after its transaction
   * committed. It is the same job — one execution, its retries, expiry and completion as if a worker
   * had fetched it. Resolves false when the job was not waiting (already started, done, or unknown).
   */
  runNow(name: string, id: string): Promise<boolean>;
  /** Failed jobs (after their last retry), newest first: the operator's view. */
  failed(
    name?: string,
    limit?: number,
  ): Promise<{ id: string; name: string; data: unknown; error: string; at: Date }[]>;
}

// ---------------------------------------------------------------------------------------------------
// Feature modules
// ---------------------------------------------------------------------------------------------------

/**
 * The public APIs features offer each other, by feature name. A feature declares its own:
 *
 *   declare module '../../platform/contract' { interface FeatureApis { calendar: CalendarApi } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FeatureApis {}

/** What a feature is built with: our own components and the platform mechanisms. */
export interface PlatformContext {
  config: Config;
  log: Logger;
  database: Database;
  db: Db;
  redis: Redis;
  clock: Clock;
  events: Events;
  jobs: Jobs;
  /** Whether demo mode is on (an explicit choice; never in production). */
  demo: boolean;
  /** Requests in flight: long background work on the event loop (the demo import) waits for `quiet()`. */
  foreground: Foreground;
  /** The api of a feature built earlier (features are built in the order of `features/index.ts`). */
  use<K extends keyof FeatureApis>(name: K): FeatureApis[K];
}

/** What a built feature hands the platform. Every part is optional. */
export interface FeatureParts<Api = unknown> {
  /** What other features may use through `ctx.use(name)`. */
  api?: Api;
  /** HTTP routes (handlers close over the feature's own services). */
  routes?: RouteDef<any, any, any>[];
  consumers?: EventConsumer[];
  jobs?: JobDefinition<any>[];
  /** Entries for `/readyz` (`{ mqtt: 'ok' }`). */
  readiness?(): Promise<Record<string, string>>;
  /** After every feature is built and the job runner is up; before the HTTP server listens. */
  start?(): Promise<void>;
  /** On shutdown, in reverse build order; drain in-flight work. */
  stop?(): Promise<void>;
  /**
   * Demo mode only, after every feature started, in build order: seeds the feature's demo data, starts
   * its fakes (from `bff/src/fakes/`), returns lines for the start banner. Must be idempotent (a restart
   * on the same data folder runs it again).
   */
  demo?(): Promise<string[]>;
  /**
   * Demo mode only, after every feature's `demo()` ran: starts long background work (e.g. loading the
   * demo readings) that must not hold up the other demo hooks. Stopped by `stop()`.
   */
  demoBackground?(): void;
}

export interface FeatureModule<K extends string = string, Api = unknown> {
  name: K;
  build(ctx: PlatformContext): Promise<FeatureParts<Api>> | FeatureParts<Api>;
}

/** Typed constructor: `export const alarmsFeature = defineFeature('alarms', async (ctx) => ({ ... }))`. */
export function defineFeature<K extends string, Api>(
  name: K,
  build: (ctx: PlatformContext) => Promise<FeatureParts<Api>> | FeatureParts<Api>,
): FeatureModule<K, Api> {
  return { name, build };
}
