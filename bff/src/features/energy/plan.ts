import { invalid } from '../../core/errors';
import { parseLocal } from '../../core/time';
import {
  buckets,
  defaultInterval,
  TooManyBuckets,
  type BusinessCalendar,
  type Bucket,
  type TimeType,
} from '../calendar/calendar';

/** Most buckets one query may produce (e.g. 1,000 hours ≈ 41 days of hourly buckets). */
export const MAX_BUCKETS = 1000;

/**
 * Which stored figures answer a query: month or day rollups, the readings' stored consumption (day
 * queries: a few days of readings), or `raw`: consumption re-derived from the registers (verification).
 */
export type Level = 'month' | 'day' | 'readings' | 'raw';

/** The time side of an energy or measure query, resolved in the organization's calendar. */
export interface TimePlan {
  type: TimeType;
  interval: number;
  buckets: Bucket[];
  level: Level;
}

/** Checks `Time_Start`/`Time_End`/`Time_Interval` and lays out the buckets (4103 naming the field on error). */
export function planTime(
  cal: BusinessCalendar,
  q: { Time_Type: number; Time_Start: string; Time_End: string; Time_Interval?: number },
  force?: 'raw',
): TimePlan {
  const type = q.Time_Type as TimeType;
  const from = parseLocal(q.Time_Start, cal.rule.tz);
  if (!from) throw invalid('Time_Start', '不是有效的日期时间');
  const to = parseLocal(q.Time_End, cal.rule.tz);
  if (!to) throw invalid('Time_End', '不是有效的日期时间');
  if (to.getTime() < from.getTime()) throw invalid('Time_End', 'Time_End 不能早于 Time_Start');
  const interval = q.Time_Interval ?? defaultInterval(type);
  if (type === 1 && interval > 120) throw invalid('Time_Interval', '按年查询时间隔单位为月，最多 120');
  if (type === 2 && interval > 366) throw invalid('Time_Interval', '按月查询时间隔单位为天，最多 366');
  let list: Bucket[];
  try {
    list = buckets(cal, type, from.getTime(), to.getTime(), interval, MAX_BUCKETS);
  } catch (err) {
    if (err instanceof TooManyBuckets)
      throw invalid(
        'Time_End',
        `时间段过多：Time_Start 至 Time_End 按此间隔超过 ${MAX_BUCKETS} 个时间段，请缩小范围或加大 Time_Interval`,
      );
    throw err;
  }
  const level: Level = force ?? (type === 1 ? 'month' : type === 2 ? 'day' : 'readings');
  return { type, interval, buckets: list, level };
}
