import type { z } from 'zod';
import { CHARGING_STATIONS_MAX_PAGE } from '@wattdesk/shared';
import type {
  chargingUtilisationItem,
  ChargingCellItem,
  ChargingRecordItem,
  ChargingStationItem,
  PayState,
} from '@wattdesk/shared';
import type { Endpoint } from './endpoints';
import { call002, callOne002 } from './request';

// Manager endpoints of the charging feature (issue 11 item 3; contract shared/src/api/charging.ts).

const get = (path: string): Endpoint => ({ method: 'GET', path, envelope: '002', auth: true });
export const chargingEndpoints = {
  stations: get('/api_3/charging_stations'),
  records: get('/api_3/charging_records'),
  totals: get('/api_3/charging_record_totals'),
  utilisation: get('/api_3/charging_utilisation'),
};

export type Station = ChargingStationItem;
export type Connector = ChargingCellItem;
export type ChargingRecord = ChargingRecordItem;
/** One business day of all stations: charging time share (0…1), sessions, energy (kWh), revenue (元). */
export type UtilisationDay = z.infer<typeof chargingUtilisationItem>;

/** Energy (kWh), sessions and revenue (元) over a period. */
export interface ChargingTotals {
  kwh: number;
  sessions: number;
  revenue: number;
}

export interface RecordsFilter {
  start: string;
  end: string;
  stationId?: string;
  payState?: PayState;
  plate?: string;
  pageSize?: number;
}

export interface RecordsPage {
  items: ChargingRecord[];
  total: number;
  totals: ChargingTotals;
}

/** The first `count` stations (oldest first) with their equipment and connectors' live state, and how many there are. */
export async function fetchStationsPage(count: number): Promise<{ items: Station[]; total: number }> {
  // Pages of at most the largest size the endpoint answers, fetched together (one refresh, one moment).
  const size = Math.min(count, CHARGING_STATIONS_MAX_PAGE);
  const pages = await Promise.all(
    Array.from({ length: Math.ceil(count / size) }, (_, i) =>
      call002<Station>(chargingEndpoints.stations, { query: { Page_Counts: i + 1, Per_Page_Counts: size } }),
    ),
  );
  return { items: pages.flatMap((p) => p.items).slice(0, count), total: pages[0]?.total ?? 0 };
}

/** Every station of the organization (e.g. for a filter), page by page. */
export async function fetchStations(): Promise<Station[]> {
  const all: Station[] = [];
  for (let page = 1; ; page++) {
    const { items, total } = await call002<Station>(chargingEndpoints.stations, {
      query: { Page_Counts: page, Per_Page_Counts: CHARGING_STATIONS_MAX_PAGE },
    });
    all.push(...items);
    if (items.length === 0 || all.length >= total) return all;
  }
}

/** Today's and this month's totals of all stations (each station answers its own). */
export function stationTotals(stations: Station[]): { today: ChargingTotals; month: ChargingTotals } {
  const sum = (f: (s: Station) => number) => stations.reduce((a, s) => a + f(s), 0);
  return {
    today: {
      kwh: sum((s) => s.Today_Energy),
      sessions: sum((s) => s.Today_Sessions),
      revenue: sum((s) => s.Today_Revenue),
    },
    month: {
      kwh: sum((s) => s.Month_Energy),
      sessions: sum((s) => s.Month_Sessions),
      revenue: sum((s) => s.Month_Revenue),
    },
  };
}

/** One page of charging records matching the filters, with the totals of every matching record. */
export async function fetchRecords(f: RecordsFilter): Promise<RecordsPage> {
  const filters = {
    Start_Time: f.start,
    End_Time: f.end,
    Station_Id: f.stationId,
    Pay_State: f.payState,
    Plate_No: f.plate?.trim() || undefined,
  };
  const [page, totals] = await Promise.all([
    call002<ChargingRecord>(chargingEndpoints.records, {
      query: { ...filters, Page_Counts: 1, Per_Page_Counts: f.pageSize ?? 20 },
    }),
    callOne002<{ Sessions: number; Total_Power: number; Total_Money: number }>(chargingEndpoints.totals, {
      query: filters,
    }),
  ]);
  return {
    items: page.items,
    total: page.total,
    totals: { kwh: totals.Total_Power, sessions: totals.Sessions, revenue: totals.Total_Money },
  };
}

/** Per business day from `startDate` to `endDate` ("YYYY-MM-DD"), all stations together. */
export async function fetchUtilisation(startDate: string, endDate: string): Promise<UtilisationDay[]> {
  return (
    await call002<UtilisationDay>(chargingEndpoints.utilisation, {
      query: { Start_Date: startDate, End_Date: endDate },
    })
  ).items;
}
