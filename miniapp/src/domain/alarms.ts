/**
 * Alarm vocabulary of seed 002 §6 in plain Chinese: levels with their colours, types, notification
 * channels, the four lifecycle states (plus shelving), measure points with units, durations and the
 * seed's local times.
 */
import { formatNumber, formatWithUnit } from './format';

/** 6.1 `Alarm_Level`: 1 一般, 2 警告, 3 严重; `tag` is the NutUI Tag type that colours it. */
export const alarmLevels = {
  1: { name: '一般', tag: 'primary', color: '#1f6feb' },
  2: { name: '警告', tag: 'warning', color: '#d46b08' },
  3: { name: '严重', tag: 'danger', color: '#cf1322' },
} as const;
export type AlarmLevel = keyof typeof alarmLevels;

/** 6.1 `Alarm_Type`: 1 a machine meter's hourly energy, 2 an instantaneous parameter, 3 (extension) a BMS fault. */
export const alarmTypes = {
  1: { name: '每小时累计能耗', short: '能耗' },
  2: { name: '瞬时参数', short: '参数' },
  3: { name: '设备故障', short: '设备' },
} as const;
export type AlarmType = keyof typeof alarmTypes;

/** 6.1 `Alarm_Notify`: the channel a definition notifies by, and what its address holds. */
export const alarmNotifies = {
  1: { name: '平台通知', address: '接收人用户名，多个用逗号分隔；留空为全体成员' },
  2: { name: '短信通知', address: '手机号，多个用逗号分隔' },
  3: { name: '邮箱通知', address: '邮箱，多个用逗号分隔' },
  4: { name: '微信通知', address: '已绑定微信的用户名，多个用逗号分隔' },
} as const;
export type AlarmNotify = keyof typeof alarmNotifies;

/** `Alarm_State` (extension): the four lifecycle states of ISA-18.2 / ThingsBoard. */
export const alarmStates = {
  1: { name: '未确认', tag: 'danger', active: true },
  2: { name: '已确认', tag: 'warning', active: true },
  3: { name: '已恢复（未确认）', tag: 'primary', active: false },
  4: { name: '已恢复', tag: 'default', active: false },
} as const;
export type AlarmState = keyof typeof alarmStates;

/** What a record's state tag says: shelving shows over the state it hides. */
export function stateLabel(a: { Alarm_State: number; Shelved?: number }): { name: string; tag: string } {
  if (a.Shelved) return { name: '已搁置', tag: 'default' };
  const s = alarmStates[a.Alarm_State as AlarmState];
  return s ? { name: s.name, tag: s.tag } : { name: '状态未知', tag: 'default' };
}

/** A name for any code, with a readable fallback when the server sends one this build does not know. */
export function levelName(level: number): string {
  return alarmLevels[level as AlarmLevel]?.name ?? `级别 ${level}`;
}
export function typeName(type: number): string {
  return alarmTypes[type as AlarmType]?.name ?? `类型 ${type}`;
}
export function notifyName(notify: number): string {
  return alarmNotifies[notify as AlarmNotify]?.name ?? `通知方式 ${notify}`;
}
export function levelTag(level: number): string {
  return alarmLevels[level as AlarmLevel]?.tag ?? 'default';
}
/** True while the condition still holds (states 1 and 2). */
export function isActive(state: number): boolean {
  return alarmStates[state as AlarmState]?.active ?? false;
}
/** True when somebody still has to acknowledge it (states 1 and 3). */
export function needsAck(state: number): boolean {
  return state === 1 || state === 3;
}

/** Measure points (002 `Meter_Parameter`) the site's meters report, with names and units. */
const params: Record<string, { name: string; unit: string }> = {
  UA: { name: 'A 相电压', unit: 'V' },
  UB: { name: 'B 相电压', unit: 'V' },
  UC: { name: 'C 相电压', unit: 'V' },
  UAB: { name: 'AB 线电压', unit: 'V' },
  UBC: { name: 'BC 线电压', unit: 'V' },
  UCA: { name: 'CA 线电压', unit: 'V' },
  IA: { name: 'A 相电流', unit: 'A' },
  IB: { name: 'B 相电流', unit: 'A' },
  IC: { name: 'C 相电流', unit: 'A' },
  P: { name: '有功功率', unit: 'kW' },
  Q: { name: '无功功率', unit: 'kvar' },
  S: { name: '视在功率', unit: 'kVA' },
  PF: { name: '功率因数', unit: '' },
  F: { name: '频率', unit: 'Hz' },
  T: { name: '温度', unit: '℃' },
};

/** "功率因数（PF）"; an unknown point keeps its own name. */
export function paramLabel(param: string): string {
  const p = params[param];
  return p ? `${p.name}（${param}）` : `测点 ${param}`;
}

/** The unit of a rule's value: kWh for hourly energy, 个 for a device's alarm count, the point's unit for a parameter. */
export function unitOf(type: number, param?: string | null): string {
  if (type === 1) return 'kWh';
  if (type === 3) return '个';
  return (param && params[param]?.unit) || '';
}

/** An alarm's value with its unit: a device's alarm count is whole ("2 个"), other values to 2 decimals. */
export function valueText(value: number | null | undefined, type: number, param?: string | null): string {
  return formatWithUnit(value, unitOf(type, param), { decimals: type === 3 ? 0 : 2 });
}

/** "0.90 – 1.00", with 不限 for a missing side, and the unit once at the end. */
export function limitsText(lower: number | null | undefined, upper: number | null | undefined, unit: string) {
  const side = (v: number | null | undefined) => (v === null || v === undefined ? '不限' : formatNumber(v));
  return `${side(lower)} – ${side(upper)}${unit ? ` ${unit}` : ''}`;
}

/** Which side the value left the band on: 高于上限 / 低于下限, or '' when inside. */
export function excursion(value: number, lower?: number | null, upper?: number | null): string {
  if (upper !== null && upper !== undefined && value > upper) return '高于上限';
  if (lower !== null && lower !== undefined && value < lower) return '低于下限';
  return '';
}

/** A span in plain Chinese: 不到 1 分钟, 12 分钟, 3 小时 5 分钟, 2 天 4 小时. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 60_000) return '不到 1 分钟';
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours ? `${days} 天 ${hours} 小时` : `${days} 天`;
  if (hours > 0) return mins ? `${hours} 小时 ${mins} 分钟` : `${hours} 小时`;
  return `${mins} 分钟`;
}

/** Seed 002 local time "YYYY-MM-DD HH:mm:ss" → "MM-DD HH:mm" (same year) or "YYYY-MM-DD HH:mm". */
export function shortTime(local: string | null | undefined, thisYear?: string): string {
  if (!local) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(local);
  if (!m) return local;
  return m[1] === thisYear ? `${m[2]}-${m[3]} ${m[4]}:${m[5]}` : `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}`;
}

/** Milliseconds between two seed local times (same zone, so the offset cancels out). */
export function localDiffMs(from: string, to: string): number {
  const t = (s: string) => Date.parse(`${s.replace(' ', 'T').slice(0, 19)}Z`);
  return t(to) - t(from);
}

/** A seed local time moved by `minutes` (wall-clock arithmetic, as the API's times carry no offset). */
export function shiftLocal(local: string, minutes: number): string {
  const t = Date.parse(`${local.replace(' ', 'T').slice(0, 19)}Z`) + minutes * 60_000;
  return new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}

/** The earlier of two seed local times. */
export function earlierLocal(a: string, b: string): string {
  return a <= b ? a : b;
}
