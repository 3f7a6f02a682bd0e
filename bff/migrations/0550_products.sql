-- Products, outputs and batches (seed 002 §8) and the standard-coal factors (折标系数) per energy type.

-- 8.1–8.4 products; the name is unique per organization.
create table products (
  id serial primary key,
  org_id integer not null references organizations(id),
  name text not null,
  unit text not null default '',
  remarks text not null default '',
  created_at timestamptz not null default now(),
  constraint products_org_name_key unique (org_id, name)
);

-- 8.10–8.13 production batches; the name is unique per organization.
create table product_batches (
  id serial primary key,
  org_id integer not null references organizations(id),
  name text not null,
  time_start timestamptz not null,
  time_end timestamptz not null,
  created_at timestamptz not null default now(),
  constraint product_batches_org_name_key unique (org_id, name),
  constraint product_batches_span check (time_start <= time_end)
);

-- 8.5–8.8 outputs: what a machine produced of a product in a batch over [time_start, time_end).
-- Products, batches and machines that outputs use cannot be deleted (the foreign keys refuse it).
create table product_outputs (
  id serial primary key,
  org_id integer not null references organizations(id),
  product_id integer not null references products(id),
  machine_id integer not null references machines(id),
  batch_id integer not null references product_batches(id),
  total_amount double precision not null check (total_amount >= 0),
  reject_amount double precision check (reject_amount >= 0 and reject_amount <= total_amount),
  time_start timestamptz not null,
  time_end timestamptz not null,
  created_at timestamptz not null,
  constraint product_outputs_span check (time_start < time_end)
);
create index product_outputs_org_idx on product_outputs (org_id, time_start);
create index product_outputs_machine_idx on product_outputs (machine_id, time_start);
create index product_outputs_product_idx on product_outputs (product_id);
create index product_outputs_batch_idx on product_outputs (batch_id);

-- Standard-coal factors an organization set (kgce per unit of the energy type); no row = the default.
create table coal_factors (
  org_id integer not null references organizations(id),
  energy_type smallint not null check (energy_type between 0 and 8),
  factor double precision not null check (factor > 0),
  source text not null default '',
  updated_at timestamptz not null default now(),
  primary key (org_id, energy_type)
);
