import {
  boolean,
  doublePrecision,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** 7.1–7.4 status rules (migration 0500). */
export const oeeRules = pgTable('oee_rules', {
  id: serial('id').primaryKey(),
  orgId: integer('org_id').notNull(),
  machineId: integer('machine_id').notNull(),
  meterId: integer('meter_id').notNull(),
  param: text('param').notNull(),
  name: text('name').notNull(),
  statusName: text('status_name').notNull(),
  lowerLimit: doublePrecision('lower_limit').notNull(),
  upperLimit: doublePrecision('upper_limit').notNull(),
  isRunning: boolean('is_running').notNull().default(false),
  isPlannedStop: boolean('is_planned_stop').notNull().default(false),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** The machine's state at each reading instant of its rule meters (migration 0500). */
export const oeePoints = pgTable(
  'oee_points',
  {
    machineId: integer('machine_id').notNull(),
    ts: ts('ts').notNull(),
    status: text('status').notNull(),
  },
  (t) => [primaryKey({ columns: [t.machineId, t.ts] })],
);

/** The state timeline as maximal intervals [start, end) (migration 0500). */
export const oeeRuns = pgTable(
  'oee_runs',
  {
    machineId: integer('machine_id').notNull(),
    startTs: ts('start_ts').notNull(),
    endTs: ts('end_ts').notNull(),
    status: text('status').notNull(),
  },
  (t) => [primaryKey({ columns: [t.machineId, t.startTs] })],
);

/** Per-machine reading interval and offline gap (migration 0500). */
export const oeeSettings = pgTable('oee_settings', {
  machineId: integer('machine_id').primaryKey(),
  orgId: integer('org_id').notNull(),
  readingInterval: integer('reading_interval').notNull(),
  offlineIntervals: integer('offline_intervals').notNull(),
});

/** Ideal output per hour of a product on a machine (migration 0500). */
export const oeeIdealRates = pgTable('oee_ideal_rates', {
  id: serial('id').primaryKey(),
  orgId: integer('org_id').notNull(),
  machineId: integer('machine_id').notNull(),
  productId: integer('product_id').notNull(),
  rate: doublePrecision('rate').notNull(),
});

export type OeeRuleRow = typeof oeeRules.$inferSelect;
