import type { AllEnergyRow, DetailEnergyRow } from '@wattdesk/shared';
import { fetchAllEnergy, fetchDetailEnergy, type AmountType } from '../../api/energy';
import {
  dayPeriod,
  minutesBetween,
  monthPeriod,
  parseWall,
  yearPeriod,
  type Period,
  type Rule,
  type TimeType,
  type Wall,
} from '../../domain/periods';
import type { TrendSeries } from '../../components/chart-option';

export type By = 'department' | 'machine' | 'meter';
export const amountTypeOf: Record<By, AmountType> = { department: 4, machine: 3, meter: 2 };
export const byNames: Record<By, string> = { department: '部门', machine: '机器', meter: '仪表' };

/** The same period one year earlier (same business year, month or calendar date). */
export function yearAgo(type: TimeType, rule: Rule, anchor: Wall): Period {
  if (type === 1) return yearPeriod(rule, anchor, -1);
  if (type === 2) return monthPeriod(rule, anchor, -12);
  const d = Math.min(anchor.d, new Date(Date.UTC(anchor.y - 1, anchor.m, 0)).getUTCDate());
  return dayPeriod(rule, { ...anchor, y: anchor.y - 1, d });
}

export function groupName(by: By, r: AllEnergyRow): string {
  if (by === 'department') return r.Meter_Department || '未分配部门';
  if (by === 'machine') return r.Meter_Superior || '未分配机器';
  return r.Meter_Name || '未命名仪表';
}

/** One group's total of one energy type, with the same period a year earlier. */
export interface GroupTotal {
  name: string;
  amount: number;
  cost: number | null;
  lastYear: number | null;
}

function totals(
  by: By,
  rows: readonly AllEnergyRow[],
  type: string,
): Map<string, { amount: number; cost: number | null }> {
  const out = new Map<string, { amount: number; cost: number | null }>();
  for (const r of rows) {
    if (r.Ene_Type !== type) continue;
    const name = groupName(by, r);
    const t = out.get(name) ?? { amount: 0, cost: 0 };
    t.amount += Number(r.Total_Amount) || 0;
    t.cost = t.cost === null || r.Total_Cost === undefined ? null : t.cost + (Number(r.Total_Cost) || 0);
    out.set(name, t);
  }
  return out;
}

/** Energy types with anything in the period, ordered by code. */
export function typesWithData(rows: readonly AllEnergyRow[]): string[] {
  return [...new Set(rows.filter((r) => Number(r.Total_Amount) > 0).map((r) => r.Ene_Type))].sort(
    (a, b) => Number(a) - Number(b),
  );
}

/** The groups of one type that used anything, sorted by amount or cost (largest first). */
export function groupTotals(
  by: By,
  rows: readonly AllEnergyRow[],
  lastYear: readonly AllEnergyRow[],
  type: string,
  sort: 'amount' | 'cost',
): GroupTotal[] {
  const before = totals(by, lastYear, type);
  const list = [...totals(by, rows, type)]
    .filter(([, t]) => t.amount > 0)
    .map(([name, t]) => ({ name, ...t, lastYear: before.get(name)?.amount ?? null }));
  return list.sort((a, b) => (sort === 'cost' ? (b.cost ?? -1) - (a.cost ?? -1) : b.amount - a.amount));
}

/** What the detail page loads for a period: 3.1 by group now and a year earlier (every type). */
export interface DetailData {
  rows: AllEnergyRow[];
  lastYear: AllEnergyRow[];
}

export async function loadDetail(by: By, type: TimeType, period: Period, ago: Period): Promise<DetailData> {
  const q = { timeType: type, amountType: amountTypeOf[by] };
  const [rows, lastYear] = await Promise.all([
    fetchAllEnergy({ ...q, period }),
    fetchAllEnergy({ ...q, period: ago }),
  ]);
  return { rows, lastYear };
}

/** The period's buckets of one energy type (3.2) beside the same buckets a year earlier. */
export async function loadChart(
  type: TimeType,
  period: Period,
  ago: Period,
  energyType: string,
): Promise<{ current: DetailEnergyRow[]; previous: DetailEnergyRow[] }> {
  const q = { timeType: type, amountType: 1 as const, types: [Number(energyType)] };
  const [current, previous] = await Promise.all([
    fetchDetailEnergy({ ...q, period }),
    fetchDetailEnergy({ ...q, period: ago }),
  ]);
  return { current, previous };
}

/** Chart series: this period's buckets (none after `now`) and last year's, matched by position. */
export function chartOf(
  d: { current: DetailEnergyRow[]; previous: DetailEnergyRow[] },
  type: TimeType,
  now: Wall,
): { labels: string[]; series: TrendSeries[] } {
  const sum = (rows: DetailEnergyRow[]) => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(r.Time, (m.get(r.Time) ?? 0) + (Number(r.Total_Amount) || 0));
    const times = [...m.keys()].sort();
    return { times, values: times.map((t) => m.get(t)!) };
  };
  const cur = sum(d.current);
  const prev = sum(d.previous);
  const label = (t: string) =>
    type === 1 ? `${Number(t.slice(5, 7))}月` : type === 2 ? t.slice(5, 10) : t.slice(11, 16);
  return {
    labels: cur.times.map(label),
    series: [
      {
        name: '本期',
        values: cur.times.map((t, i) => {
          const w = parseWall(t);
          return w && minutesBetween(w, now) < 0 ? null : cur.values[i]!;
        }),
      },
      { name: '去年同期', values: cur.times.map((_, i) => prev.values[i] ?? null), compare: true },
    ],
  };
}
