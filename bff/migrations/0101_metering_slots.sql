-- A faster slot-array sum for the rollup upserts on the ingest path (a loop beats unnest + array_agg).
create or replace function wd_add_slots(a double precision[], b double precision[]) returns double precision[]
language plpgsql immutable strict as $$
declare
  r double precision[] := a;
begin
  for i in 1 .. array_length(b, 1) loop
    r[i] := coalesce(r[i], 0) + b[i];
  end loop;
  return r;
end
$$;
