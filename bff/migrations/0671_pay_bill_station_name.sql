-- The station's name on each bill (shown to the driver and the admins beside the station id), as it was when
-- the bill was made; earlier bills take the station's current name.
alter table pay_bills add column station_name text not null default '';
update pay_bills b set station_name = s.name
from charging_stations s
where s.operator_pk = b.operator_pk and s.station_id = b.station_id;
