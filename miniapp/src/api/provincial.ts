import type { PrpOperationResult, PrpOperationType, PrpUploadRecord } from '@wattdesk/shared';
import type { Endpoint } from './endpoints';
import { call002 } from './request';

const get = (path: string): Endpoint => ({ method: 'GET', path, envelope: '002', auth: true });
/** Seed 002 §5.7 and §5.8: what was exchanged with the provincial platform, and the last results. */
export const provincialEndpoints = {
  uploads: get('/api_3/PRP_uploaded_energy_measure_datas'),
  result: get('/api_3/PRP_operation_result'),
};

/** The most rows 5.7 answers per page. */
const PAGE = 1000;

/** 5.7 between two local times: how many exchanges there were, and the newest page of them (oldest first). */
export async function fetchUploads(
  start: string,
  end: string,
): Promise<{ total: number; newest: PrpUploadRecord[] }> {
  const page = (n: number) =>
    call002<PrpUploadRecord>(provincialEndpoints.uploads, {
      query: { Time_Start: start, Time_End: end, Per_Page_Counts: PAGE, Page_Counts: n },
    });
  const first = await page(0);
  if (first.total <= PAGE) return { total: first.total, newest: first.items };
  // 5.7 answers oldest first: the newest exchanges are on the last page.
  const last = await page(Math.ceil(first.total / PAGE) - 1);
  return { total: last.total, newest: last.items };
}

/** 5.8: the last operation of a type, or null when there was none. */
export async function fetchOperationResult(type: PrpOperationType): Promise<PrpOperationResult | null> {
  const { items } = await call002<PrpOperationResult>(provincialEndpoints.result, {
    query: { Operation_Type: type },
  });
  return items[0] ?? null;
}
