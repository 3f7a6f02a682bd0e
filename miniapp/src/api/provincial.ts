import type { PrpOperationResult, PrpOperationType, PrpUploadRecord } from '@wattdesk/shared';
import type { Endpoint } from './endpoints';
import { call002 } from './request';

const get = (path: string): Endpoint => ({ method: 'GET', path, envelope: '002', auth: true });
/** Seed 002 §5.7 and §5.8: what was exchanged with the provincial platform, and the last results. */
export const provincialEndpoints = {
  uploads: get('/api_3/PRP_uploaded_energy_measure_datas'),
  result: get('/api_3/PRP_operation_result'),
};

/** 5.7: every exchange between two local times (first 200, newest first as the BFF answers). */
export async function fetchUploads(start: string, end: string): Promise<PrpUploadRecord[]> {
  return (
    await call002<PrpUploadRecord>(provincialEndpoints.uploads, {
      query: { Time_Start: start, Time_End: end, Per_Page_Counts: 200 },
    })
  ).items;
}

/** 5.8: the last operation of a type, or null when there was none. */
export async function fetchOperationResult(type: PrpOperationType): Promise<PrpOperationResult | null> {
  return (
    (await call002<PrpOperationResult>(provincialEndpoints.result, { query: { Operation_Type: type } }))
      .items[0] ?? null
  );
}
