import type { PvConnectionItem, PvPlantDetailItem, PvPlantItem } from '@wattdesk/shared';
import type { Endpoint } from './endpoints';
import { call002, callOne002 } from './request';

const e = (method: Endpoint['method'], path: string): Endpoint => ({
  method,
  path,
  envelope: '002',
  auth: true,
});

/** Where iSolarCloud sends the owner back (the BFF exchanges the code there; GET, or POST with a session). */
export const CALLBACK_PATH = '/api_3/pv_connection_callback';

/** Seed 003 plants as the BFF serves them (002 style), and the organization's iSolarCloud connection. */
export const plantsEndpoints = {
  plants: e('GET', '/api_3/pv_plants'),
  detail: e('GET', '/api_3/pv_plant_detail'),
  connection: e('GET', '/api_3/pv_connection'),
  authorize: e('POST', '/api_3/pv_connection_authorize'),
  callback: e('POST', CALLBACK_PATH),
  login: e('POST', '/api_3/pv_connection_login'),
  disconnect: e('DELETE', '/api_3/pv_connection'),
};

/** Every plant of the organization (first 200). */
export async function fetchPlants(): Promise<PvPlantItem[]> {
  return (await call002<PvPlantItem>(plantsEndpoints.plants, { query: { Per_Page_Counts: 200 } })).items;
}

/** One plant with today's power curve, the month's daily yield and its devices. */
export function fetchPlantDetail(psId: string): Promise<PvPlantDetailItem> {
  return callOne002<PvPlantDetailItem>(plantsEndpoints.detail, { query: { Ps_Id: psId } });
}

/** The organization's iSolarCloud connection. */
export function fetchConnection(): Promise<PvConnectionItem> {
  return callOne002<PvConnectionItem>(plantsEndpoints.connection);
}

/** Starts the authorization: the page to open, and the ticket the way back must carry. */
export function startAuthorize(
  region: number,
  redirectUrl?: string,
): Promise<{ Authorize_Url: string; Ticket: string }> {
  return callOne002(plantsEndpoints.authorize, {
    body: redirectUrl ? { Region: region, Redirect_Url: redirectUrl } : { Region: region },
  });
}

/** Finishes the authorization with the code iSolarCloud handed back. */
export function finishAuthorize(ticket: string, code: string): Promise<PvConnectionItem> {
  return callOne002<PvConnectionItem>(plantsEndpoints.callback, { body: { Ticket: ticket, Code: code } });
}

/** Connects with an iSolarCloud account and password (the older login). */
export function connectWithAccount(
  region: number,
  account: string,
  password: string,
): Promise<PvConnectionItem> {
  return callOne002<PvConnectionItem>(plantsEndpoints.login, {
    body: { Region: region, Account: account, Password: password },
  });
}

/** Disconnects: the BFF forgets the organization's tokens. */
export async function disconnect(): Promise<void> {
  await call002(plantsEndpoints.disconnect);
}
