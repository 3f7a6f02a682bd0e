import type { AlarmMessageItem } from '@wattdesk/shared';
import { fetchMeasure } from '../../api/alarms';
import { fetchDetailEnergy } from '../../api/energy';
import type { TrendSeries } from '../../components/trend-option';
import { earlierLocal, paramLabel, shiftLocal, unitOf } from '../../domain/alarms';

/** A chart of the alarm's value around its reading, with the limits as two flat lines. */
export interface AlarmTrend {
  labels: string[];
  series: TrendSeries[];
  /** The unit of the value and the limits (axis and tooltip). */
  unit: string;
  /** What the chart covers, in words. */
  caption: string;
}

/** The rule's limits as two labelled flat lines (lower dashed, upper dotted); a side without a limit has none. */
const limitLines = (a: AlarmMessageItem, n: number): TrendSeries[] =>
  (
    [
      ['下限', a.LowerLimit, 'lower'],
      ['上限', a.UpperLimit, 'upper'],
    ] as const
  )
    .filter(([, v]) => v !== null && v !== undefined && Number.isFinite(Number(v)))
    .map(([name, v, limit]) => ({ name, values: new Array<number>(n).fill(Number(v)), limit }));

/**
 * Type 2: the parameter from 2 hours before the reading to 1 hour after, every 5 minutes (3.3);
 * type 1: the meter's hourly consumption 12 hours either side (3.2 by meter). Never past `now`.
 * Type 3 (a device's own alarm count) has no series to draw: null.
 */
export async function loadTrend(a: AlarmMessageItem, now: string): Promise<AlarmTrend | null> {
  const at = a.Reading_Time || a.Alarm_Time;
  if (a.Alarm_Type === 2 && a.Meter_Name && a.Meter_Parameter) {
    const rows = await fetchMeasure({
      meter: a.Meter_Name,
      param: a.Meter_Parameter,
      start: shiftLocal(at, -120),
      end: earlierLocal(shiftLocal(at, 60), now),
      minutes: 5,
    });
    const points = rows.filter((r) => r.Measure_Value !== '' && Number.isFinite(Number(r.Measure_Value)));
    return {
      labels: points.map((r) => r.Time.slice(11, 16)),
      series: [
        { name: paramLabel(a.Meter_Parameter), values: points.map((r) => Number(r.Measure_Value)) },
        ...limitLines(a, points.length),
      ],
      unit: unitOf(2, a.Meter_Parameter),
      caption: '读数前 2 小时至后 1 小时，每 5 分钟',
    };
  }
  if (a.Alarm_Type === 1 && a.Meter_Name) {
    const hour = `${at.slice(0, 13)}:00:00`;
    const rows = await fetchDetailEnergy({
      timeType: 3,
      amountType: 2,
      names: [a.Meter_Name],
      period: { start: shiftLocal(hour, -12 * 60), end: earlierLocal(shiftLocal(hour, 12 * 60), now) },
    });
    return {
      labels: rows.map((r) => r.Time.slice(11, 16)),
      series: [
        { name: '每小时用量', values: rows.map((r) => Number(r.Total_Amount)) },
        ...limitLines(a, rows.length),
      ],
      unit: unitOf(1),
      caption: '告警所在小时前后各 12 小时',
    };
  }
  return null;
}
