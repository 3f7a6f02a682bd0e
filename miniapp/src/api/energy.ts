import type { AllEnergyRow, DetailEnergyRow, MeasureRow, MeterItem } from '@wattdesk/shared';
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
  /** 3.2 bucket size: minutes (day), days (month), months (year). */
  interval?: number;
  /** Energy type codes (3.1/3.2 `Amount_Value`); all when omitted. */
  types?: number[];
}

function query(q: EnergyQuery): Record<string, string | number | undefined> {
  return {
    Time_Type: q.timeType,
    Time_Start: q.period.start,
    Time_End: q.period.end,
    Amount_Type: q.amountType,
    Amount_SortName: q.names?.length ? q.names.join(',') : undefined,
    Amount_Value: q.types?.length ? q.types.join(',') : undefined,
  };
}

/** 3.1: totals of a period. */
export async function fetchAllEnergy(q: EnergyQuery): Promise<AllEnergyRow[]> {
  return (await call002<AllEnergyRow>(endpoints.allEnergy, { query: query(q) })).items;
}

/** 3.2: totals per time bucket (year → months, month → days, day → hours). */
export async function fetchDetailEnergy(q: EnergyQuery): Promise<DetailEnergyRow[]> {
  return (
    await call002<DetailEnergyRow>(endpoints.detailEnergy, {
      query: { ...query(q), Time_Interval: q.interval },
    })
  ).items;
}

/** 3.3: a meter's measure points per bucket (day queries: the latest value in each bucket). */
export async function fetchMeasure(q: {
  timeType: TimeType;
  period: Period;
  meter: string;
  names: string[];
  interval?: number;
}): Promise<MeasureRow[]> {
  return (
    await call002<MeasureRow>(endpoints.measure, {
      query: {
        Time_Type: q.timeType,
        Time_Start: q.period.start,
        Time_End: q.period.end,
        Time_Interval: q.interval,
        Meter_Name: q.meter,
        Measure_Name: q.names.join(','),
      },
    })
  ).items;
}

/** 2.3: meters, optionally of one energy type (up to 1,000). */
export async function fetchMeters(type?: number): Promise<MeterItem[]> {
  return (
    await call002<MeterItem>(endpoints.meters, {
      query: { Meter_Type: type, Per_Page_Counts: 1000 },
    })
  ).items;
}

/** 4.3: the site's year/month/day boundaries and time zone. */
export function fetchPersonalise(): Promise<Personalise> {
  return callOne002<Personalise>(endpoints.personalise);
}
