-- The 30-minute rollup cost as much to keep current as the readings themselves; day queries read the
-- readings' stored consumption (delta) for their few days instead, and calendar rebuilds do too.
drop table energy_fine;
