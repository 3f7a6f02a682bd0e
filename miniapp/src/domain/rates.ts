import type { RateItem } from '@wattdesk/shared';
import { energyName, energyUnit } from './format';

/** One time-of-use segment on the half-hour grid: [begin, end) as "HH:mm", price in 元 per unit. */
export interface Segment {
  begin: string;
  end: string;
  price: string;
}

/** An energy type's rate as the editor shows it. */
export interface Rate {
  type: number;
  name: string;
  unit: string;
  /** Stored name and unit (4.2 `Rate_Name`, `Rate_Unit`), or defaults for a type without a rate. */
  rateName: string;
  rateUnit: string;
  kind: 'none' | 'flat' | 'tou';
  /** Flat price. */
  price: string;
  segments: Segment[];
}

/** "00:00", "00:30", … "24:00": the grid rates are set on. */
export const HALF_HOURS: string[] = Array.from({ length: 49 }, (_, i) => {
  const h = Math.floor(i / 2);
  return `${String(h).padStart(2, '0')}:${i % 2 ? '30' : '00'}`;
});

export const minutesOf = (hm: string): number => {
  const [h, m] = hm.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

const hm = (s: string) => s.slice(0, 5);

/** Every energy type 0–8 with its rate from 4.2's rows (one row per segment), `none` where there is none. */
export function ratesOf(items: readonly RateItem[]): Rate[] {
  return Array.from({ length: 9 }, (_, type) => {
    const rows = items.filter((r) => Number(r.Rate_Type) === type);
    const unit = energyUnit(type);
    const base = {
      type,
      name: energyName(type),
      unit,
      rateName: rows[0]?.Rate_Name ?? `${energyName(type)}单价`,
      rateUnit: rows[0]?.Rate_Unit ?? `元/${unit}`,
    };
    if (!rows.length) return { ...base, kind: 'none', price: '', segments: [] };
    // The seed's own coding: isSegmentation "1" = flat, "0" = segmented.
    if (rows[0]!.isSegmentation === '1')
      return { ...base, kind: 'flat', price: rows[0]!.Rate_Value, segments: [] };
    const segments = rows
      .map((r) => ({ begin: hm(r.Seg_Begin), end: hm(r.Seg_End), price: r.Rate_Value }))
      .sort((a, b) => minutesOf(a.begin) - minutesOf(b.begin));
    return { ...base, kind: 'tou', price: '', segments };
  });
}

const PRICE = /^\d{1,6}(\.\d{1,4})?$/;

/** Why a price cannot be saved, or null. */
export function priceProblem(price: string): string | null {
  if (!price.trim()) return '请填写单价';
  if (!PRICE.test(price.trim())) return '单价须为不小于 0 的数字，最多 4 位小数';
  return null;
}

/**
 * Why segments cannot be saved (in words, naming the segment), or null: each ends after it begins, the
 * first begins at 00:00, each begins where the one before ends, the last ends at 24:00.
 */
export function segmentsProblem(segments: readonly Segment[]): string | null {
  if (!segments.length) return '至少需要一个时段';
  let at = 0;
  for (const [i, s] of segments.entries()) {
    const n = `第 ${i + 1} 段`;
    const b = minutesOf(s.begin);
    const e = minutesOf(s.end);
    if (e <= b) return `${n}的结束时间须晚于开始时间`;
    if (b > at) return `${n}前有空档：${HALF_HOURS[at / 30]} 至 ${s.begin} 没有电价`;
    if (b < at) return `${n}与上一段重叠：${s.begin} 至 ${HALF_HOURS[at / 30]}`;
    const p = priceProblem(s.price);
    if (p) return `${n}：${p}`;
    at = e;
  }
  if (at < 1440) return `${HALF_HOURS[at / 30]} 至 24:00 没有电价，最后一段须到 24:00`;
  return null;
}

/** Extension POST /api_3/rate body for a flat or time-of-use rate. */
export function rateBody(r: Rate, kind: 'flat' | 'tou', price: string, segments: readonly Segment[]) {
  const base = { Rate_Name: r.rateName, Rate_Type: String(r.type), Rate_Unit: r.rateUnit };
  if (kind === 'flat') return { ...base, isSegmentation: '1', Rate_Value: price.trim() };
  return {
    ...base,
    isSegmentation: '0',
    Segments: segments.map((s) => ({
      Seg_Begin: `${s.begin}:00`,
      Seg_End: `${s.end}:00`,
      Rate_Value: s.price.trim(),
    })),
  };
}

/** A segment's tier by price among the rate's prices: 峰 (highest), 谷 (lowest), 平 between. */
export function tierOf(price: string, segments: readonly Segment[]): '峰' | '平' | '谷' {
  const prices = segments.map((s) => Number(s.price));
  const max = Math.max(...prices);
  const min = Math.min(...prices);
  const p = Number(price);
  if (max === min) return '平';
  if (p === max) return '峰';
  if (p === min) return '谷';
  return '平';
}

export const TIER_COLORS = { 峰: '#f53f3f', 平: '#1f6feb', 谷: '#00b42a' } as const;
