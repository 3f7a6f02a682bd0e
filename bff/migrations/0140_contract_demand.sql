-- Contracted (maximum) demand of an organization's supply in kW (extension): home compares today's
-- peak demand against it. No row = not set.
create table org_contract_demand (
  org_id integer primary key references organizations(id),
  contract_kw double precision not null check (contract_kw > 0),
  updated_at timestamptz not null default now()
);
