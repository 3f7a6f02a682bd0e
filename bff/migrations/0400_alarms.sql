-- Alarms (seed 002 §6): definitions, rules, per-(rule, source) evaluation state, alarm records with their
-- state history, deliveries with every attempt, WeChat subscription quotas and per-user settings.

-- 6.1–6.4 definitions (报警状态). Deleted ones stay (deleted_at) so old records keep their ids.
create table alarm_definitions (
  id serial primary key,
  org_id integer not null references organizations(id),
  name text not null,
  type smallint not null check (type in (1, 2, 3)),
  level smallint not null check (level in (1, 2, 3)),
  notify smallint not null check (notify in (1, 2, 3, 4)),
  notify_address text not null default '',
  escalate_minutes integer not null default 0,
  escalate_to text not null default '',
  created_at timestamptz not null default now(),
  deleted_at timestamptz
);
create index alarm_definitions_org_idx on alarm_definitions (org_id) where deleted_at is null;

-- 6.5–6.8 rules (报警状态规则). source: a meter (types 1, 2) or a device uid / every BMS device (type 3).
create table alarm_rules (
  id serial primary key,
  org_id integer not null references organizations(id),
  definition_id integer not null references alarm_definitions(id),
  name text not null,
  meter_id integer references meters(id),
  param text not null default '',
  device_uid text not null default '',
  lower_limit double precision not null,
  upper_limit double precision not null,
  delay_seconds integer not null default 0,
  deadband double precision,
  realarm_minutes integer not null default 0,
  created_at timestamptz not null default now(),
  deleted_at timestamptz
);
create index alarm_rules_org_idx on alarm_rules (org_id) where deleted_at is null;
create index alarm_rules_meter_idx on alarm_rules (meter_id) where deleted_at is null;

-- Evaluation state of one rule on one source ('m:<meter id>' or 'd:<device uid>'); locked (FOR UPDATE)
-- by every evaluation, so instances and consumers serialise on it.
create table alarm_points (
  rule_id integer not null references alarm_rules(id),
  source text not null,
  org_id integer not null,
  state jsonb not null,
  shelved_until timestamptz,
  shelve_reason text not null default '',
  shelved_by integer,
  updated_at timestamptz not null default now(),
  primary key (rule_id, source)
);

-- Hourly accumulated energy per (rule, meter, hour) as last evaluated (type 1; late data re-checks it).
create table alarm_hour_values (
  rule_id integer not null references alarm_rules(id),
  meter_id integer not null,
  hour_start timestamptz not null,
  value double precision not null,
  outside boolean not null,
  primary key (rule_id, meter_id, hour_start)
);

-- 6.9 records: one per alarm (a re-trigger while active counts in occurrences). Names are kept as they
-- were when it was raised. state: 1 active-unack, 2 active-ack, 3 cleared-unack, 4 cleared-ack.
create table alarms (
  id serial primary key,
  org_id integer not null references organizations(id),
  rule_id integer not null references alarm_rules(id),
  definition_id integer not null references alarm_definitions(id),
  source text not null,
  meter_id integer,
  machine_id integer,
  device_uid text not null default '',
  type smallint not null,
  level smallint not null,
  notify smallint not null,
  alarm_name text not null,
  rule_name text not null,
  meter_name text not null,
  machine_name text not null,
  param text not null default '',
  lower_limit double precision not null,
  upper_limit double precision not null,
  value double precision not null,
  last_value double precision not null,
  reading_at timestamptz not null,
  raised_at timestamptz not null,
  last_at timestamptz not null,
  occurrences integer not null default 1,
  state smallint not null check (state between 1 and 4),
  cleared_at timestamptz,
  acked_at timestamptz,
  acked_by integer,
  acked_by_name text not null default '',
  ack_comment text not null default '',
  chattering boolean not null default false,
  escalation_level integer not null default 0,
  escalation_job text,
  realarm_count integer not null default 0,
  realarm_job text,
  content text not null
);
-- One active alarm per rule and source, across every instance.
create unique index alarms_one_active on alarms (rule_id, source) where cleared_at is null;
create index alarms_org_time_idx on alarms (org_id, raised_at desc);

create table alarm_history (
  id bigserial primary key,
  alarm_id integer not null references alarms(id),
  org_id integer not null,
  action text not null,
  state smallint not null,
  at timestamptz not null,
  user_id integer,
  user_name text not null default '',
  comment text not null default '',
  value double precision
);
create index alarm_history_alarm_idx on alarm_history (alarm_id, id);

-- One delivery per (alarm, event, recipient, channel): the idempotency key of notification.
-- recipient: 'u:<user id>', 'e:<email>' or 's:<phone>'. channel: 1 platform, 2 SMS, 3 email, 4 WeChat.
create table alarm_deliveries (
  id serial primary key,
  org_id integer not null,
  alarm_id integer not null references alarms(id),
  event text not null,
  recipient text not null,
  user_id integer,
  channel smallint not null,
  status text not null,
  attempts integer not null default 0,
  claimed_until timestamptz,
  not_before timestamptz,
  created_at timestamptz not null,
  sent_at timestamptz,
  read_at timestamptz
);
create unique index alarm_deliveries_key on alarm_deliveries (alarm_id, event, recipient, channel);
create index alarm_deliveries_user_idx on alarm_deliveries (user_id, channel) where read_at is null;
create index alarm_deliveries_status_idx on alarm_deliveries (status, not_before);

create table alarm_delivery_attempts (
  id bigserial primary key,
  delivery_id integer not null references alarm_deliveries(id),
  org_id integer not null,
  attempt_no integer not null,
  at timestamptz not null,
  result text not null,
  answer text not null
);
create index alarm_delivery_attempts_idx on alarm_delivery_attempts (delivery_id, attempt_no);

-- One-time subscribe-message acceptances left per user and template (wx.requestSubscribeMessage).
create table wechat_subscriptions (
  user_id integer not null references users(id),
  template_id text not null,
  org_id integer not null,
  remaining integer not null default 0 check (remaining >= 0),
  updated_at timestamptz not null default now(),
  primary key (user_id, template_id)
);

create table alarm_notify_settings (
  user_id integer primary key references users(id),
  org_id integer not null,
  sms boolean not null default true,
  email boolean not null default true,
  wechat boolean not null default true,
  quiet_start text not null default '',
  quiet_end text not null default '',
  digest_level1 boolean not null default false,
  digest_time text not null default '08:00',
  updated_at timestamptz not null default now()
);
