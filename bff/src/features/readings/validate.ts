import { magnitudeProblem, PG_INT_MAX, type ReadingError } from '@wattdesk/shared';
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
/** Param names seen valid (a gateway sends the same few names in every reading). */
const goodNames = new Set<string>();
const validName = (name: string): boolean => {
  if (goodNames.has(name)) return true;
  if (!PARAM_RE.test(name)) return false;
  if (goodNames.size < 10_000) goodNames.add(name);
  return true;
};
const READING_KEYS = new Set(['meter', 'ts', 'total', 'params']);
/** Readings before this instant are refused (a gateway clock that was never set). */
export const EARLIEST_TS = Date.UTC(2000, 0, 1);
/** First year hand-filled data (5.6) may be dated in; the last is the year after the current one. */
export const MANUAL_FIRST_YEAR = 2000;

/** Why a hand-filled period's local date is outside the accepted window, or null. */
export function manualDateProblem(localDateTime: string, currentYear: number): string | null {
  const year = Number(localDateTime.slice(0, 4));
  if (year >= MANUAL_FIRST_YEAR && year <= currentYear + 1) return null;
  return `日期必须在 ${MANUAL_FIRST_YEAR}-01-01 到 ${currentYear + 1}-12-31 之间`;
}
/** How far ahead of the server clock a reading may be stamped. */
export const FUTURE_SLACK_MS = 60 * 60_000;

/** Largest register value a reading may carry (and so the largest lifetime total a meter can show). */
export const MAX_REGISTER = 1e12;

const asNumber = (v: unknown): number | null => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v.trim())) return Number(v);
  return null;
};
/** A number of a storable magnitude, or the rule it breaks. */
const decimal = (v: unknown): number | string => {
  const n = asNumber(v);
  if (n === null) return typeof v === 'string' || typeof v === 'number' ? '必须是有限的数字' : '必须是数字';
  return magnitudeProblem(n) ?? n;
};

/** Checks the shape of one raw reading; returns the reading or the first problem with it. */
export function checkShape(raw: unknown, index: number, now: number): ValidReading | ReadingError {
  const err = (field: string, rule: string): ReadingError => ({ index, field, rule });
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return err('', '读数必须是对象');
  const r = raw as Record<string, unknown>;
  for (const key in r) if (!READING_KEYS.has(key)) return err(key, '不允许的字段');
  const meter = asNumber(r.meter);
  if (meter === null || !Number.isSafeInteger(meter) || meter <= 0 || meter > PG_INT_MAX)
    return err('meter', `必须是仪表 id（1 到 ${PG_INT_MAX} 的整数）`);
  const ts = typeof r.ts === 'number' ? r.ts : NaN;
  if (!Number.isSafeInteger(ts)) return err('ts', '必须是 Unix 毫秒时间戳（整数）');
  if (ts < EARLIEST_TS) return err('ts', '时间早于 2000-01-01');
  if (ts > now + FUTURE_SLACK_MS) return err('ts', '时间晚于服务器当前时间 1 小时以上');
  const total = decimal(r.total);
  if (typeof total === 'string') return err('total', total);
  if (total < 0) return err('total', '累计读数不能为负');
  if (total > MAX_REGISTER) return err('total', `累计读数不能超过 ${MAX_REGISTER}`);
  let params: Record<string, number> | null = null;
  if (r.params !== undefined && r.params !== null) {
    if (typeof r.params !== 'object' || Array.isArray(r.params)) return err('params', '必须是对象');
    const entries = Object.entries(r.params as Record<string, unknown>);
    if (entries.length > 32) return err('params', '最多 32 个测点');
    params = {};
    for (const [name, v] of entries) {
      if (!validName(name)) return err(`params.${name}`, '测点名只能是字母开头的字母、数字、_ 或 .');
      const n = decimal(v);
      if (typeof n === 'string') return err(`params.${name}`, n);
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

/**
 * Plausibility, per meter: the most a meter can register in an hour (kWh for electricity, m³ for water,
 * air and gas, t for steam) is its own `Meter_Max_Rate` when set, else the default of its energy type
 * below — generous ceilings far above a single factory meter, so only a broken or forged register trips
 * them; a meter that can physically do less (or more) is given its own. A reading whose consumption
 * since the reading before it (or until the reading after it) needs more than this rate over the
 * interval is refused and reported by its index. Intervals count as at least one minute.
 */
export const MAX_RATE_PER_HOUR: Readonly<Record<number, number>> = {
  0: 1_000_000, // 电 kWh/h (1 GW)
  1: 100_000, // 自来水 m³/h
  2: 100_000, // 中水
  3: 100_000, // 热水
  4: 100_000, // 软水
  5: 10_000, // 中压蒸汽 t/h
  6: 10_000, // 低压蒸汽
  7: 1_000_000, // 空气 m³/h
  8: 1_000_000, // 天然气 m³/h
};
/** The default ceiling per hour of an energy type (MAX_RATE_PER_HOUR). */
export const defaultMaxRate = (energyType: number): number => MAX_RATE_PER_HOUR[energyType] ?? 1_000_000;
/** The ceiling per hour in force for a meter: its own, or its energy type's default. */
export const maxRateOf = (meter: Pick<IngestMeter, 'maxRate' | 'energyType'>): number =>
  meter.maxRate ?? defaultMaxRate(meter.energyType);
const MIN_INTERVAL_MS = 60_000;

type Register = { ts: number; total: number };

/** Why going from `prev` to `cur` is implausible for the meter, or null when it is fine. */
function stepProblem(meter: IngestMeter, prev: Register, cur: Register): string | null {
  const pb = baseAt(meter, prev.ts);
  const cb = baseAt(meter, cur.ts);
  let d = cb + cur.total - (pb + prev.total);
  if (d < 0) {
    // A drop is consumption only as a roll-over (extension Meter_Register_Max) or across a replacement.
    if (pb !== cb) return null;
    if (meter.registerMax === null || prev.total > meter.registerMax)
      return `累计读数从 ${prev.total} 降到 ${cur.total}（仪表未换表，也未设置计数器翻转值）`;
    d = meter.registerMax - prev.total + cur.total;
  }
  const hours = Math.max(cur.ts - prev.ts, MIN_INTERVAL_MS) / 3_600_000;
  const rate = maxRateOf(meter);
  if (d > rate * hours)
    return `${Math.round((cur.ts - prev.ts) / 60_000)} 分钟内增加 ${d}，超过${meter.maxRate === null ? '该能源类型仪表的默认' : '该仪表设置的'}上限（每小时最多增加 ${rate}）`;
  return null;
}

/**
 * Refuses the incoming readings of one meter that are implausible against their neighbours (stored
 * readings and the incoming readings kept so far, in time order): a register above the meter's
 * roll-over value, a drop without replacement or roll-over, or a jump faster than `maxRateOf(meter)`.
 * A refused reading is reported in `errors` and left out; the readings it sat between are then
 * compared with each other. Returns the readings kept, in time order.
 */
export function keepPlausible(
  meter: IngestMeter,
  stored: readonly Register[],
  incoming: readonly ValidReading[],
  errors: ReadingError[],
): ValidReading[] {
  const st = [...stored].sort((a, b) => a.ts - b.ts);
  const kept: ValidReading[] = [];
  let i = 0; // first stored reading not before the current one
  let prev: Register | undefined; // the reading before the current one in the resulting timeline
  for (const r of [...incoming].sort((a, b) => a.ts - b.ts)) {
    while (i < st.length && st[i]!.ts < r.ts) {
      if (!prev || st[i]!.ts > prev.ts) prev = st[i];
      i++;
    }
    const same = i < st.length && st[i]!.ts === r.ts ? st[i] : undefined;
    const next = st[same ? i + 1 : i];
    let problem: string | null = null;
    if (meter.registerMax !== null && r.total > meter.registerMax)
      problem = `累计读数超过仪表的翻转值 ${meter.registerMax}`;
    problem ??= (prev && stepProblem(meter, prev, r)) || (next && stepProblem(meter, r, next)) || null;
    if (same) i++;
    if (problem) {
      errors.push({ index: r.index, field: 'total', rule: problem });
      if (same) prev = same; // the stored reading stays
      continue;
    }
    prev = r;
    kept.push(r);
  }
  return kept;
}
