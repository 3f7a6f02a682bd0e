/**
 * TEMPORARY until the charging feature's events.ts lands (then this file is deleted): the connector
 * status event as the brief describes it.
 */
declare module '../../platform/contract' {
  interface DomainEventTypes {
    'charging.cell.status': {
      operatorPk: number;
      operatorId: string;
      stationId: string;
      equipmentId: string;
      cellId: string;
      status: number;
      ts: number;
      voltage: number | null;
      current: number | null;
      power: number | null;
      soc: number | null;
      temperature: number | null;
      ratedVoltageUpperLimit: number | null;
      ratedVoltageLowerLimit: number | null;
      ratedCurrent: number | null;
      ratedPower: number | null;
    };
  }
}
export {};
