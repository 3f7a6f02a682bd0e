import { billStateNames } from '@wattdesk/shared';
import { wallClock } from './periods';

/**
 * Charging points as the mini-program shows them: the T/CEC 102 connector status codes (external-apis.md
 * §6.7) with a name, a colour and a mark for each (the mark and the name carry the meaning too, never the
 * colour alone), counts by status, and times charging.
 */

export interface ConnectorStatus {
  code: number;
  name: string;
  /** A short sign drawn beside the name (the legend and every connector show it). */
  mark: string;
  colour: string;
}

/** T/CEC 102 status codes, in the order the legend lists them. */
export const CONNECTOR_STATUSES: ConnectorStatus[] = [
  { code: 3, name: '充电中', mark: '⚡', colour: '#2da44e' },
  { code: 1, name: '空闲', mark: '○', colour: '#1f6feb' },
  { code: 2, name: '占用未充电', mark: '◐', colour: '#d4a72c' },
  { code: 4, name: '预约锁定', mark: '◆', colour: '#8250df' },
  { code: 255, name: '故障', mark: '✕', colour: '#cf222e' },
  { code: 0, name: '离网', mark: '—', colour: '#8c959f' },
];

const UNKNOWN: ConnectorStatus = { code: -1, name: '未知状态', mark: '?', colour: '#8c959f' };

/** The status of a code; a code outside T/CEC 102 is "未知状态" (with the code, so it can be looked up). */
export function connectorStatus(code: number | null | undefined): ConnectorStatus {
  const known = CONNECTOR_STATUSES.find((s) => s.code === code);
  if (known) return known;
  return code === null || code === undefined ? UNKNOWN : { ...UNKNOWN, name: `未知状态（${code}）` };
}

/** How many connectors are in each known status (every status listed, zero included), then unknown ones. */
export function countByStatus(codes: number[]): { status: ConnectorStatus; count: number }[] {
  const out = CONNECTOR_STATUSES.map((status) => ({
    status,
    count: codes.filter((c) => c === status.code).length,
  }));
  const unknown = codes.filter((c) => !CONNECTOR_STATUSES.some((s) => s.code === c)).length;
  if (unknown) out.push({ status: UNKNOWN, count: unknown });
  return out;
}

/** Seconds as "1 小时 05 分" (under an hour "12 分 30 秒"); "—" when not known. */
export function formatElapsed(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h) return `${h} 小时 ${String(m).padStart(2, '0')} 分`;
  return `${m} 分 ${String(s % 60).padStart(2, '0')} 秒`;
}

/**
 * Seconds from a local time of the site ("YYYY-MM-DD HH:mm:ss", as the API writes times) until `now`,
 * on the site's wall clock; null when unknown. (Zone offsets are whole minutes, so seconds are UTC's.)
 */
export function secondsSince(start: string | null | undefined, now: Date, timeZone?: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(start ?? '');
  if (!m) return null;
  const [y, mo, d, hh, mm, ss] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const w = wallClock(now, timeZone);
  const nowS = Date.UTC(w.y, w.m - 1, w.d, 0, w.min, now.getUTCSeconds()) / 1000;
  return Math.max(0, nowS - Date.UTC(y, mo - 1, d, hh, mm, ss) / 1000);
}

/** A record's or bill's payment state in words ('none': the record has no bill). */
export function payStateName(state: string | null | undefined): string {
  if (!state || state === 'none') return '无账单';
  return (billStateNames as Record<string, string>)[state] ?? '支付状态未知';
}
