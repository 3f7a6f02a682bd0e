import {
  boolean,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  serial,
  smallint,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** An organization's platform address and credentials (migration 0740); the secret encrypted. */
export const prpConnections = pgTable('prp_connections', {
  orgId: integer('org_id').primaryKey(),
  baseUrl: text('base_url').notNull(),
  accessKey: text('access_key').notNull(),
  secretEnc: text('secret_enc').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** 5.2 information as saved, the 5.1 code-list cache and the last 5.4 answer (migration 0740). */
export const prpOrgs = pgTable('prp_orgs', {
  orgId: integer('org_id').primaryKey(),
  infos: jsonb('infos').$type<unknown>(),
  infosUpdatedAt: ts('infos_updated_at'),
  dicVersion: text('dic_version'),
  lists: jsonb('lists').$type<unknown>(),
  listsFetchedAt: ts('lists_fetched_at'),
  knownDicVersion: text('known_dic_version'),
  version: jsonb('version').$type<unknown>(),
});

/** Collect items with their number within the enterprise (migration 0740). */
export const prpItems = pgTable(
  'prp_items',
  {
    id: serial('id').primaryKey(),
    orgId: integer('org_id').notNull(),
    itemNo: integer('item_no').notNull(),
    itemKey: text('item_key').notNull(),
    meterId: integer('meter_id').notNull(),
    statType: text('stat_type').notNull(),
    config: jsonb('config').$type<unknown>().notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    unique('prp_items_org_key').on(t.orgId, t.itemKey),
    unique('prp_items_org_no').on(t.orgId, t.itemNo),
  ],
);

/** What is to be sent (operation 1, 2 or one item's figure of one period and revision) (migration 0740). */
export const prpUploads = pgTable('prp_uploads', {
  id: serial('id').primaryKey(),
  orgId: integer('org_id').notNull(),
  operationType: smallint('operation_type').notNull(),
  itemId: integer('item_id'),
  periodStart: ts('period_start'),
  periodEnd: ts('period_end'),
  revision: integer('revision').notNull().default(0),
  value: doublePrecision('value'),
  payload: jsonb('payload').$type<unknown>(),
  state: text('state').notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  createdAt: ts('created_at').notNull(),
  finishedAt: ts('finished_at'),
});

/** 5.7 every exchange with the platform (migration 0740). */
export const prpExchanges = pgTable('prp_exchanges', {
  id: serial('id').primaryKey(),
  orgId: integer('org_id').notNull(),
  uploadId: integer('upload_id').notNull(),
  operationType: smallint('operation_type').notNull(),
  attempt: integer('attempt').notNull(),
  targetUrl: text('target_url').notNull(),
  originalData: jsonb('original_data').$type<unknown>(),
  responseData: jsonb('response_data').$type<unknown>(),
  result: smallint('result').notNull(),
  uploadTime: ts('upload_time').notNull(),
});
