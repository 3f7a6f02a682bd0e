import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/** A PostgreSQL transaction id (xid8), read and written as its decimal text. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/** The domain events outbox (migrations 0010, 0011). */
export const platformEvents = pgTable(
  'platform_events',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    type: text('type').notNull(),
    orgId: integer('org_id'),
    payload: jsonb('payload').$type<unknown>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** The writing transaction (default `pg_current_xact_id()`): the order consumers read in. */
    txId: xid8('tx_id')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    /** The platform schema (WD_JOBS_SCHEMA) whose consumers read this event. */
    scope: text('scope').notNull().default('pgboss'),
  },
  (t) => [
    index('platform_events_occurred_at_idx').on(t.occurredAt),
    index('platform_events_org_type_idx').on(t.orgId, t.type, t.id),
    index('platform_events_scope_type_tx_idx').on(t.scope, t.type, t.txId, t.id),
  ],
);

/** Where each consumer stands in the outbox, its lease and its head event's retry state (0011). */
export const platformEventCursors = pgTable(
  'platform_event_cursors',
  {
    scope: text('scope').notNull(),
    consumer: text('consumer').notNull(),
    txId: xid8('tx_id').notNull(),
    eventId: bigint('event_id', { mode: 'bigint' }).notNull(),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
    failures: integer('failures').notNull().default(0),
    retryAt: timestamp('retry_at', { withTimezone: true, mode: 'date' }),
    lastError: text('last_error'),
  },
  (t) => [primaryKey({ columns: [t.scope, t.consumer] })],
);

/** Event deliveries that failed their last retry (0011). */
export const platformEventFailures = pgTable(
  'platform_event_failures',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    scope: text('scope').notNull(),
    consumer: text('consumer').notNull(),
    eventId: bigint('event_id', { mode: 'bigint' }).notNull(),
    error: text('error').notNull(),
    failedAt: timestamp('failed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('platform_event_failures_scope_idx').on(t.scope, t.failedAt)],
);
