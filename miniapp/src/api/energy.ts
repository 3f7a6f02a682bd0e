import type {
  AllEnergyRow,
  DetailEnergyRow,
  MeasureRow,
  MeterItem,
  ReportCreated,
  ContractDemandItem,
} from '@wattdesk/shared';
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

/** 3.4: builds the xlsx report of a period (the 3.5 numbers); answers its name and where to download it. */
export async function createReport(q: EnergyQuery): Promise<ReportCreated> {
  return callOne002<ReportCreated>(endpoints.report, { query: query(q) });
}

/** Extension: the organization's contracted demand in kW, null when not set. */
export async function fetchContractDemand(): Promise<number | null> {
  const item = await callOne002<ContractDemandItem>(endpoints.contractDemand);
  return item.Contract_Demand === '' ? null : Number(item.Contract_Demand);
}

/** Extension: sets the contracted demand (kW), or clears it with null. */
export async function saveContractDemand(kw: number | null): Promise<void> {
  await callOne002<ContractDemandItem>(endpoints.setContractDemand, {
    body: { Contract_Demand: kw === null ? '' : kw },
  });
}
