import type { BmsControlData, DeviceItem } from '@wattdesk/shared';
import { formatNumber } from './format';

/** A count as shown everywhere: "1,024 个" (the one number formatter, no decimals). */
export const count = (n: number, unit = '个'): string => `${formatNumber(n, { decimals: 0 })} ${unit}`;

/** Seed 001 `command` values with their Chinese names and what the confirmation says. */
export const bmsCommands = {
  1: { name: '故障复位', summary: '清除电池管理系统的故障锁定' },
  2: { name: '接触器闭合', summary: '闭合主接触器，电池接入直流母线' },
  3: { name: '接触器断开', summary: '断开主接触器，电池与直流母线脱开' },
} as const;
export type BmsCommandCode = keyof typeof bmsCommands;

/** Seed 001 `operating_status` names. */
export const operatingNames: Record<number, string> = {
  1: '下电（接触器断开）',
  2: '静置（接触器闭合）',
  3: '充电',
  4: '放电',
};

/** One line describing a BMS status: operating state and active alarms. */
export function describeBms(s: Pick<BmsControlData, 'operating_status' | 'alarm_status'>): string {
  const op = operatingNames[s.operating_status] ?? `未知状态 ${s.operating_status}`;
  return s.alarm_status > 0 ? `${op}，${count(s.alarm_status)}报警` : `${op}，无报警`;
}

/** A key that makes a re-sent command a no-op on the server (one per user intent, not per tap). */
export function newIdempotencyKey(): string {
  const rand = Math.random().toString(36).slice(2, 10);
  return `mp-${Date.now().toString(36)}-${rand}`;
}

/** "YYYY-MM-DD HH:mm" (or with seconds) in the phone's time zone for an ISO time, or 从未 when null. */
export function formatSeen(iso: string | null | undefined, seconds = false): string {
  if (!iso) return '从未';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '未知';
  const p = (n: number) => String(n).padStart(2, '0');
  const minute = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
  return seconds ? `${minute}:${p(d.getSeconds())}` : minute;
}

type Bms = Pick<BmsControlData, 'operating_status' | 'alarm_status'>;

/** Whether a control can be used in a state, and if not, why (shown under the buttons). */
export interface ControlState {
  enabled: boolean;
  reason?: string;
}

/** Which BMS commands the current state allows (the device would refuse the others). */
export function bmsControls(s: Bms | undefined): Record<BmsCommandCode, ControlState> {
  if (!s) {
    const wait = { enabled: false, reason: '正在读取设备状态' };
    return { 1: wait, 2: wait, 3: wait };
  }
  const open = s.operating_status === 1;
  const flowing = s.operating_status === 3 || s.operating_status === 4;
  return {
    1: s.alarm_status > 0 ? { enabled: true } : { enabled: false, reason: '当前没有报警，无需复位' },
    2: !open
      ? { enabled: false, reason: '接触器已闭合' }
      : s.alarm_status > 0
        ? { enabled: false, reason: `存在 ${count(s.alarm_status)}报警，需先消除报警才能闭合` }
        : { enabled: true },
    3: open
      ? { enabled: false, reason: '接触器已断开' }
      : flowing
        ? { enabled: false, reason: '电池正在充放电，停止后才能断开' }
        : { enabled: true },
  };
}

/** How a command that the device executed turned out, judged from the state read back afterwards. */
export interface Verdict {
  tone: 'ok' | 'warning';
  title: string;
  detail?: string;
  /** What the user can do next. */
  next?: string;
}

/** Judges an executed command by its read-back: a fault reset that leaves alarms did not clear them. */
export function judgeBmsCommand(command: BmsCommandCode, readback: Bms | undefined): Verdict {
  const name = bmsCommands[command].name;
  if (!readback)
    return {
      tone: 'warning',
      title: `${name}已执行，但未能读回设备状态`,
      next: '请点“同步状态”确认设备当前状态。',
    };
  const state = describeBms(readback);
  if (command === 1 && readback.alarm_status > 0)
    return {
      tone: 'warning',
      title: `故障未清除：仍有 ${count(readback.alarm_status)}报警`,
      detail: `设备执行了故障复位，但报警仍在（当前：${state}）。故障复位只能清除可复位的报警；剩下的报警需要现场处理（例如保护跳闸、模块通信中断）。`,
      next: '请安排人员到现场检查电池柜，排除故障后再复位；也可在命令记录中查看本次操作。',
    };
  if (command === 2 && readback.operating_status === 1)
    return {
      tone: 'warning',
      title: '接触器仍处于断开状态',
      detail: `设备应答已执行，但回读状态为：${state}。`,
      next: '请检查报警和现场接触器后再试。',
    };
  if (command === 3 && readback.operating_status !== 1)
    return {
      tone: 'warning',
      title: '接触器仍处于闭合状态',
      detail: `设备应答已执行，但回读状态为：${state}。`,
      next: '请确认电池已停止充放电后再试。',
    };
  const done = { 1: '故障已清除', 2: '接触器已闭合', 3: '接触器已断开' }[command];
  return { tone: 'ok', title: done, detail: `当前：${state}` };
}

type Listed = Pick<DeviceItem, 'device_uid' | 'name' | 'kind' | 'site' | 'telemetry'>;

/** Active BMS alarms a device reported in its last telemetry (undefined when it does not report any). */
export function activeAlarms(d: Pick<DeviceItem, 'telemetry'>): number | undefined {
  const v = d.telemetry['bms.alarm_status'];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export const kindNames: Record<DeviceItem['kind'], string> = {
  ems: '储能 / 无功控制器',
  gateway: '计量网关',
};

/** Devices grouped by kind, then site (未分配站点 last), each group sorted by name; filtered by `query`. */
export function groupDevices<T extends Listed>(
  list: T[],
  query = '',
): { kind: DeviceItem['kind']; site: string; title: string; items: T[] }[] {
  const q = query.trim().toLowerCase();
  const hit = (d: T) => !q || [d.name, d.device_uid, d.site].some((s) => s.toLowerCase().includes(q));
  const groups = new Map<string, { kind: DeviceItem['kind']; site: string; title: string; items: T[] }>();
  for (const d of list.filter(hit)) {
    const key = `${d.kind}\u0000${d.site}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        kind: d.kind,
        site: d.site,
        title: `${kindNames[d.kind]} · ${d.site || '未分配站点'}`,
        items: [],
      };
      groups.set(key, g);
    }
    g.items.push(d);
  }
  const order = (k: DeviceItem['kind']) => (k === 'ems' ? 0 : 1);
  // Plain code-point order: the same on every WeChat client (some have no Intl collation).
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...groups.values()]
    .sort(
      (a, b) => order(a.kind) - order(b.kind) || (a.site ? 0 : 1) - (b.site ? 0 : 1) || cmp(a.site, b.site),
    )
    .map((g) => ({ ...g, items: g.items.sort((a, b) => cmp(a.name, b.name)) }));
}
