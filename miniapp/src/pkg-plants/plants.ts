import type { PvPlantDetailItem, PvPlantItem } from '@wattdesk/shared';
import type { TrendSeries } from '../components/chart-option';
import { formatWithUnit, MISSING } from '../domain/format';

/** How a plant or device looks in a list: fault, alarm, offline or fine. */
export type Tone = 'fault' | 'alarm' | 'offline' | 'ok';

/** Seed 003: plants 1 fault / 2 alarm / 3 normal; devices 1 fault / 2 alarm / 4 normal. */
export function toneOf(faultStatus: number, online = true): Tone {
  if (faultStatus === 1) return 'fault';
  if (faultStatus === 2) return 'alarm';
  return online ? 'ok' : 'offline';
}

/** The tag type (NutUI) of a tone. */
export const TAG_TYPE = { fault: 'danger', alarm: 'warning', offline: 'default', ok: 'success' } as const;

const RANK: Record<Tone, number> = { fault: 0, alarm: 1, offline: 2, ok: 3 };

/** Plants in the order a manager wants them: faults first, then alarms, offline, the rest (else as given). */
export function sortPlants(plants: PvPlantItem[]): PvPlantItem[] {
  return plants
    .map((p, i) => ({ p, i, r: RANK[toneOf(p.Fault_Status, p.Online_Status === 1)] }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.p);
}

/** Devices with faults first, then alarms (else as given). */
export function sortDevices<T extends { Fault_Status: number }>(devices: T[]): T[] {
  return devices
    .map((d, i) => ({ d, i, r: RANK[toneOf(d.Fault_Status)] }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.d);
}

/** What a plant's tag says: its fault state, or 离线 when it has no fault but is not online. */
export function statusText(
  p: Pick<PvPlantItem, 'Fault_Status' | 'Fault_Status_Name' | 'Online_Status' | 'Online_Status_Name'>,
): string {
  return toneOf(p.Fault_Status, p.Online_Status === 1) === 'offline'
    ? p.Online_Status_Name
    : p.Fault_Status_Name;
}

export const kw = (v: number | null) => formatWithUnit(v, 'kW');
export const kwh = (v: number | null) => formatWithUnit(v, 'kWh', { compact: true });
export const soc = (v: number | null) => formatWithUnit(v, '%', { decimals: 0 });

/** The sum of the plants' figures (null when none of them has one yet). */
export function totalOf(plants: PvPlantItem[], key: 'Power_kW' | 'Today_kWh'): number | null {
  const values = plants.map((p) => p[key]).filter((v): v is number => v !== null);
  return values.length ? values.reduce((a, b) => a + b, 0) : null;
}

/** "12-01 10:35" of a "YYYY-MM-DD HH:mm:ss" time, or — before the first refresh. */
export function updatedText(at: string | null): string {
  return at ? `更新于 ${at.slice(5, 16)}` : `尚未同步 ${MISSING}`;
}

/** Today's power curve as one chart series: labels "HH:mm", values in kW. */
export function curveChart(d: Pick<PvPlantDetailItem, 'Power_Curve'>): {
  labels: string[];
  series: TrendSeries[];
} {
  return {
    labels: d.Power_Curve.map((p) => p.Time.slice(11, 16)),
    series: [{ name: '功率', values: d.Power_Curve.map((p) => p.Power_kW) }],
  };
}

/** The month's daily yield as one bar series: labels "D日", values in kWh. */
export function yieldChart(d: Pick<PvPlantDetailItem, 'Daily_Yield'>): {
  labels: string[];
  series: TrendSeries[];
} {
  return {
    labels: d.Daily_Yield.map((y) => `${Number(y.Date.slice(8, 10))}日`),
    series: [{ name: '日发电量', values: d.Daily_Yield.map((y) => y.Yield_kWh) }],
  };
}
