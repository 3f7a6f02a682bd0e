import type { ReadingError } from '@wattdesk/shared';
import type { IngestMeter } from './repository';

/** A reading that passed its checks. */
export interface ValidReading {
  index: number;
  meter: number;
  ts: number;
  total: number;
  params: Record<string, number> | null;
}

const PARAM_RE = /^[A-Za-z][A-Za-z0-9_.]{0,31}$/;
/** Readings before this instant are refused (a gateway clock that was never set). */
export const EARLIEST_TS = Date.UTC(2000, 0, 1);
/** How far ahead of the server clock a reading may be stamped. */
export const FUTURE_SLACK_MS = 60 * 60_000;

const asNumber = (v: unknown): number | null => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v.trim())) return Number(v);
  return null;
};

/** Checks the shape of one raw reading; returns the reading or the first problem with it. */
export function checkShape(raw: unknown, index: number, now: number): ValidReading | ReadingError {
  const err = (field: string, rule: string): ReadingError => ({ index, field, rule });
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return err('', '读数必须是对象');
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r))
    if (!['meter', 'ts', 'total', 'params'].includes(key)) return err(key, '不允许的字段');
  const meter = asNumber(r.meter);
  if (meter === null || !Number.isSafeInteger(meter) || meter <= 0)
    return err('meter', '必须是仪表 id（正整数）');
  const ts = typeof r.ts === 'number' ? r.ts : NaN;
  if (!Number.isSafeInteger(ts)) return err('ts', '必须是 Unix 毫秒时间戳（整数）');
  if (ts < EARLIEST_TS) return err('ts', '时间早于 2000-01-01');
  if (ts > now + FUTURE_SLACK_MS) return err('ts', '时间晚于服务器当前时间 1 小时以上');
  const total = asNumber(r.total);
  if (total === null) return err('total', '必须是数字');
  if (total < 0) return err('total', '累计读数不能为负');
  let params: Record<string, number> | null = null;
  if (r.params !== undefined && r.params !== null) {
    if (typeof r.params !== 'object' || Array.isArray(r.params)) return err('params', '必须是对象');
    const entries = Object.entries(r.params as Record<string, unknown>);
    if (entries.length > 32) return err('params', '最多 32 个测点');
    params = {};
    for (const [name, v] of entries) {
      if (!PARAM_RE.test(name)) return err(`params.${name}`, '测点名只能是字母开头的字母、数字、_ 或 .');
      const n = asNumber(v);
      if (n === null) return err(`params.${name}`, '必须是数字');
      params[name] = n;
    }
    if (!entries.length) params = null;
  }
  return { index, meter, ts, total, params };
}

/** Checks a reading against its meter (exists in the organization, takes readings). */
export function checkMeter(r: ValidReading, meter: IngestMeter | undefined): ReadingError | null {
  if (!meter) return { index: r.index, field: 'meter', rule: `仪表 ${r.meter} 不存在` };
  if (meter.isVirtual)
    return { index: r.index, field: 'meter', rule: `仪表 ${r.meter} 是虚拟表，不接收读数` };
  return null;
}

/** The register base of a meter at an instant: the epoch in force then. */
export function baseAt(meter: IngestMeter, ts: number): number {
  let base = 0;
  for (const e of meter.epochs) if (e.from <= ts) base = e.base;
  return base;
}
