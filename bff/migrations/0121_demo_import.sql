-- The demo organization's readings import (demo mode's first start): what it loads, how far it got,
-- so a start stopped mid-import resumes where it stopped and the app can show the progress.
create table demo_imports (
  org_id integer primary key references organizations(id),
  -- site: machines and meters being created; readings: the history is being imported; done; failed.
  state text not null check (state in ('site', 'readings', 'done', 'failed')),
  -- What regenerates the same site and readings: its first local date, days and time zone.
  start_date text not null,
  days integer not null,
  time_zone text not null,
  -- Generated meter key -> meter id.
  meter_ids jsonb not null default '{}',
  total integer not null,
  -- Readings of the generated sequence imported so far (the sequence is deterministic).
  done integer not null default 0,
  error text,
  started_at timestamptz not null,
  updated_at timestamptz not null,
  finished_at timestamptz
);
