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
  stationName: string;
  ratedVoltageUpper: number;
  ratedVoltageLower: number;
  ratedCurrent: number;
  ratedPower: number;
  /** When the cell (its rated limits) was last changed. */
  updatedAt: Date;
  /** The kept state when the cell was read (not locked; null before the first report). */
  kept: (PreviousStatus & { ts: Date }) | null;
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

/** The columns a newer report sets on the kept row (a charging cell keeps its session start). */
function updateOf(w: StatusWrite) {
  const sinceOnUpdate =
    w.status === 3
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
  return { values, sinceOnUpdate };
}

/** SQL of the cells' live status. */
export class StatusRepository {
  constructor(private readonly db: Db) {}

  /** The operator's cells among `cellIds` (unknown ids are left out). */
  async cellRefs(operatorPk: number, cellIds: string[]): Promise<CellRef[]> {
    if (!cellIds.length) return [];
    const rows = await this.db
      .select({
        cellPk: chargingCells.id,
        orgId: chargingCells.orgId,
        cellId: chargingCells.cellId,
        equipmentId: chargingEquipment.equipmentId,
        stationId: chargingStations.stationId,
        stationPk: chargingStations.id,
        stationName: chargingStations.name,
        ratedVoltageUpper: chargingCells.ratedVoltageUpper,
        ratedVoltageLower: chargingCells.ratedVoltageLower,
        ratedCurrent: chargingCells.ratedCurrent,
        ratedPower: chargingCells.ratedPower,
        updatedAt: chargingCells.updatedAt,
        keptTs: chargingCellStatus.ts,
        keptStatus: chargingCellStatus.status,
        keptVoltage: chargingCellStatus.voltage,
        keptCurrent: chargingCellStatus.current,
        keptTemperature: chargingCellStatus.temperature,
        keptReceivedAt: chargingCellStatus.receivedAt,
      })
      .from(chargingCells)
      .innerJoin(chargingEquipment, eq(chargingEquipment.id, chargingCells.equipmentPk))
      .innerJoin(chargingStations, eq(chargingStations.id, chargingEquipment.stationPk))
      .leftJoin(chargingCellStatus, eq(chargingCellStatus.cellPk, chargingCells.id))
      .where(and(eq(chargingCells.operatorPk, operatorPk), inArray(chargingCells.cellId, cellIds)));
    return rows.map(
      ({ keptTs, keptStatus, keptVoltage, keptCurrent, keptTemperature, keptReceivedAt, ...c }) => ({
        ...c,
        kept:
          keptTs && keptStatus !== null && keptReceivedAt
            ? {
                ts: keptTs,
                status: keptStatus,
                voltage: keptVoltage,
                current: keptCurrent,
                temperature: keptTemperature,
                receivedAt: keptReceivedAt,
              }
            : null,
      }),
    );
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
    const { values, sinceOnUpdate } = updateOf(w);
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

  /**
   * One statement, no transaction: replaces the kept row only if it is still the one read (`keptTs`: every
   * change raises ts) and the cell was not changed since it was read. Returns whether it replaced it; when
   * not, the caller takes the locked path.
   */
  async replaceIfUnchanged(w: StatusWrite, keptTs: Date, cellUpdatedAt: Date): Promise<boolean> {
    const { values, sinceOnUpdate } = updateOf(w);
    const rows = await this.db
      .update(chargingCellStatus)
      .set({ ...values, chargingSince: sinceOnUpdate })
      .where(
        and(
          eq(chargingCellStatus.cellPk, w.cellPk),
          eq(chargingCellStatus.ts, keptTs),
          sql`${chargingCellStatus.ts} < ${w.ts.toISOString()}::timestamptz`,
          sql`exists (select 1 from ${chargingCells} where ${chargingCells.id} = ${w.cellPk} and ${chargingCells.updatedAt} = ${cellUpdatedAt.toISOString()}::timestamptz)`,
        ),
      )
      .returning({ cellPk: chargingCellStatus.cellPk });
    return rows.length > 0;
  }
}
