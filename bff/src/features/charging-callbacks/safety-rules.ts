import type { SafetyKind } from './events';

/** One connector status report, as the safety check reads it. */
export interface CellReading {
  status: number;
  voltage: number | null;
  current: number | null;
  temperature: number | null;
  ratedVoltageUpperLimit: number | null;
  ratedVoltageLowerLimit: number | null;
  ratedCurrent: number | null;
}

/** A limit condition found in one report. */
export interface Excursion {
  kind: Exclude<SafetyKind, 'fault'>;
  value: number;
  limit: number;
}

const num = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The rated-limit conditions of one report: voltage above the rated upper limit, voltage below the rated
 * lower limit while charging (status 3; an idle connector reads 0 V), current above the rated current,
 * temperature above `maxTemperature`. A value the report leaves out decides nothing.
 */
export function excursions(r: CellReading, maxTemperature: number): Excursion[] {
  const out: Excursion[] = [];
  if (num(r.voltage) && num(r.ratedVoltageUpperLimit) && r.voltage > r.ratedVoltageUpperLimit)
    out.push({ kind: 'overVoltage', value: r.voltage, limit: r.ratedVoltageUpperLimit });
  if (
    r.status === 3 &&
    num(r.voltage) &&
    num(r.ratedVoltageLowerLimit) &&
    r.voltage < r.ratedVoltageLowerLimit
  )
    out.push({ kind: 'underVoltage', value: r.voltage, limit: r.ratedVoltageLowerLimit });
  if (num(r.current) && num(r.ratedCurrent) && r.current > r.ratedCurrent)
    out.push({ kind: 'overCurrent', value: r.current, limit: r.ratedCurrent });
  if (num(r.temperature) && r.temperature > maxTemperature)
    out.push({ kind: 'overTemperature', value: r.temperature, limit: maxTemperature });
  return out;
}

/** Whether a report still tells anything about a raised condition (else it stays as it was). */
export function measured(kind: SafetyKind, r: CellReading): boolean {
  switch (kind) {
    case 'overVoltage':
    case 'underVoltage':
      return num(r.voltage);
    case 'overCurrent':
      return num(r.current);
    case 'overTemperature':
      return num(r.temperature);
    case 'fault':
      return true;
  }
}

const NAMES: Record<SafetyKind, string> = {
  fault: '故障',
  overVoltage: '电压过高',
  underVoltage: '电压过低',
  overCurrent: '电流过大',
  overTemperature: '温度过高',
};
const UNITS: Record<SafetyKind, string> = {
  fault: '分钟',
  overVoltage: 'V',
  underVoltage: 'V',
  overCurrent: 'A',
  overTemperature: '°C',
};

const fmt = (v: number) => String(Number(v.toFixed(1)));

/** What a manager reads: where, what, the value and the limit, with units. */
export function warningText(
  w: {
    stationId: string;
    equipmentId: string;
    cellId: string;
    kind: SafetyKind;
    value: number | null;
    limit: number | null;
  },
  state: 'raised' | 'cleared',
): string {
  const where = `充电站 ${w.stationId} 充电桩 ${w.equipmentId} 充电口 ${w.cellId}`;
  if (state === 'cleared') return `${where} ${NAMES[w.kind]}已恢复`;
  if (w.kind === 'fault')
    return `${where} 故障已持续 ${fmt(w.value ?? 0)} 分钟（限值 ${fmt(w.limit ?? 0)} 分钟）`;
  const u = UNITS[w.kind];
  const side =
    w.kind === 'underVoltage' ? '低于额定下限' : w.kind === 'overTemperature' ? '高于上限' : '高于额定值';
  return `${where} ${NAMES[w.kind]}：${fmt(w.value ?? 0)} ${u}，${side} ${fmt(w.limit ?? 0)} ${u}`;
}

/** The seed's 安全预警 type names, for the operator's callback. */
export const warningName = (kind: SafetyKind): string => NAMES[kind];
