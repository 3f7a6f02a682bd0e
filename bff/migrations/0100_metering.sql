-- Metering (seed 002 §2–§4, 5.6): machines, meters, readings (partitioned by month), rollups,
-- hand-filled amounts, rates, business calendar and shifts.
create table machines (
  id serial primary key,
  org_id integer not null references organizations(id),
  name text not null,
  department text not null,
  equipment_code text not null default '',
  equipment_unit_code text not null default '',
  image_key text,
  image_mime text,
  created_at timestamptz not null default now()
);
create unique index machines_org_name_key on machines (org_id, name);

create table meters (
  id serial primary key,
  org_id integer not null references organizations(id),
  machine_id integer not null references machines(id),
  name text not null,
  energy_type smallint not null check (energy_type between 0 and 8),
  remarks text not null default '',
  total_amount double precision not null default 0,
  register_max double precision,
  is_virtual boolean not null default false,
  formula text not null default '',
  is_total boolean not null default false,
  is_count boolean not null default false,
  is_handwork boolean not null default false,
  params text[] not null default '{}',
  created_at timestamptz not null default now()
);
create unique index meters_org_name_key on meters (org_id, name);
create index meters_machine_idx on meters (machine_id);

-- Which meters a virtual meter's formula uses (deletion refuses a meter still used here).
create table meter_formula_refs (
  meter_id integer not null references meters(id) on delete cascade,
  ref_meter_id integer not null references meters(id),
  primary key (meter_id, ref_meter_id)
);
create index meter_formula_refs_ref_idx on meter_formula_refs (ref_meter_id);

-- Register epochs: from replaced_at on, consumption counts from total_before + (register - start_amount).
create table meter_epochs (
  meter_id integer not null references meters(id) on delete cascade,
  replaced_at timestamptz not null,
  total_before double precision not null,
  start_amount double precision not null default 0,
  primary key (meter_id, replaced_at)
);

-- Raw readings. base = total_before - start_amount of the reading's epoch; delta = consumption since
-- the meter's previous reading (0 for its first). Partitions (one per UTC month) are created on demand.
create table readings (
  meter_id integer not null,
  ts timestamptz not null,
  total double precision not null,
  base double precision not null default 0,
  delta double precision not null default 0,
  params jsonb,
  primary key (meter_id, ts)
) partition by range (ts);

-- Hand-filled amounts (5.6): a whole business day or month's consumption of one meter.
create table manual_amounts (
  meter_id integer not null references meters(id) on delete cascade,
  date_type smallint not null check (date_type in (2, 3)),
  period_start timestamptz not null,
  amount double precision not null,
  updated_at timestamptz not null default now(),
  primary key (meter_id, date_type, period_start)
);

-- Rollups, maintained on ingest. fine: 30-minute UTC-aligned buckets; day/month: business periods of
-- the organization's calendar, with the 48 local half-hour slot sums kept for time-of-use cost and shifts.
create table energy_fine (
  meter_id integer not null,
  bucket timestamptz not null,
  amount double precision not null,
  primary key (meter_id, bucket)
);
create table energy_day (
  meter_id integer not null,
  day timestamptz not null,
  amount double precision not null,
  slots double precision[] not null,
  primary key (meter_id, day)
);
create table energy_month (
  meter_id integer not null,
  month timestamptz not null,
  amount double precision not null,
  slots double precision[] not null,
  primary key (meter_id, month)
);
-- Measure-point sums and counts per business day (3.3 averages).
create table param_day (
  meter_id integer not null,
  day timestamptz not null,
  name text not null,
  sum double precision not null,
  n integer not null,
  primary key (meter_id, day, name)
);

-- Rates (4.1/4.2): one row per flat rate or per time-of-use segment; seg_* as "HH:mm:ss".
create table rates (
  id serial primary key,
  org_id integer not null references organizations(id),
  name text not null,
  energy_type smallint not null check (energy_type between 0 and 8),
  value double precision not null default 0,
  segmented boolean not null,
  seg_begin text not null default '',
  seg_begin_rate double precision,
  seg_end text not null default '',
  seg_end_rate double precision,
  unit text not null
);
create index rates_org_idx on rates (org_id, energy_type);
-- Price of each local half hour, derived from rates on every save (cost = slots · prices).
create table rate_prices (
  org_id integer not null references organizations(id),
  energy_type smallint not null,
  prices double precision[] not null,
  primary key (org_id, energy_type)
);

-- Business calendar (4.3/4.4) as given, plus the boundaries it implies.
create table org_calendars (
  org_id integer primary key references organizations(id),
  year_start smallint not null,
  year_end smallint not null,
  month_start smallint not null,
  month_end smallint not null,
  day_start text not null,
  day_end text not null,
  day_minute integer not null,
  month_day integer not null,
  year_month integer not null,
  updated_at timestamptz not null default now()
);

-- Work shifts (extension) for 3.5 Shift_Amounts.
create table org_shifts (
  org_id integer not null references organizations(id),
  position smallint not null,
  name text not null,
  start_min integer not null,
  end_min integer not null,
  primary key (org_id, position)
);

-- Calendar functions used by rollups (mirrors BusinessCalendar in features/calendar/calendar.ts).
create function wd_day_start(b timestamptz, tz text, m integer) returns timestamptz
language sql stable as $$
  select (date_trunc('day', (b at time zone tz) - make_interval(mins => m)) + make_interval(mins => m)) at time zone tz
$$;

create function wd_month_start(b timestamptz, tz text, m integer, md integer) returns timestamptz
language sql stable as $$
  with d as (select date_trunc('day', (b at time zone tz) - make_interval(mins => m)) as day),
  k as (
    select case
      when extract(day from day) >= least(md, extract(day from date_trunc('month', day) + interval '1 month' - interval '1 day'))
      then date_trunc('month', day)
      else date_trunc('month', day) - interval '1 month'
    end as mon from d
  )
  select (mon + make_interval(
    days => least(md, extract(day from mon + interval '1 month' - interval '1 day')::integer) - 1,
    mins => m)) at time zone tz
  from k
$$;

create function wd_slot(b timestamptz, tz text) returns integer
language sql stable as $$
  select (extract(hour from b at time zone tz) * 2 + floor(extract(minute from b at time zone tz) / 30))::integer
$$;

-- 48 zeros with v at slot s (0-based).
create function wd_slot_array(s integer, v double precision) returns double precision[]
language sql immutable as $$
  select array_agg(case when i = s then v else 0 end order by i) from generate_series(0, 47) as i
$$;

create function wd_add_slots(a double precision[], b double precision[]) returns double precision[]
language sql immutable strict as $$
  select array_agg(x + y order by i) from unnest(a, b) with ordinality as t(x, y, i)
$$;

create aggregate wd_slots_sum(double precision[]) (sfunc = wd_add_slots, stype = double precision[]);

-- Dot product of slot sums with per-slot weights (prices, shift masks); null weights give null.
create function wd_dot(a double precision[], w double precision[]) returns double precision
language sql immutable as $$
  select sum(x * y) from unnest(a, w) as t(x, y)
$$;
