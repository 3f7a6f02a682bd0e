-- Machine states and OEE (seed 002 §7, issue 13): status rules, the state at each reading (points),
-- the state timeline as merged intervals (runs), per-machine offline gap settings, ideal rates.

-- 7.1–7.4 status rules: a range [lower_limit, upper_limit] of one meter parameter means a status.
create table oee_rules (
  id serial primary key,
  org_id integer not null references organizations(id),
  machine_id integer not null references machines(id) on delete cascade,
  meter_id integer not null references meters(id) on delete cascade,
  param text not null,
  name text not null,
  status_name text not null,
  lower_limit double precision not null,
  upper_limit double precision not null,
  is_running boolean not null default false,
  is_planned_stop boolean not null default false,
  created_at timestamptz not null default now(),
  check (lower_limit <= upper_limit)
);
create index oee_rules_org_idx on oee_rules (org_id, machine_id);
create index oee_rules_meter_idx on oee_rules (meter_id);

-- The machine's state at each instant one of its rule meters has a reading (idempotent by (machine, ts)).
create table oee_points (
  machine_id integer not null references machines(id) on delete cascade,
  ts timestamptz not null,
  status text not null,
  primary key (machine_id, ts)
);

-- The timeline: maximal intervals [start_ts, end_ts) of one status. A point holds its status until the
-- next point or for the offline gap, whichever is first; time not covered after the first point is 离线.
create table oee_runs (
  machine_id integer not null references machines(id) on delete cascade,
  start_ts timestamptz not null,
  end_ts timestamptz not null,
  status text not null,
  primary key (machine_id, start_ts),
  check (start_ts < end_ts)
);

-- Offline gap = reading_interval × offline_intervals seconds (defaults 900 s × 3 when no row).
create table oee_settings (
  machine_id integer primary key references machines(id) on delete cascade,
  org_id integer not null references organizations(id),
  reading_interval integer not null,
  offline_intervals integer not null
);

-- Ideal output per hour of run time of a product on a machine (performance factor).
create table oee_ideal_rates (
  id serial primary key,
  org_id integer not null references organizations(id),
  machine_id integer not null references machines(id) on delete cascade,
  product_id integer not null,
  rate double precision not null check (rate > 0),
  unique (machine_id, product_id)
);
create index oee_ideal_rates_org_idx on oee_ideal_rates (org_id);
