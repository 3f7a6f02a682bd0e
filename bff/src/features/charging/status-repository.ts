import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/contract';
import type { Db } from '../../infra/db/client';
import { chargingCellStatus, chargingCells, chargingEquipment, chargingStations } from './tables';

/** A cell with the ids and rated limits a status report needs. */
export interface CellRef {
  cellPk: number;
  orgId: number;
  cellId: string;
  equipmentId: string;
  stationId: string;
  stationPk: number;
  ratedVoltageUpper: number;
  ratedVoltageLower: number;
  ratedCurrent: number;
  ratedPower: number;
  /** When the cell (its rated limits) was last changed. */
  updatedAt: Date;
}

/** The kept state a new report replaced (what the emission rule of `charging.cell.status` compares). */
export interface PreviousStatus {
  status: number;
  voltage: number | null;
  current: number | null;
  temperature: number | null;
  receivedAt: Date;
}

export interface StatusWrite {
  cellPk: number;
  orgId: number;
  status: number;
  ts: Date;
  voltage: number | null;
  current: number | null;
  power: number | null;
  soc: number | null;
  temperature: number | null;
  sessionEnergy: number | null;
  /** Session start the operator sent (status 3 only), or null. */
  startAt: Date | null;
  receivedAt: Date;
}

/** SQL of the cells' live status. */
export class StatusRepository {
  constructor(private readonly db: Db) {}

  /** The operator's cells among `cellIds` (unknown ids are left out). */
  async cellRefs(operatorPk: number, cellIds: string[]): Promise<CellRef[]> {
    if (!cellIds.length) return [];
    return this.db
      .select({
        cellPk: chargingCells.id,
        orgId: chargingCells.orgId,
        cellId: chargingCells.cellId,
        equipmentId: chargingEquipment.equipmentId,
        stationId: chargingStations.stationId,
        stationPk: chargingStations.id,
        ratedVoltageUpper: chargingCells.ratedVoltageUpper,
        ratedVoltageLower: chargingCells.ratedVoltageLower,
        ratedCurrent: chargingCells.ratedCurrent,
        ratedPower: chargingCells.ratedPower,
        updatedAt: chargingCells.updatedAt,
      })
      .from(chargingCells)
      .innerJoin(chargingEquipment, eq(chargingEquipment.id, chargingCells.equipmentPk))
      .innerJoin(chargingStations, eq(chargingStations.id, chargingEquipment.stationPk))
      .where(and(eq(chargingCells.operatorPk, operatorPk), inArray(chargingCells.cellId, cellIds)));
  }

  async cellRef(operatorPk: number, cellId: string): Promise<CellRef | undefined> {
    return (await this.cellRefs(operatorPk, [cellId]))[0];
  }

  /**
   * Keeps the report when it is newer than the kept one (by the report's own time; an equal time is a
   * re-sent report and changes nothing). A charging cell keeps its session start across reports.
   * Returns whether it was kept and the state it replaced (null for the cell's first report). The kept
   * row is locked first, so concurrent reports of one cell each see the state the other left.
   */
  async keepIfNewer(tx: Tx, w: StatusWrite): Promise<{ kept: boolean; previous: PreviousStatus | null }> {
    const [previous] = await tx
      .select({
        status: chargingCellStatus.status,
        ts: chargingCellStatus.ts,
        voltage: chargingCellStatus.voltage,
        current: chargingCellStatus.current,
        temperature: chargingCellStatus.temperature,
        receivedAt: chargingCellStatus.receivedAt,
      })
      .from(chargingCellStatus)
      .where(eq(chargingCellStatus.cellPk, w.cellPk))
      .for('update');
    if (previous && previous.ts.getTime() >= w.ts.getTime()) return { kept: false, previous };
    const charging = w.status === 3;
    const since = charging ? (w.startAt ?? w.ts) : null;
    const sinceOnUpdate = charging
      ? w.startAt
        ? sql`${w.startAt.toISOString()}::timestamptz`
        : sql`case when ${chargingCellStatus.status} = 3 then ${chargingCellStatus.chargingSince} else ${w.ts.toISOString()}::timestamptz end`
      : sql`null`;
    const values = {
      status: w.status,
      ts: w.ts,
      voltage: w.voltage,
      current: w.current,
      power: w.power,
      soc: w.soc,
      temperature: w.temperature,
      sessionEnergy: w.sessionEnergy,
      receivedAt: w.receivedAt,
    };
    const rows = await tx
      .insert(chargingCellStatus)
      .values({ cellPk: w.cellPk, orgId: w.orgId, chargingSince: since, ...values })
      .onConflictDoUpdate({
        target: chargingCellStatus.cellPk,
        set: { ...values, chargingSince: sinceOnUpdate },
        setWhere: sql`${chargingCellStatus.ts} < ${w.ts.toISOString()}::timestamptz`,
      })
      .returning({ cellPk: chargingCellStatus.cellPk });
    return { kept: rows.length > 0, previous: previous ?? null };
  }
}
