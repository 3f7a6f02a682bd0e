import { formatHalfHour, parseHalfHour } from '../calendar/clock-time';

/** A time-of-use segment: wall-clock [begin, end) in minutes (end may be ≤ begin: crosses midnight). */
export interface Segment {
  begin: number;
  end: number;
  price: number;
}

/** Why a set of segments does not cover a day exactly once. */
export class SegmentError extends Error {}

/** Segments from "HH:mm:ss" strings. */
export const segment = (begin: string, end: string, price: number): Segment => ({
  begin: parseHalfHour(begin) % 1440,
  end: parseHalfHour(end) % 1440,
  price,
});

/**
 * The price of each local half hour (48 slots) of a time-of-use rate. The segments must cover the
 * day exactly once: an overlap or a gap is an error naming the half hour where it happens.
 */
export function slotPrices(segments: Segment[]): number[] {
  if (!segments.length) throw new SegmentError('分段费率至少需要一个时段');
  const prices = new Array<number | undefined>(48);
  for (const s of segments) {
    if (s.begin === s.end && segments.length > 1)
      throw new SegmentError(`时段 ${formatHalfHour(s.begin)} 开始又在同一时刻结束，与其他时段重叠`);
    let m = s.begin;
    do {
      const slot = m / 30;
      if (prices[slot] !== undefined) throw new SegmentError(`时段重叠：${formatHalfHour(m)} 被多个时段覆盖`);
      prices[slot] = s.price;
      m = (m + 30) % 1440;
    } while (m !== s.end);
  }
  const gap = prices.findIndex((p) => p === undefined);
  if (gap >= 0) throw new SegmentError(`时段有空缺：${formatHalfHour(gap * 30)} 起没有费率`);
  return prices as number[];
}

/** A flat rate as 48 equal slot prices. */
export const flatPrices = (price: number): number[] => new Array<number>(48).fill(price);
