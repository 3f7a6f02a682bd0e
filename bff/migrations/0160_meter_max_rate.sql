-- Plausibility (readings/validate.ts): the most a meter can register per hour, in its unit (kWh, m³, t).
-- Null: the documented default of its energy type (MAX_RATE_PER_HOUR).
alter table meters add column max_rate double precision check (max_rate > 0);
