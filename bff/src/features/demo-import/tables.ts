import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { organizations } from '../accounts/tables';

// Migration 0121_demo_import.sql (queried with SQL in repository.ts; declared here for schema-drift).
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const demoImports = pgTable('demo_imports', {
  orgId: integer('org_id')
    .primaryKey()
    .references(() => organizations.id),
  state: text('state').notNull(),
  startDate: text('start_date').notNull(),
  days: integer('days').notNull(),
  timeZone: text('time_zone').notNull(),
  meterIds: jsonb('meter_ids').notNull().default({}),
  total: integer('total').notNull(),
  done: integer('done').notNull().default(0),
  error: text('error'),
  startedAt: ts('started_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  finishedAt: ts('finished_at'),
});
