-- Cost kept in the day and month rollups (slots · the type's 48 half-hour prices), so year and month
-- queries only add numbers; rate changes and meter type changes re-derive it from the slot sums.
alter table energy_day add column cost double precision not null default 0;
alter table energy_month add column cost double precision not null default 0;

create or replace function wd_dot(a double precision[], w double precision[]) returns double precision
language plpgsql immutable as $$
declare
  s double precision := 0;
begin
  if a is null or w is null then
    return null;
  end if;
  for i in 1 .. least(array_length(a, 1), array_length(w, 1)) loop
    s := s + a[i] * w[i];
  end loop;
  return s;
end
$$;

update energy_day d set cost = coalesce(wd_dot(d.slots, p.prices), 0)
from meters m join rate_prices p on p.org_id = m.org_id and p.energy_type = m.energy_type
where m.id = d.meter_id;
update energy_month d set cost = coalesce(wd_dot(d.slots, p.prices), 0)
from meters m join rate_prices p on p.org_id = m.org_id and p.energy_type = m.energy_type
where m.id = d.meter_id;
