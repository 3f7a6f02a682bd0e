-- Domain events outbox (bff/src/platform/events.ts): one row per event, written in the transaction of
-- the data it describes. Each subscribed consumer gets a pg-boss job carrying the row id in that same
-- transaction. Rows are kept as the record and removed after 30 days by the retention job.
create table platform_events (
  id bigserial primary key,
  type text not null,
  org_id integer,
  payload jsonb not null,
  occurred_at timestamptz not null
);
create index platform_events_occurred_at_idx on platform_events (occurred_at);
create index platform_events_org_type_idx on platform_events (org_id, type, id);
