-- Charging callbacks (seed 004 上报回调地址管理 / 安全预警管理): the operator's callback addresses, every
-- platform → operator call with each of its attempts, the connectors' safety state and the warnings raised.
-- Operators are the charging feature's; `operator_pk` is its operator row id (no foreign key across features).

-- One address per (operator, kind): reportFailure, realtimeQuery, processData, safetyWarning.
create table charging_callback_urls (
  operator_pk integer not null,
  org_id integer not null references organizations(id),
  kind text not null,
  url text not null,
  updated_at timestamptz not null default now(),
  primary key (operator_pk, kind)
);

-- One row per call the platform owes an operator; `call_key` is the call's identity (e.g. the warning id),
-- so a call is made once however often its cause is seen.
create table charging_callback_calls (
  id bigserial primary key,
  org_id integer not null references organizations(id),
  operator_pk integer not null,
  operator_id text not null,
  kind text not null,
  call_key text not null,
  payload jsonb not null,
  status text not null default 'pending',
  attempts integer not null default 0,
  created_at timestamptz not null,
  done_at timestamptz,
  constraint charging_callback_calls_key unique (operator_pk, kind, call_key)
);
create index charging_callback_calls_org on charging_callback_calls (org_id, id);

-- Every attempt of a call and its outcome (listable by the operator and the organization's admins).
create table charging_callback_attempts (
  id bigserial primary key,
  call_id bigint not null references charging_callback_calls(id),
  org_id integer not null,
  operator_pk integer not null,
  attempt_no integer not null,
  at timestamptz not null,
  url text not null,
  http_status integer,
  result text not null,
  answer text not null default ''
);
create index charging_callback_attempts_call on charging_callback_attempts (call_id, attempt_no);
create index charging_callback_attempts_operator on charging_callback_attempts (operator_pk, id);

-- A connector's latest status as the safety check saw it (ordered by the report's own ts), and since when
-- it is in that status; `active` holds the warnings currently raised (kind → warning id); `fault_job` the
-- pending delayed fault check (cancelled when the status changes).
create table charging_cell_safety (
  operator_pk integer not null,
  cell_id text not null,
  org_id integer not null,
  status integer not null,
  status_since timestamptz not null,
  last_ts timestamptz not null,
  active jsonb not null default '{}'::jsonb,
  fault_job text,
  primary key (operator_pk, cell_id)
);

-- Safety warnings, once per (connector, kind, start of the condition).
create table charging_safety_warnings (
  id bigserial primary key,
  org_id integer not null references organizations(id),
  operator_pk integer not null,
  operator_id text not null,
  station_id text not null,
  equipment_id text not null,
  cell_id text not null,
  kind text not null,
  started_at timestamptz not null,
  raised_at timestamptz not null,
  value double precision,
  limit_value double precision,
  cleared_at timestamptz,
  constraint charging_safety_warnings_key unique (operator_pk, cell_id, kind, started_at)
);
