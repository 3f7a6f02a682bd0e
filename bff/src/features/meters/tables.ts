import { sql } from 'drizzle-orm';
import {
  boolean,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

// Every metering table (migration 0100_metering.sql), in one file so schema.ts re-exports it once.
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const slotsCol = (name: string) => doublePrecision(name).array().notNull();

export const machines = pgTable('machines', {
  id: serial('id').primaryKey(),
  orgId: integer('org_id').notNull(),
  name: text('name').notNull(),
  department: text('department').notNull(),
  equipmentCode: text('equipment_code').notNull().default(''),
  equipmentUnitCode: text('equipment_unit_code').notNull().default(''),
  imageKey: text('image_key'),
  imageMime: text('image_mime'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const meters = pgTable('meters', {
  id: serial('id').primaryKey(),
  orgId: integer('org_id').notNull(),
  machineId: integer('machine_id').notNull(),
  name: text('name').notNull(),
  energyType: smallint('energy_type').notNull(),
  remarks: text('remarks').notNull().default(''),
  totalAmount: doublePrecision('total_amount').notNull().default(0),
  registerMax: doublePrecision('register_max'),
  /** Plausibility: most it can register per hour; null = its energy type's default. */
  maxRate: doublePrecision('max_rate'),
  isVirtual: boolean('is_virtual').notNull().default(false),
  formula: text('formula').notNull().default(''),
  isTotal: boolean('is_total').notNull().default(false),
  isCount: boolean('is_count').notNull().default(false),
  isHandwork: boolean('is_handwork').notNull().default(false),
  params: text('params')
    .array()
    .notNull()
    .default(sql`'{}'`),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const meterFormulaRefs = pgTable(
  'meter_formula_refs',
  { meterId: integer('meter_id').notNull(), refMeterId: integer('ref_meter_id').notNull() },
  (t) => [primaryKey({ columns: [t.meterId, t.refMeterId] })],
);

export const meterEpochs = pgTable(
  'meter_epochs',
  {
    meterId: integer('meter_id').notNull(),
    replacedAt: ts('replaced_at').notNull(),
    totalBefore: doublePrecision('total_before').notNull(),
    startAmount: doublePrecision('start_amount').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.meterId, t.replacedAt] })],
);

export const readings = pgTable(
  'readings',
  {
    meterId: integer('meter_id').notNull(),
    ts: ts('ts').notNull(),
    total: doublePrecision('total').notNull(),
    base: doublePrecision('base').notNull().default(0),
    delta: doublePrecision('delta').notNull().default(0),
    params: jsonb('params'),
  },
  (t) => [primaryKey({ columns: [t.meterId, t.ts] })],
);

export const manualAmounts = pgTable(
  'manual_amounts',
  {
    meterId: integer('meter_id').notNull(),
    dateType: smallint('date_type').notNull(),
    periodStart: ts('period_start').notNull(),
    amount: doublePrecision('amount').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.meterId, t.dateType, t.periodStart] })],
);

export const energyDay = pgTable(
  'energy_day',
  {
    meterId: integer('meter_id').notNull(),
    day: ts('day').notNull(),
    amount: doublePrecision('amount').notNull(),
    slots: slotsCol('slots'),
    cost: doublePrecision('cost').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.meterId, t.day] })],
);
export const energyMonth = pgTable(
  'energy_month',
  {
    meterId: integer('meter_id').notNull(),
    month: ts('month').notNull(),
    amount: doublePrecision('amount').notNull(),
    slots: slotsCol('slots'),
    cost: doublePrecision('cost').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.meterId, t.month] })],
);
export const paramDay = pgTable(
  'param_day',
  {
    meterId: integer('meter_id').notNull(),
    day: ts('day').notNull(),
    name: text('name').notNull(),
    sum: doublePrecision('sum').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.meterId, t.day, t.name] })],
);

export const rates = pgTable('rates', {
  id: serial('id').primaryKey(),
  orgId: integer('org_id').notNull(),
  name: text('name').notNull(),
  energyType: smallint('energy_type').notNull(),
  value: doublePrecision('value').notNull().default(0),
  segmented: boolean('segmented').notNull(),
  segBegin: text('seg_begin').notNull().default(''),
  segBeginRate: doublePrecision('seg_begin_rate'),
  segEnd: text('seg_end').notNull().default(''),
  segEndRate: doublePrecision('seg_end_rate'),
  unit: text('unit').notNull(),
});
export const ratePrices = pgTable(
  'rate_prices',
  {
    orgId: integer('org_id').notNull(),
    energyType: smallint('energy_type').notNull(),
    prices: doublePrecision('prices').array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.energyType] })],
);

export const orgCalendars = pgTable('org_calendars', {
  orgId: integer('org_id').primaryKey(),
  yearStart: smallint('year_start').notNull(),
  yearEnd: smallint('year_end').notNull(),
  monthStart: smallint('month_start').notNull(),
  monthEnd: smallint('month_end').notNull(),
  dayStart: text('day_start').notNull(),
  dayEnd: text('day_end').notNull(),
  dayMinute: integer('day_minute').notNull(),
  monthDay: integer('month_day').notNull(),
  yearMonth: integer('year_month').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
export const orgShifts = pgTable(
  'org_shifts',
  {
    orgId: integer('org_id').notNull(),
    position: smallint('position').notNull(),
    name: text('name').notNull(),
    startMin: integer('start_min').notNull(),
    endMin: integer('end_min').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.position] })],
);
