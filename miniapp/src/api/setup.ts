import type { MachineItem, MeterItem } from '@wattdesk/shared';
import { call002, endpoints } from './request';

/** 2.5: the organization's machines (departments are a field of the machine). */
export async function fetchMachines(): Promise<MachineItem[]> {
  return (await call002<MachineItem>(endpoints.machines, { query: { Per_Page_Counts: 1000 } })).items;
}

/** 2.6: adds a machine to a department (naming a new department creates it). */
export async function createMachine(body: {
  Meter_Superior: string;
  Meter_Department: string;
  equipmentCode: string;
  equipmentUnitCode: string;
}): Promise<void> {
  await call002(endpoints.createMachine, { body });
}

/** 2.1: adds a meter to a machine; a virtual meter carries a formula over other meters' ids. */
export async function createMeter(body: {
  Meter_Name: string;
  Meter_Type: number;
  Meter_Superior_id: number;
  Meter_IsVirtual: '0' | '1';
  Meter_Formula?: string;
  Meter_IsTotal: '0' | '1';
  /** Counted in the energy figures (the seed's default is '0': a meter not counted shows nowhere). */
  Meter_IsCount: '0' | '1';
  Meter_Remarks?: string;
}): Promise<void> {
  await call002(endpoints.createMeter, { body });
}

export type { MachineItem, MeterItem };
