/**
 * Events of the charging callbacks: a safety warning raised or cleared (the alarms feature turns it into
 * an alarm for the site's managers), and an operator's report that was refused after it was taken (the
 * charging feature may emit it; the platform then calls the operator's 上报失败 callback).
 */
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

export interface ChargingReportRefused {
  operatorPk: number;
  operatorId: string;
  /** Which report (e.g. `cellStatus`, `chargeRecord`). */
  report: string;
  /** The refused report's ids (cell ids, record ids). */
  ids: string[];
  reason: string;
  /** When the refused report was sent (epoch ms); with `report` and `ids` the refusal's identity. */
  ts: number;
}

declare module '../../platform/contract' {
  interface DomainEventTypes {
    'charging.safety.warning': ChargingSafetyWarning;
    'charging.report.refused': ChargingReportRefused;
  }
}
