-- Consumers read the outbox from a cursor instead of one pg-boss job per event per consumer
-- (bff/src/platform/events.ts). An event is ordered by the id of the transaction that wrote it
-- (`tx_id`, xid8) and then its own id; a consumer reads only events of transactions older than every
-- transaction still running (`pg_snapshot_xmin`), so an event that commits late can never fall behind
-- a cursor that already passed its position. `scope` is the platform's schema (WD_JOBS_SCHEMA): the
-- installations (or test apps) sharing one database each read only their own events.
alter table platform_events
  add column tx_id xid8 not null default pg_current_xact_id(),
  add column scope text not null default 'pgboss';
create index platform_events_scope_type_tx_idx on platform_events (scope, type, tx_id, id);

-- One row per (scope, consumer): everything up to (tx_id, event_id) is handled. The lease makes one
-- instance at a time read a consumer's events; `failures`/`retry_at` hold the retry state of the
-- event at the head (retried with backoff on the job runner, then recorded as failed and passed).
create table platform_event_cursors (
  scope text not null,
  consumer text not null,
  tx_id xid8 not null,
  event_id bigint not null,
  lease_owner text,
  lease_until timestamptz,
  failures integer not null default 0,
  retry_at timestamptz,
  last_error text,
  primary key (scope, consumer)
);

-- Event deliveries that failed their last retry: passed by the cursor, kept for the operator.
create table platform_event_failures (
  id bigserial primary key,
  scope text not null,
  consumer text not null,
  event_id bigint not null,
  error text not null,
  failed_at timestamptz not null default now()
);
create index platform_event_failures_scope_idx on platform_event_failures (scope, failed_at);
