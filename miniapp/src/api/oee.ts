import type { OeeFactorsItem, OeeRecordItem, OeeStatisticRow } from '@wattdesk/shared';
import type { Endpoint } from './endpoints';
import { call002, callOne002 } from './request';

const get = (path: string): Endpoint => ({ method: 'GET', path, envelope: '002', auth: true });
/** Seed 002 §7 and the OEE extension the machine-state page reads. */
export const oeeEndpoints = {
  records: get('/api_3/OEE_statistic_records'),
  statistic: get('/api_3/OEE_statistic'),
  factors: get('/api_3/OEE_factors'),
};

/** 7.5: the state at `start` and every change until `end` (at most 24 h). */
export async function fetchStateRecords(
  machineId: number,
  start: string,
  end: string,
): Promise<OeeRecordItem[]> {
  return (
    await call002<OeeRecordItem>(oeeEndpoints.records, {
      query: { Meter_Superior_id: machineId, Time_Start: start, Time_End: end },
    })
  ).items;
}

/** 7.6 in total: seconds per state over a period. */
export async function fetchStateSeconds(
  machineId: number,
  timeType: 1 | 2 | 3,
  start: string,
  end: string,
): Promise<OeeStatisticRow[]> {
  return (
    await call002<OeeStatisticRow>(oeeEndpoints.statistic, {
      query: {
        Meter_Superior_id: machineId,
        Time_Type: timeType,
        Time_Start: start,
        Time_End: end,
        Return_Format: 1,
      },
    })
  ).items;
}

/** Extension: OEE and its three factors over the business period holding `time`. */
export function fetchFactors(machineId: number, timeType: 1 | 2 | 3, time: string): Promise<OeeFactorsItem> {
  return callOne002<OeeFactorsItem>(oeeEndpoints.factors, {
    query: { Meter_Superior_id: machineId, Time_Type: timeType, Time: time },
  });
}
