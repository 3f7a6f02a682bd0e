import type { AllEnergyRow, DetailEnergyRow } from '@wattdesk/shared';
import type { Personalise, Period, TimeType } from '../domain/periods';
import { call002, callOne002, endpoints } from './request';

/** How 3.1/3.2 group amounts: 1 by energy type, 2 by meter, 3 by machine, 4 by department. */
export type AmountType = 1 | 2 | 3 | 4;

/** The query both 3.1 and 3.2 take. */
export interface EnergyQuery {
  timeType: TimeType;
  period: Period;
  amountType: AmountType;
  /** Names of meters / machines / departments (3.1 `Amount_SortName`). */
  names?: string[];
}

function query(q: EnergyQuery): Record<string, string | number | undefined> {
  return {
    Time_Type: q.timeType,
    Time_Start: q.period.start,
    Time_End: q.period.end,
    Amount_Type: q.amountType,
    Amount_SortName: q.names?.length ? q.names.join(',') : undefined,
  };
}

/** 3.1: totals of a period. */
export async function fetchAllEnergy(q: EnergyQuery): Promise<AllEnergyRow[]> {
  return (await call002<AllEnergyRow>(endpoints.allEnergy, { query: query(q) })).items;
}

/** 3.2: totals per time bucket (year → months, month → days, day → hours). */
export async function fetchDetailEnergy(q: EnergyQuery): Promise<DetailEnergyRow[]> {
  return (await call002<DetailEnergyRow>(endpoints.detailEnergy, { query: query(q) })).items;
}

/** 4.3: the site's year/month/day boundaries and time zone. */
export function fetchPersonalise(): Promise<Personalise> {
  return callOne002<Personalise>(endpoints.personalise);
}
