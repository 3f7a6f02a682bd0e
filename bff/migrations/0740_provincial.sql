-- Provincial energy-monitoring platform (seed 002 §5, docs/provincial-adapter.md).

-- Where and as whom an organization reaches its platform; the secret is encrypted (AES-256-GCM).
create table prp_connections (
  org_id integer primary key references organizations(id),
  base_url text not null,
  access_key text not null,
  secret_enc text not null,
  updated_at timestamptz not null default now()
);

-- 5.2/5.3 the enterprise information as saved (validated), and the platform's versions and code lists
-- (5.1 cache, 5.4 answer) of the organization's platform.
create table prp_orgs (
  org_id integer primary key references organizations(id),
  infos jsonb,
  infos_updated_at timestamptz,
  dic_version text,
  lists jsonb,
  lists_fetched_at timestamptz,
  known_dic_version text,
  version jsonb
);

-- Collect items (5.2 collectItemConfig): identity by their codes and meter, numbered within the
-- enterprise in the order they first appeared (the number is part of the platform's dataCode).
create table prp_items (
  id serial primary key,
  org_id integer not null references organizations(id),
  item_no integer not null,
  item_key text not null,
  meter_id integer not null,
  stat_type text not null,
  config jsonb not null,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  constraint prp_items_org_key unique (org_id, item_key),
  constraint prp_items_org_no unique (org_id, item_no)
);

-- What is to be sent: 1 enterprise information, 2 version update, 3 one item's figure of one period
-- (revision 0, then one row per correction). Never two rows for the same (item, period, revision).
create table prp_uploads (
  id serial primary key,
  org_id integer not null references organizations(id),
  operation_type smallint not null,
  item_id integer references prp_items(id),
  period_start timestamptz,
  period_end timestamptz,
  revision integer not null default 0,
  value double precision,
  payload jsonb,
  state text not null default 'pending',
  attempts integer not null default 0,
  created_at timestamptz not null,
  finished_at timestamptz,
  constraint prp_uploads_state check (state in ('pending', 'sent', 'failed', 'superseded'))
);
create unique index prp_uploads_item_period on prp_uploads (item_id, period_start, revision) where item_id is not null;
create index prp_uploads_org_period on prp_uploads (org_id, period_end, period_start) where item_id is not null;

-- 5.7 every exchange with the platform (each attempt), as sent and as answered.
create table prp_exchanges (
  id serial primary key,
  org_id integer not null references organizations(id),
  upload_id integer not null references prp_uploads(id),
  operation_type smallint not null,
  attempt integer not null,
  target_url text not null,
  original_data jsonb,
  response_data jsonb,
  result smallint not null,
  upload_time timestamptz not null
);
create index prp_exchanges_org_time on prp_exchanges (org_id, upload_time);
create index prp_exchanges_org_op on prp_exchanges (org_id, operation_type, id);
