-- Foundation: organizations, users, sessions, audit log, WeChat identities.
create table organizations (
  id serial primary key,
  name text not null,
  time_zone text not null default 'Asia/Shanghai',
  created_at timestamptz not null default now()
);

create table users (
  id serial primary key,
  org_id integer not null references organizations(id),
  name text not null,
  email text not null,
  password_hash text not null,
  role text not null check (role in ('admin', 'operator', 'viewer')),
  grants text[] not null default '{}',
  phone text not null default '',
  xcx_title text not null default '',
  company text not null default '',
  province text not null default '',
  city text not null default '',
  detail_addr text not null default '',
  area text not null default '',
  failed_logins integer not null default 0,
  locked_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index users_name_key on users (lower(name));
create index users_org_idx on users (org_id);

create table sessions (
  id uuid primary key default gen_random_uuid(),
  token_hash text not null unique,
  user_id integer not null references users(id) on delete cascade,
  org_id integer not null references organizations(id),
  kind text not null check (kind in ('password', 'wechat')),
  ip text,
  user_agent text,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);
create index sessions_user_idx on sessions (user_id);

create table audit_log (
  id bigserial primary key,
  org_id integer references organizations(id),
  actor_user_id integer references users(id) on delete set null,
  action text not null,
  target text,
  ip text,
  detail jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index audit_log_org_idx on audit_log (org_id, created_at desc);

create table wechat_identities (
  id serial primary key,
  appid text not null,
  openid text not null,
  unionid text,
  user_id integer not null unique references users(id) on delete cascade,
  org_id integer not null references organizations(id),
  nick_name text,
  avatar_url text,
  phone text,
  bound_at timestamptz not null default now(),
  unique (appid, openid)
);
