-- The metering meter (hand-filled, not counted into the site total) that carries a station's charging
-- energy into the energy views; created by the charging feature through the metering api.
alter table charging_stations add column meter_id integer;
