import type { BmsControlData } from '@wattdesk/shared';

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
  return s.alarm_status > 0 ? `${op}，${s.alarm_status} 个报警` : `${op}，无报警`;
}

/** A key that makes a re-sent command a no-op on the server (one per user intent, not per tap). */
export function newIdempotencyKey(): string {
  const rand = Math.random().toString(36).slice(2, 10);
  return `mp-${Date.now().toString(36)}-${rand}`;
}

/** "YYYY-MM-DD HH:mm" in the phone's time zone for an ISO time, or 从未 when null. */
export function formatSeen(iso: string | null | undefined): string {
  if (!iso) return '从未';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '未知';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
