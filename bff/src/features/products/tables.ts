import {
  doublePrecision,
  integer,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** 8.1–8.4 products (migration 0550). */
export const products = pgTable(
  'products',
  {
    id: serial('id').primaryKey(),
    orgId: integer('org_id').notNull(),
    name: text('name').notNull(),
    unit: text('unit').notNull().default(''),
    remarks: text('remarks').notNull().default(''),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [unique('products_org_name_key').on(t.orgId, t.name)],
);

/** 8.10–8.13 production batches (migration 0550). */
export const productBatches = pgTable(
  'product_batches',
  {
    id: serial('id').primaryKey(),
    orgId: integer('org_id').notNull(),
    name: text('name').notNull(),
    timeStart: ts('time_start').notNull(),
    timeEnd: ts('time_end').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [unique('product_batches_org_name_key').on(t.orgId, t.name)],
);

/** 8.5–8.8 outputs (migration 0550). */
export const productOutputs = pgTable('product_outputs', {
  id: serial('id').primaryKey(),
  orgId: integer('org_id').notNull(),
  productId: integer('product_id').notNull(),
  machineId: integer('machine_id').notNull(),
  batchId: integer('batch_id').notNull(),
  totalAmount: doublePrecision('total_amount').notNull(),
  rejectAmount: doublePrecision('reject_amount'),
  timeStart: ts('time_start').notNull(),
  timeEnd: ts('time_end').notNull(),
  createdAt: ts('created_at').notNull(),
});

/** Standard-coal factors an organization set (migration 0550); no row = the GB/T 2589 default. */
export const coalFactors = pgTable(
  'coal_factors',
  {
    orgId: integer('org_id').notNull(),
    energyType: smallint('energy_type').notNull(),
    factor: doublePrecision('factor').notNull(),
    source: text('source').notNull().default(''),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.energyType] })],
);
