-- Issue 11 item 5: paying a finished charging session's bill with WeChat Pay.

-- Drivers: WeChat-only identities (openid under the mini-program's appid), no organization account.
create table pay_drivers (
  id serial primary key,
  appid text not null,
  openid text not null,
  created_at timestamptz not null default now(),
  last_login_at timestamptz not null default now(),
  constraint pay_drivers_appid_openid_key unique (appid, openid)
);

-- Driver tokens (their own kind: `drv_…`, never accepted as a manager session); only the SHA-256 is kept.
create table pay_driver_sessions (
  token_hash text primary key,
  driver_id integer not null references pay_drivers(id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index pay_driver_sessions_driver_idx on pay_driver_sessions (driver_id);

-- One bill per charging record with an amount (event charging.record.submitted); amounts in fen.
create table pay_bills (
  id serial primary key,
  org_id integer not null references organizations(id),
  record_pk integer not null,
  operator_pk integer not null,
  operator_id text not null,
  record_id text not null,
  station_id text not null,
  equipment_id text not null,
  cell_id text not null,
  start_time timestamptz not null,
  end_time timestamptz not null,
  total_power double precision not null,
  amount_fen integer not null check (amount_fen > 0),
  elec_fen integer not null check (elec_fen >= 0),
  service_fen integer not null check (service_fen >= 0),
  plate_no text not null default '',
  phone text not null default '',
  driver_id integer references pay_drivers(id),
  claimed_at timestamptz,
  state text not null default 'unpaid'
    check (state in ('unpaid', 'paying', 'paid', 'closed', 'refunding', 'refunded', 'partially_refunded')),
  out_trade_no text,
  transaction_id text,
  paid_at timestamptz,
  refunded_fen integer not null default 0 check (refunded_fen >= 0 and refunded_fen <= amount_fen),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint pay_bills_record_pk_key unique (record_pk)
);
create index pay_bills_cell_idx on pay_bills (operator_id, cell_id, end_time);
create index pay_bills_org_idx on pay_bills (org_id, end_time);
create index pay_bills_driver_idx on pay_bills (driver_id);

-- WeChat Pay orders of a bill (a closed one is followed by a new one); at most one open per bill.
create table pay_orders (
  out_trade_no text primary key,
  bill_id integer not null references pay_bills(id),
  org_id integer not null references organizations(id),
  amount_fen integer not null,
  openid text not null,
  state text not null default 'open' check (state in ('open', 'paid', 'closed')),
  prepay_id text,
  expires_at timestamptz not null,
  transaction_id text,
  paid_at timestamptz,
  closed_at timestamptz,
  created_at timestamptz not null default now(),
  constraint pay_orders_transaction_id_key unique (transaction_id)
);
create unique index pay_orders_one_open_idx on pay_orders (bill_id) where state = 'open';

-- Every verified notification once (WeChat's event id), written in the transaction that applied it.
create table pay_notifications (
  id text primary key,
  event_type text not null,
  out_trade_no text not null,
  received_at timestamptz not null default now()
);

-- Refunds, idempotent by out_refund_no (= "<org id>-<the admin client's Refund_No>").
create table pay_refunds (
  out_refund_no text primary key,
  refund_no text not null,
  bill_id integer not null references pay_bills(id),
  org_id integer not null references organizations(id),
  out_trade_no text not null,
  amount_fen integer not null check (amount_fen > 0),
  reason text not null,
  state text not null default 'processing' check (state in ('processing', 'success', 'closed', 'abnormal')),
  refund_id text,
  requested_by integer not null,
  created_at timestamptz not null default now(),
  done_at timestamptz
);
create index pay_refunds_bill_idx on pay_refunds (bill_id);

-- Daily reconciliation against WeChat Pay's trade bill: runs and the differences they found.
create table pay_recon_runs (
  bill_date text primary key,
  ran_at timestamptz not null,
  trades integer not null,
  differences integer not null
);
create table pay_recon_diffs (
  id serial primary key,
  bill_date text not null,
  org_id integer references organizations(id),
  out_trade_no text not null,
  bill_id integer references pay_bills(id),
  kind text not null,
  ours_fen integer,
  theirs_fen integer,
  detail text not null default '',
  found_at timestamptz not null,
  constraint pay_recon_diffs_key unique (bill_date, out_trade_no, kind)
);
create index pay_recon_diffs_org_idx on pay_recon_diffs (org_id, bill_date);
