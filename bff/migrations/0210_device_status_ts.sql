-- Presence ordered by the device's own session timestamp (status `ts`, or the receive time of a bare
-- status): a status older than the stored one is stale and never applied, so every instance may
-- process the retained statuses the broker delivers and the newest one wins.
alter table devices add column status_ts bigint;
