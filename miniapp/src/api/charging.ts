import type { Endpoint } from './endpoints';
import { call002 } from './request';

// Manager endpoints of the charging feature (issue 11 item 3, seed 002 style).
// The contract (shared/src/api/charging.ts) is read through `fromStation`/`fromRecord` only, so the pages
// work with the app's own model below.

const get = (path: string): Endpoint => ({ method: 'GET', path, envelope: '002', auth: true });
export const chargingEndpoints = {
  stations: get('/api_3/charging_stations'),
  records: get('/api_3/charging_records'),
};

/** One connector (T/CEC "cell"/connector) as the page shows it. */
export interface Connector {
  id: string;
  name: string;
  /** T/CEC 102 status code (domain/charging). */
  status: number;
  powerKw: number | null;
  soc: number | null;
  /** When the running session started (ISO), when one is running. */
  chargingSince: string | null;
  todayKwh: number | null;
  updatedAt: string | null;
}
export interface Equipment {
  id: string;
  name: string;
  connectors: Connector[];
}
export interface Station {
  id: string;
  name: string;
  address: string;
  equipment: Equipment[];
}

/** Energy, sessions and revenue over a period. */
export interface ChargingTotals {
  kwh: number;
  sessions: number;
  revenue: number;
}

export interface ChargingRecord {
  id: string;
  stationName: string;
  connectorName: string;
  start: string;
  end: string;
  kwh: number | null;
  money: number | null;
  /** The bill's payment state code: 0 unpaid, 1 paying, 2 paid, 3 refunded, 4 closed (see payStateName). */
  payState: number | null;
}

export interface RecordsFilter {
  start: string;
  end: string;
  stationId?: string;
  pageNum?: number;
  pageSize?: number;
}

export interface RecordsPage {
  items: ChargingRecord[];
  total: number;
  totals: ChargingTotals;
}

type Raw = Record<string, unknown>;
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
const pick = (r: Raw, ...keys: string[]): unknown => keys.map((k) => r[k]).find((v) => v !== undefined);
const list = (v: unknown): Raw[] => (Array.isArray(v) ? (v as Raw[]) : []);

function fromConnector(r: Raw): Connector {
  return {
    id: str(pick(r, 'Connector_ID', 'connectorId', 'cellId', 'id')),
    name: str(pick(r, 'Connector_Name', 'connectorName', 'cellName', 'name')),
    status: num(pick(r, 'Status', 'status')) ?? -1,
    powerKw: num(pick(r, 'Power', 'power')),
    soc: num(pick(r, 'SOC', 'Soc', 'soc')),
    chargingSince: str(pick(r, 'Charging_Start', 'chargingStart', 'startTime')) || null,
    todayKwh: num(pick(r, 'Today_Energy', 'todayEnergy')),
    updatedAt: str(pick(r, 'Status_Time', 'statusTime', 'updatedAt')) || null,
  };
}

function fromEquipment(r: Raw): Equipment {
  return {
    id: str(pick(r, 'Equipment_ID', 'equipmentId', 'id')),
    name: str(pick(r, 'Equipment_Name', 'equipmentName', 'name')),
    connectors: list(pick(r, 'Connectors', 'connectors', 'cells')).map(fromConnector),
  };
}

export function fromStation(r: Raw): Station {
  return {
    id: str(pick(r, 'Station_ID', 'stationId', 'id')),
    name: str(pick(r, 'Station_Name', 'stationName', 'name')),
    address: str(pick(r, 'Address', 'address')),
    equipment: list(pick(r, 'Equipment', 'equipment', 'equipments')).map(fromEquipment),
  };
}

export function fromRecord(r: Raw): ChargingRecord {
  return {
    id: str(pick(r, 'Record_ID', 'recordId', 'id')),
    stationName: str(pick(r, 'Station_Name', 'stationName')),
    connectorName: str(pick(r, 'Connector_Name', 'connectorName', 'Connector_ID', 'connectorId')),
    start: str(pick(r, 'Start_Time', 'startTime')),
    end: str(pick(r, 'End_Time', 'endTime')),
    kwh: num(pick(r, 'Energy', 'totalPower', 'energy')),
    money: num(pick(r, 'Money', 'totalMoney', 'money')),
    payState: num(pick(r, 'Pay_State', 'payState')),
  };
}

/** Every station of the site with its equipment and connectors' live state. */
export async function fetchStations(): Promise<Station[]> {
  return (await call002<Raw>(chargingEndpoints.stations)).items.map(fromStation);
}

/** One page of charging records in a period, with the period's totals. */
export async function fetchRecords(f: RecordsFilter): Promise<RecordsPage> {
  const { items, total } = await call002<Raw>(chargingEndpoints.records, {
    query: {
      Time_Start: f.start,
      Time_End: f.end,
      Station_ID: f.stationId,
      pageNum: f.pageNum ?? 1,
      pageSize: f.pageSize ?? 20,
    },
  });
  return { items: items.map(fromRecord), total, totals: { kwh: 0, sessions: total, revenue: 0 } };
}

/** Energy, sessions and revenue of a period (the records' totals). */
export async function fetchTotals(start: string, end: string): Promise<ChargingTotals> {
  return (await fetchRecords({ start, end, pageSize: 1 })).totals;
}
