import {
  bigint,
  boolean,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One iSolarCloud connection per organization; `secret` is sealed (migration 0700). */
export const pvConnections = pgTable('pv_connections', {
  orgId: integer('org_id').primaryKey(),
  authMode: text('auth_mode').notNull(),
  region: smallint('region').notNull(),
  account: text('account'),
  secret: text('secret').notNull(),
  version: integer('version').notNull().default(0),
  connectedAt: ts('connected_at').notNull(),
  lastSyncAt: ts('last_sync_at'),
  lastSlot: bigint('last_slot', { mode: 'number' }),
  lastError: text('last_error'),
  updatedAt: ts('updated_at').notNull(),
});

/** OAuth tickets (the SHA-256 of each), single use (migration 0700). */
export const pvAuthTickets = pgTable('pv_auth_tickets', {
  ticketHash: text('ticket_hash').primaryKey(),
  orgId: integer('org_id').notNull(),
  region: smallint('region').notNull(),
  redirectUri: text('redirect_uri').notNull(),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
});

/** Plants as last fetched (migration 0700). */
export const pvPlants = pgTable(
  'pv_plants',
  {
    orgId: integer('org_id').notNull(),
    psId: bigint('ps_id', { mode: 'number' }).notNull(),
    psName: text('ps_name').notNull(),
    psType: integer('ps_type').notNull(),
    onlineStatus: integer('online_status').notNull().default(0),
    faultStatus: integer('fault_status').notNull().default(3),
    location: text('location').notNull().default(''),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    powerKw: doublePrecision('power_kw'),
    todayKwh: doublePrecision('today_kwh'),
    totalKwh: doublePrecision('total_kwh'),
    soc: doublePrecision('soc'),
    updatedAt: ts('updated_at'),
    devices: jsonb('devices').notNull().default([]),
    meterId: integer('meter_id'),
    gone: boolean('gone').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.psId] })],
);

/** 5-minute samples per plant (migration 0700). */
export const pvPlantSamples = pgTable(
  'pv_plant_samples',
  {
    orgId: integer('org_id').notNull(),
    psId: bigint('ps_id', { mode: 'number' }).notNull(),
    ts: ts('ts').notNull(),
    powerKw: doublePrecision('power_kw'),
    todayKwh: doublePrecision('today_kwh'),
    totalKwh: doublePrecision('total_kwh'),
    soc: doublePrecision('soc'),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.psId, t.ts] })],
);
