import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { ReadingError } from '@wattdesk/shared';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Every readings batch a gateway sent, with ingest's verdict (migration 0260). */
export const gatewayBatches = pgTable('gateway_batches', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  orgId: integer('org_id').notNull(),
  deviceId: integer('device_id').notNull(),
  receivedAt: ts('received_at').notNull(),
  readings: integer('readings').notNull(),
  accepted: integer('accepted').notNull(),
  refused: integer('refused').notNull(),
  errors: jsonb('errors').$type<ReadingError[]>().notNull().default([]),
});

/** The meters a gateway reports, each with its latest kept reading (migration 0260). */
export const gatewayMeters = pgTable(
  'gateway_meters',
  {
    deviceId: integer('device_id').notNull(),
    meterId: integer('meter_id').notNull(),
    orgId: integer('org_id').notNull(),
    lastTs: bigint('last_ts', { mode: 'number' }).notNull(),
    lastTotal: doublePrecision('last_total'),
    reportedAt: ts('reported_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.meterId] })],
);

/** Every applied presence change of a device (migration 0260). */
export const deviceStatusHistory = pgTable('device_status_history', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  orgId: integer('org_id').notNull(),
  deviceId: integer('device_id').notNull(),
  online: boolean('online').notNull(),
  ts: bigint('ts', { mode: 'number' }).notNull(),
  at: ts('at').notNull(),
});
