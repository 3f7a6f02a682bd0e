-- iSolarCloud plants (seed 003, issue 12): each organization's connection (credentials encrypted at rest),
-- one-time OAuth tickets, the plants as last fetched, and their 5-minute samples (today's power curve).

-- One connection per organization. `secret` is the sealed (AES-256-GCM) credentials: OAuth access +
-- refresh token, or the legacy account, password and token. The row is also the renewal lock
-- (`select ... for update`): one token refresh or re-login at a time across every BFF instance.
create table pv_connections (
  org_id integer primary key references organizations(id),
  auth_mode text not null check (auth_mode in ('oauth', 'legacy')),
  region smallint not null check (region in (1, 2, 3, 7)),
  account text,
  secret text not null,
  version integer not null default 0,
  connected_at timestamptz not null,
  last_sync_at timestamptz,
  last_slot bigint,
  last_error text,
  updated_at timestamptz not null
);

-- OAuth authorisation in progress: iSolarCloud does not pass `state` back, so the redirect URL carries
-- this ticket (only its SHA-256 is stored); single use, 10 minutes.
create table pv_auth_tickets (
  ticket_hash text primary key,
  org_id integer not null references organizations(id),
  region smallint not null,
  redirect_uri text not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index pv_auth_tickets_org on pv_auth_tickets (org_id);

-- The organization's plants as the last refresh saw them (two organizations may hold the same plant).
create table pv_plants (
  org_id integer not null references organizations(id),
  ps_id bigint not null,
  ps_name text not null,
  ps_type integer not null,
  online_status integer not null default 0,
  fault_status integer not null default 3,
  location text not null default '',
  latitude double precision,
  longitude double precision,
  power_kw double precision,
  today_kwh double precision,
  total_kwh double precision,
  soc double precision,
  updated_at timestamptz,
  devices jsonb not null default '[]'::jsonb,
  meter_id integer,
  gone boolean not null default false,
  primary key (org_id, ps_id)
);

-- One sample per plant and 5-minute slot (idempotent by that identity): today's curve and daily yields.
create table pv_plant_samples (
  org_id integer not null,
  ps_id bigint not null,
  ts timestamptz not null,
  power_kw double precision,
  today_kwh double precision,
  total_kwh double precision,
  soc double precision,
  primary key (org_id, ps_id, ts),
  foreign key (org_id, ps_id) references pv_plants (org_id, ps_id) on delete cascade
);
