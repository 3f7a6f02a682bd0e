import {
  bigserial,
  bigint,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** An operator's callback address per kind (migration 0640). */
export const chargingCallbackUrls = pgTable(
  'charging_callback_urls',
  {
    operatorPk: integer('operator_pk').notNull(),
    orgId: integer('org_id').notNull(),
    kind: text('kind').notNull(),
    url: text('url').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.operatorPk, t.kind] })],
);

/** A call the platform owes an operator, once per (operator, kind, call key) (migration 0640). */
export const chargingCallbackCalls = pgTable(
  'charging_callback_calls',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: integer('org_id').notNull(),
    operatorPk: integer('operator_pk').notNull(),
    operatorId: text('operator_id').notNull(),
    kind: text('kind').notNull(),
    callKey: text('call_key').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: ts('created_at').notNull(),
    doneAt: ts('done_at'),
  },
  (t) => [unique('charging_callback_calls_key').on(t.operatorPk, t.kind, t.callKey)],
);

/** Every attempt of a call (migration 0640). */
export const chargingCallbackAttempts = pgTable('charging_callback_attempts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  callId: bigint('call_id', { mode: 'number' }).notNull(),
  orgId: integer('org_id').notNull(),
  operatorPk: integer('operator_pk').notNull(),
  attemptNo: integer('attempt_no').notNull(),
  at: ts('at').notNull(),
  url: text('url').notNull(),
  httpStatus: integer('http_status'),
  result: text('result').notNull(),
  answer: text('answer').notNull().default(''),
});

/** A connector's latest status for the safety check (migration 0640). */
export const chargingCellSafety = pgTable(
  'charging_cell_safety',
  {
    operatorPk: integer('operator_pk').notNull(),
    cellId: text('cell_id').notNull(),
    orgId: integer('org_id').notNull(),
    status: integer('status').notNull(),
    statusSince: ts('status_since').notNull(),
    lastTs: ts('last_ts').notNull(),
    active: jsonb('active').$type<Record<string, number>>().notNull().default({}),
    faultJob: text('fault_job'),
  },
  (t) => [primaryKey({ columns: [t.operatorPk, t.cellId] })],
);

/** Safety warnings (migration 0640). */
export const chargingSafetyWarnings = pgTable(
  'charging_safety_warnings',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: integer('org_id').notNull(),
    operatorPk: integer('operator_pk').notNull(),
    operatorId: text('operator_id').notNull(),
    stationId: text('station_id').notNull(),
    equipmentId: text('equipment_id').notNull(),
    cellId: text('cell_id').notNull(),
    kind: text('kind').notNull(),
    startedAt: ts('started_at').notNull(),
    raisedAt: ts('raised_at').notNull(),
    value: doublePrecision('value'),
    limitValue: doublePrecision('limit_value'),
    clearedAt: ts('cleared_at'),
  },
  (t) => [unique('charging_safety_warnings_key').on(t.operatorPk, t.cellId, t.kind, t.startedAt)],
);

export type CallbackCallRow = typeof chargingCallbackCalls.$inferSelect;
export type CallbackAttemptRow = typeof chargingCallbackAttempts.$inferSelect;
export type CellSafetyRow = typeof chargingCellSafety.$inferSelect;
export type SafetyWarningRow = typeof chargingSafetyWarnings.$inferSelect;
