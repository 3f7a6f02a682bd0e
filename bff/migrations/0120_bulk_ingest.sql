-- Bulk ingest (readings/bulk.ts): consumption between two consecutive readings of a meter, the same
-- rule as `consumption()` in features/readings/deltas.ts, evaluated set-based over a staged batch.
-- pt/pb: the previous reading's register and base (null: no previous reading); t/b: this reading's;
-- rmax: the meter's register roll-over value (null: none).
create function wd_consumption(pt double precision, pb double precision, t double precision,
                               b double precision, rmax double precision) returns double precision
language sql immutable as $$
  select case
    when pt is null then 0::double precision
    when b + t - (pb + pt) >= 0 then b + t - (pb + pt)
    when b = pb and rmax is not null and pt <= rmax then rmax - pt + t
    else greatest(0::double precision, t)
  end
$$;
