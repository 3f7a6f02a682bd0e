import type { BatchStatisticRow, CoalFactorItem, ShiftItem } from '@wattdesk/shared';
import { addDays, formatWall, type Wall } from './periods';

/** Comprehensive consumption in tce of energy totals by type, with the factors (kgce per unit). */
export function tceOf(
  figures: readonly { type: string; amount: number }[],
  factors: readonly CoalFactorItem[],
): { tce: number; missing: string[] } {
  const by = new Map(factors.map((f) => [String(f.Energy_Type), f.Factor]));
  let kg = 0;
  const missing: string[] = [];
  for (const f of figures) {
    const k = by.get(f.type);
    if (k === undefined) missing.push(f.type);
    else kg += f.amount * k;
  }
  return { tce: kg / 1000, missing };
}

const minutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/**
 * The shift running at wall-clock `now` and its start and end ("YYYY-MM-DD HH:mm:ss"); a shift may
 * cross midnight (20:00–08:00). Null when no shift covers `now`.
 */
export function currentShift(
  shifts: readonly ShiftItem[],
  now: Wall,
): { name: string; start: string; end: string } | null {
  for (const s of shifts) {
    const a = minutes(s.Shift_Start);
    let b = minutes(s.Shift_End);
    if (b <= a) b += 1440;
    for (const dayOffset of [0, -1]) {
      const t = now.min - dayOffset * 1440;
      if (t >= a && t < b) {
        const day = addDays({ ...now, min: 0 }, dayOffset);
        const start = { ...day, min: a };
        const end = b >= 1440 ? { ...addDays(day, 1), min: b - 1440 } : { ...day, min: b };
        return { name: s.Shift_Name, start: formatWall(start), end: formatWall(end) };
      }
    }
  }
  return null;
}

/** The best (lowest unit consumption) and worst batches, from rows ordered ascending; no figure left out. */
export function rankBatches(rows: readonly BatchStatisticRow[], n = 3) {
  const valued = rows.filter((r) => r.Total_Amount !== null);
  const best = valued.slice(0, n);
  const worst = valued.slice(Math.max(n, valued.length - n)).reverse();
  return { best, worst, unit: valued[0]?.Unit ?? '' };
}

/** Change of this month's figure against last month's, in percent; null when either is missing or 0. */
export function changePercent(now: number | null, before: number | null): number | null {
  if (now === null || before === null || before === 0) return null;
  return ((now - before) / before) * 100;
}
