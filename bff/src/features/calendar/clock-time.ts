/** "HH:mm:ss" (grid-checked by the schema; "24:00:00" allowed) → minutes after midnight. */
export function parseHalfHour(s: string): number {
  const [h, m] = s.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** Minutes after midnight → "HH:mm:ss". */
export function formatHalfHour(min: number): string {
  const h = Math.floor(min / 60);
  const m = min % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`;
}
