import {
  bigint,
  boolean,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import type { BmsStatus, CommandOrigin, CommandStatus, DeviceKind, ReactiveControl } from '@wattdesk/shared';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Registered EMS controllers and meter gateways (migration 0200). */
export const devices = pgTable('devices', {
  id: serial('id').primaryKey(),
  orgId: integer('org_id').notNull(),
  deviceUid: text('device_uid').notNull(),
  name: text('name').notNull(),
  kind: text('kind').$type<DeviceKind>().notNull(),
  site: text('site').notNull().default(''),
  secretHash: text('secret_hash').notNull(),
  secretRotatedAt: ts('secret_rotated_at').notNull().defaultNow(),
  online: boolean('online').notNull().default(false),
  statusChangedAt: ts('status_changed_at'),
  /** Session timestamp of the last applied status (migration 0210): older statuses are stale. */
  statusTs: bigint('status_ts', { mode: 'number' }),
  lastSeenAt: ts('last_seen_at'),
  telemetry: jsonb('telemetry').$type<Record<string, number | string | boolean>>().notNull().default({}),
  telemetryAt: ts('telemetry_at'),
  bmsState: jsonb('bms_state').$type<BmsStatus>(),
  bmsSyncedAt: ts('bms_synced_at'),
  reactiveState: jsonb('reactive_state').$type<ReactiveControl>(),
  reactiveSyncedAt: ts('reactive_synced_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** Every command relayed to a device, and what became of it (migration 0200). */
export const deviceCommands = pgTable('device_commands', {
  id: uuid('id').primaryKey(),
  orgId: integer('org_id').notNull(),
  deviceId: integer('device_id').notNull(),
  deviceUid: text('device_uid').notNull(),
  parentId: uuid('parent_id').references((): AnyPgColumn => deviceCommands.id),
  userId: integer('user_id'),
  userName: text('user_name'),
  ip: text('ip'),
  idempotencyKey: text('idempotency_key'),
  requestHash: text('request_hash'),
  method: text('method').notNull(),
  params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
  stateChanging: boolean('state_changing').notNull(),
  status: text('status').$type<CommandStatus>().notNull(),
  requestedAt: ts('requested_at').notNull().defaultNow(),
  deadline: ts('deadline').notNull(),
  answerBy: ts('answer_by').notNull(),
  sentAt: ts('sent_at'),
  answeredAt: ts('answered_at'),
  completedAt: ts('completed_at'),
  result: jsonb('result'),
  error: jsonb('error').$type<{ code: number; message: string }>(),
  readback: jsonb('readback').$type<BmsStatus>(),
  readbackError: text('readback_error'),
  lateResponse: jsonb('late_response'),
  lateAt: ts('late_at'),
  duplicateResponses: integer('duplicate_responses').notNull().default(0),
  /** 'auto': a read the app made by itself when a page opened, not the user's command (migration 0230). */
  origin: text('origin').$type<CommandOrigin>().notNull().default('user'),
});

export type DeviceRow = typeof devices.$inferSelect;
export type CommandRow = typeof deviceCommands.$inferSelect;
