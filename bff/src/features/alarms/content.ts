import type { PointRef } from './engine';

/** A number as people read it: at most 4 decimals, no float noise. */
export const readable = (v: number): string => String(Number(v.toFixed(4)));

/** `Alarm_Content`: what happened, in words a manager reads on the phone. */
export function alarmContent(ref: PointRef, value: number): string {
  if (ref.note) return ref.note;
  const { lowerLimit: lo, upperLimit: hi } = ref.rule;
  const side =
    value < lo
      ? `低于下限 ${readable(lo)}`
      : value > hi
        ? `高于上限 ${readable(hi)}`
        : `限值 ${readable(lo)}~${readable(hi)}`;
  switch (ref.rule.def.type) {
    case 1:
      return `${ref.machineName} ${ref.meterName} 小时累计用量 ${readable(value)}，${side}`;
    case 2:
      return `${ref.machineName} ${ref.meterName} ${ref.rule.param} = ${readable(value)}，${side}`;
    default:
      return `设备 ${ref.meterName} BMS 报警数 ${readable(value)}，请到设备页执行故障复位`;
  }
}
