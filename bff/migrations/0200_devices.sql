-- Devices: the registry of EMS controllers and meter gateways, and every command relayed to them.
create table devices (
  id serial primary key,
  org_id integer not null references organizations(id),
  device_uid text not null,
  name text not null,
  kind text not null check (kind in ('ems', 'gateway')),
  site text not null default '',
  -- sha256 (hex) of a 256-bit random secret; the secret itself is shown once and never stored.
  secret_hash text not null,
  secret_rotated_at timestamptz not null default now(),
  online boolean not null default false,
  status_changed_at timestamptz,
  last_seen_at timestamptz,
  telemetry jsonb not null default '{}',
  telemetry_at timestamptz,
  bms_state jsonb,
  bms_synced_at timestamptz,
  reactive_state jsonb,
  reactive_synced_at timestamptz,
  created_at timestamptz not null default now()
);
-- A uid is an MQTT topic level: unique across all organizations.
create unique index devices_uid_key on devices (device_uid);
create index devices_org_idx on devices (org_id, kind);

create table device_commands (
  id uuid primary key,
  org_id integer not null,
  device_id integer not null references devices(id) on delete cascade,
  device_uid text not null,
  -- A read-back (bms.status after bms.command) points at the command it belongs to.
  parent_id uuid references device_commands(id) on delete cascade,
  user_id integer,
  user_name text,
  ip text,
  idempotency_key text,
  request_hash text,
  method text not null,
  params jsonb not null default '{}',
  state_changing boolean not null,
  status text not null check (status in ('pending', 'sent', 'succeeded', 'refused', 'device_busy',
    'failed', 'timed_out', 'not_sent_offline', 'not_sent_busy')),
  requested_at timestamptz not null default now(),
  deadline timestamptz not null,
  -- When the whole operation (answer and read-back) must be finished; the sweeper closes stragglers.
  answer_by timestamptz not null,
  sent_at timestamptz,
  answered_at timestamptz,
  completed_at timestamptz,
  result jsonb,
  error jsonb,
  readback jsonb,
  readback_error text,
  late_response jsonb,
  late_at timestamptz,
  duplicate_responses integer not null default 0
);
-- A repeated tap with the same key finds the first command instead of sending again.
create unique index device_commands_idem_key on device_commands (user_id, idempotency_key)
  where idempotency_key is not null;
-- At most one state-changing command in flight per device, enforced by the database across instances.
create unique index device_commands_one_in_flight on device_commands (device_id)
  where state_changing and status in ('pending', 'sent');
create index device_commands_history_idx on device_commands (device_id, requested_at desc)
  where parent_id is null;
create index device_commands_open_idx on device_commands (answer_by) where completed_at is null;
