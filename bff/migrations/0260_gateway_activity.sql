-- What a meter gateway has: the batches it sent (with how many readings ingest kept and refused), the
-- meters it reports with their latest kept reading, and every presence change of a device over time.
create table gateway_batches (
  id bigserial primary key,
  org_id integer not null,
  device_id integer not null references devices(id) on delete cascade,
  received_at timestamptz not null,
  readings integer not null,
  accepted integer not null,
  refused integer not null,
  -- The first few refusals as ingest named them: [{index, field, rule}].
  errors jsonb not null default '[]'
);
create index gateway_batches_device_idx on gateway_batches (device_id, received_at desc, id desc);

create table gateway_meters (
  device_id integer not null references devices(id) on delete cascade,
  meter_id integer not null,
  org_id integer not null,
  -- Latest kept reading of this meter from this gateway (device time, epoch ms) and its register.
  last_ts bigint not null,
  last_total double precision,
  reported_at timestamptz not null,
  primary key (device_id, meter_id)
);

-- One row per applied `device.status` event; (device, ts, online) identifies it (events arrive at least once).
create table device_status_history (
  id bigserial primary key,
  org_id integer not null,
  device_id integer not null references devices(id) on delete cascade,
  online boolean not null,
  ts bigint not null,
  at timestamptz not null
);
create unique index device_status_history_key on device_status_history (device_id, ts, online);
create index device_status_history_device_idx on device_status_history (device_id, at desc, id desc);
