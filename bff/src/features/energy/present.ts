/** An amount or cost as the seed writes it: a string with two decimals ("10.00"). */
export function money(x: number): string {
  const r = Math.round(x * 100) / 100;
  return (Object.is(r, -0) ? 0 : r).toFixed(2);
}

/** A measure value: up to three decimals, no trailing zeros. */
export function measureValue(x: number): string {
  const r = Math.round(x * 1000) / 1000;
  return String(Object.is(r, -0) ? 0 : r);
}
