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

/** The output entry form's values (8.6), as typed. */
export interface OutputDraft {
  Product_id?: number;
  Meter_Superior_id?: number;
  ProductBatch_id?: number;
  Total_Amount: string;
  Reject_Amount: string;
  Time_Start: string;
  Time_End: string;
}

const LOCAL = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Checks a draft before sending; the messages are the form's own (the BFF checks again). */
export function checkDraft(d: OutputDraft): Record<string, string> {
  const e: Record<string, string> = {};
  if (!d.Product_id) e.Product_id = '请选择产品';
  if (!d.Meter_Superior_id) e.Meter_Superior_id = '请选择机器';
  if (!d.ProductBatch_id) e.ProductBatch_id = '请选择生产批次';
  const amount = Number(d.Total_Amount);
  if (!d.Total_Amount.trim() || !Number.isFinite(amount) || amount < 0)
    e.Total_Amount = '请输入不小于 0 的产量';
  if (d.Reject_Amount.trim()) {
    const r = Number(d.Reject_Amount);
    if (!Number.isFinite(r) || r < 0) e.Reject_Amount = '请输入不小于 0 的数量';
    else if (r > amount) e.Reject_Amount = '不合格数量不能大于产量';
  }
  if (!LOCAL.test(d.Time_Start)) e.Time_Start = '格式为 YYYY-MM-DD HH:mm:ss';
  if (!LOCAL.test(d.Time_End)) e.Time_End = '格式为 YYYY-MM-DD HH:mm:ss';
  else if (!e.Time_Start && d.Time_End <= d.Time_Start) e.Time_End = '结束时间必须晚于开始时间';
  return e;
}
