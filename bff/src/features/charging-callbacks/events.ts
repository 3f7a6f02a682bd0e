/**
 * Events of the charging callbacks: a safety warning raised or cleared (the alarms feature turns it into
 * an alarm for the site's managers). It consumes `charging.report.refused` of the charging feature (an
 * operator's list report with refused items; the platform then calls the operator's 上报失败 callback).
 */
export type { ChargingReportRefused } from '../charging/events';

export interface ChargingSafetyWarning {
  warningId: number;
  state: 'raised' | 'cleared';
  operatorPk: number;
  operatorId: string;
  stationId: string;
  equipmentId: string;
  cellId: string;
  /** fault (255 for too long), overVoltage, underVoltage, overCurrent, overTemperature. */
  kind: SafetyKind;
  /** When the condition began (the report's ts, epoch ms). */
  startedAt: number;
  /** The report that raised or cleared it (epoch ms). */
  ts: number;
  value: number | null;
  limit: number | null;
  /** What happened, in words a manager reads on the phone. */
  text: string;
}

export type SafetyKind = 'fault' | 'overVoltage' | 'underVoltage' | 'overCurrent' | 'overTemperature';

declare module '../../platform/contract' {
  interface DomainEventTypes {
    'charging.safety.warning': ChargingSafetyWarning;
  }
}
