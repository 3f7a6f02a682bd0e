-- When each cell existed, and in which station: one span from its creation (or its move into the station)
-- to its deletion (or its move out); to_at null while it is still there. Utilisation per day divides the
-- charging time by (the cells that existed at some time of that day × the day's length), so a cell added
-- today does not lower yesterday's.
create table charging_cell_spans (
  id serial primary key,
  org_id integer not null references organizations(id),
  -- An operator that may be deleted (no stations, no records left) takes its cells' history along.
  operator_pk integer not null references charging_operators(id) on delete cascade,
  -- No foreign key: the span outlives its deleted cell.
  cell_pk integer not null,
  cell_id text not null,
  station_id text not null,
  from_at timestamptz not null,
  to_at timestamptz,
  constraint charging_cell_spans_order check (to_at is null or to_at >= from_at)
);
create index charging_cell_spans_org on charging_cell_spans (org_id, from_at);
create unique index charging_cell_spans_open on charging_cell_spans (cell_pk) where to_at is null;

-- Cells that exist now: from their creation. (Cells deleted before this migration left no trace.)
insert into charging_cell_spans (org_id, operator_pk, cell_pk, cell_id, station_id, from_at)
select c.org_id, c.operator_pk, c.id, c.cell_id, s.station_id, c.created_at
from charging_cells c
join charging_equipment e on e.id = c.equipment_pk
join charging_stations s on s.id = e.station_pk;
