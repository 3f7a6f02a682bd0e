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

/** Seconds from an instant (ISO text or epoch ms) until `now` (epoch ms); null when unknown. */
export function secondsSince(start: string | number | null | undefined, now: number): number | null {
  if (start === null || start === undefined || start === '') return null;
  const t = typeof start === 'number' ? start : Date.parse(start);
  if (!Number.isFinite(t)) return null;
  return Math.max(0, (now - t) / 1000);
}

/** A bill's payment state in words (the code the backend answers; see api/charging and api/driver). */
export const PAY_STATES: Record<number, string> = {
  0: '待支付',
  1: '支付中',
  2: '已支付',
  3: '已退款',
  4: '已关闭',
};

export function payStateName(code: number | null | undefined): string {
  if (code === null || code === undefined) return '无需支付';
  return PAY_STATES[code] ?? '支付状态未知';
}
