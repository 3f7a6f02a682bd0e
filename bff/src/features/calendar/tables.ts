import { doublePrecision, integer, pgTable, timestamp } from 'drizzle-orm/pg-core';

/** Migration 0140: the organization's contracted demand (kW); no row = not set. */
export const orgContractDemand = pgTable('org_contract_demand', {
  orgId: integer('org_id').primaryKey(),
  contractKw: doublePrecision('contract_kw').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
