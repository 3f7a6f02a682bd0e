import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** The domain events outbox (migration 0010). */
export const platformEvents = pgTable(
  'platform_events',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    type: text('type').notNull(),
    orgId: integer('org_id'),
    payload: jsonb('payload').$type<unknown>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('platform_events_occurred_at_idx').on(t.occurredAt),
    index('platform_events_org_type_idx').on(t.orgId, t.type, t.id),
  ],
);
