-- Reports (seed 002 §3.4): generated xlsx files, kept per organization and served only to it.
-- Generating the same report again replaces the file (the seed's names carry no version).
create table reports (
  id bigserial primary key,
  org_id integer not null references organizations(id),
  file_name text not null,
  content bytea not null,
  created_by integer references users(id) on delete set null,
  created_at timestamptz not null default now(),
  unique (org_id, file_name)
);
