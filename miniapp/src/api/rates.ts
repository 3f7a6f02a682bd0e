import type { RateItem } from '@wattdesk/shared';
import { call, call002, endpoints } from './request';

/** 4.2: every rate row of the organization (one per segment). */
export async function fetchRates(): Promise<RateItem[]> {
  return (await call002<RateItem>(endpoints.rates)).items;
}

/** Extension POST /api_3/rate: sets the whole rate of one energy type. */
export async function saveRate(body: Record<string, unknown>): Promise<void> {
  await call(endpoints.setRate, { body });
}

/** Extension DELETE /api_3/rate: removes one energy type's rate. */
export async function deleteRate(type: number): Promise<void> {
  await call(endpoints.deleteRate, { query: { Rate_Type: type } });
}
