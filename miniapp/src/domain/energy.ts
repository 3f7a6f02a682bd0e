import type { AllEnergyRow } from '@wattdesk/shared';

/** Seed 002 energy types and their units. */
export const energyTypes: Record<string, { name: string; unit: string }> = {
  '0': { name: '电', unit: 'kWh' },
  '1': { name: '自来水', unit: 't' },
  '2': { name: '中水', unit: 't' },
  '3': { name: '热水', unit: 't' },
  '4': { name: '软水', unit: 't' },
  '5': { name: '中压蒸汽', unit: 't' },
  '6': { name: '低压蒸汽', unit: 't' },
  '7': { name: '空气', unit: 'm³' },
  '8': { name: '天然气', unit: 'm³' },
};

/** One energy type's amount and cost in a period, exactly as the API wrote them. */
export interface TypeTotal {
  type: string;
  name: string;
  amount: string;
  cost: string | undefined;
}

/** 3.1 rows by energy type (Amount_Type 1), ordered by type code; amounts kept as the API's strings. */
export function totalsByType(rows: AllEnergyRow[]): TypeTotal[] {
  return rows
    .map((r) => ({
      type: r.Ene_Type,
      name: r.Ene_Name || energyTypes[r.Ene_Type]?.name || r.Ene_Type,
      amount: r.Total_Amount,
      cost: r.Total_Cost,
    }))
    .sort((a, b) => Number(a.type) - Number(b.type));
}

/** Change against the previous period as a Chinese phrase ("较上期 +12.5%"), or null when not comparable. */
export function changeText(now: string | undefined, before: string | undefined): string | null {
  const a = Number(now);
  const b = Number(before);
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  const pct = ((a - b) / b) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}
