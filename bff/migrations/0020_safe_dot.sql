-- wd_dot (0102) multiplies stored slot sums by prices in double precision: a stored absurd value (a register
-- of 1e308 accepted before plausibility checks, or a denormal price such as 1e-320) overflowed or underflowed
-- it, and every rate change of that energy type failed. wd_safe_dot gives the same sum for every plausible
-- value and can never fail: factors beyond ±1e100 are clamped to it, non-zero factors within 1e-100 of zero
-- (and NaN) count as 0, so no product or sum of 48 terms leaves double precision's range.
create or replace function wd_safe_dot(a double precision[], w double precision[]) returns double precision
language plpgsql immutable as $$
declare
  s double precision := 0;
  x double precision;
  y double precision;
begin
  if a is null or w is null then
    return null;
  end if;
  for i in 1 .. least(array_length(a, 1), array_length(w, 1)) loop
    x := a[i];
    y := w[i];
    if x is null or y is null or x = 0 or y = 0 or x = 'NaN'::float8 or y = 'NaN'::float8 then
      continue;
    end if;
    if abs(x) > 1e100 then
      x := sign(x) * 1e100;
    elsif abs(x) < 1e-100 then
      continue;
    end if;
    if abs(y) > 1e100 then
      y := sign(y) * 1e100;
    elsif abs(y) < 1e-100 then
      continue;
    end if;
    s := s + x * y;
  end loop;
  return s;
end
$$;
