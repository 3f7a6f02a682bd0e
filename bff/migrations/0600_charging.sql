-- Charging platform (seed 004): operators (桩企) and their tokens, stations, equipment, cells (connectors),
-- each cell's live status, and charging records with their bill's pay state.

-- An operator of an organization (and a site of it). operator_id is what the operator sends in the
-- OperatorId header: unique across the platform. The HMAC needs the secret itself, so it is kept
-- encrypted (AES-256-GCM, key outside the database), never hashed.
create table charging_operators (
  id serial primary key,
  org_id integer not null references organizations(id),
  operator_id text not null,
  name text not null,
  site text not null default '',
  secret_enc text not null,
  secret_rotated_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  constraint charging_operators_operator_id_key unique (operator_id)
);
create index charging_operators_org on charging_operators (org_id);

-- Tokens from GET /platform/management/operatorAPIToken: only their SHA-256 is stored.
create table charging_operator_tokens (
  token_hash text primary key,
  operator_pk integer not null references charging_operators(id) on delete cascade,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index charging_operator_tokens_operator on charging_operator_tokens (operator_pk, expires_at);

-- Ids are the operator's own, unique per operator. `info` keeps every T/CEC field as submitted.
create table charging_stations (
  id serial primary key,
  org_id integer not null references organizations(id),
  operator_pk integer not null references charging_operators(id),
  station_id text not null,
  name text not null,
  address text not null default '',
  station_status smallint not null,
  info jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint charging_stations_operator_key unique (operator_pk, station_id)
);

create table charging_equipment (
  id serial primary key,
  org_id integer not null references organizations(id),
  operator_pk integer not null references charging_operators(id),
  station_pk integer not null references charging_stations(id),
  equipment_id text not null,
  name text not null default '',
  equipment_type smallint not null,
  power double precision not null,
  info jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint charging_equipment_operator_key unique (operator_pk, equipment_id)
);
create index charging_equipment_station on charging_equipment (station_pk);

create table charging_cells (
  id serial primary key,
  org_id integer not null references organizations(id),
  operator_pk integer not null references charging_operators(id),
  equipment_pk integer not null references charging_equipment(id),
  cell_id text not null,
  cell_type smallint not null,
  rated_voltage_upper double precision not null,
  rated_voltage_lower double precision not null,
  rated_current double precision not null,
  rated_power double precision not null,
  info jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint charging_cells_operator_key unique (operator_pk, cell_id)
);
create index charging_cells_equipment on charging_cells (equipment_pk);

-- The newest report of each cell (by the report's own time: an older report never overwrites it).
create table charging_cell_status (
  cell_pk integer primary key references charging_cells(id) on delete cascade,
  org_id integer not null references organizations(id),
  status smallint not null,
  ts timestamptz not null,
  voltage double precision,
  current double precision,
  power double precision,
  soc double precision,
  temperature double precision,
  session_energy double precision,
  charging_since timestamptz,
  received_at timestamptz not null default now()
);

-- Charging records (T/CEC charge orders), idempotent on (operator, record id).
create table charging_records (
  id serial primary key,
  org_id integer not null references organizations(id),
  operator_pk integer not null references charging_operators(id),
  record_id text not null,
  station_pk integer not null references charging_stations(id),
  station_id text not null,
  equipment_id text not null,
  cell_id text not null,
  start_at timestamptz not null,
  end_at timestamptz not null,
  start_time text not null,
  end_time text not null,
  total_power double precision not null check (total_power >= 0),
  elec_money double precision not null check (elec_money >= 0),
  service_money double precision not null check (service_money >= 0),
  total_money double precision not null check (total_money >= 0),
  plate_no text,
  phone text,
  stop_reason smallint,
  info jsonb not null,
  pay_state text not null default 'none',
  bill_id text,
  pay_amount_fen integer,
  refunded_fen integer,
  paid_at text,
  pay_event_id bigint,
  created_at timestamptz not null default now(),
  constraint charging_records_operator_key unique (operator_pk, record_id),
  constraint charging_records_span check (start_at < end_at)
);
create index charging_records_org_end on charging_records (org_id, end_at);
create index charging_records_station_end on charging_records (station_pk, end_at);
