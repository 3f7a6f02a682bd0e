import { and, eq, inArray, sql, type SQLWrapper } from 'drizzle-orm';
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
  /** The same instant exactly, in microseconds (what the statements below compare: a Date keeps ms). */
  version: string;
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

/**
 * The session start a newer report sets on the kept row: a charging report (3) sets the operator's start,
 * else keeps the kept start while the cell was already charging, else starts at the report's time; any
 * other status clears it. One rule for both statements (values or placeholders; the kept row's columns are
 * its values before the update).
 */
const sessionStartOnUpdate = (status: SQLWrapper, startAt: SQLWrapper, ts: SQLWrapper) =>
  sql`case when ${status}::smallint = 3 then coalesce(${startAt}::timestamptz,
        case when ${chargingCellStatus.status} = 3 then ${chargingCellStatus.chargingSince}
             else ${ts}::timestamptz end) end`;

/**
 * A cell's version: its `updated_at` in whole microseconds (exact; the column keeps microseconds by
 * default `now()`, which a JavaScript Date cannot hold).
 */
const cellVersion = sql<string>`(extract(epoch from ${chargingCells.updatedAt}) * 1000000)::bigint`;

interface KeepRow {
  status: number | null;
  voltage: number | null;
  current: number | null;
  temperature: number | null;
  received_at: Date | string | null;
  kept: number;
  first: boolean;
  cell_same: boolean;
}

const asDate = (v: Date | string | null): Date | null =>
  v === null ? null : v instanceof Date ? v : new Date(v);

/** SQL of the cells' live status. */
export class StatusRepository {
  /**
   * The steady report's statement (`replaceIfUnchanged`), built once: a named prepared statement on
   * PostgreSQL. A charging cell keeps its session start (the operator's, else the kept one while it was
   * already charging, else the report's time); any other status clears it.
   */
  private readonly replaceQuery;

  constructor(private readonly db: Db) {
    const p = sql.placeholder;
    this.replaceQuery = db
      .update(chargingCellStatus)
      .set({
        status: sql`${p('status')}::smallint`,
        ts: sql`${p('ts')}::timestamptz`,
        voltage: sql`${p('voltage')}::float8`,
        current: sql`${p('current')}::float8`,
        power: sql`${p('power')}::float8`,
        soc: sql`${p('soc')}::float8`,
        temperature: sql`${p('temperature')}::float8`,
        sessionEnergy: sql`${p('sessionEnergy')}::float8`,
        chargingSince: sessionStartOnUpdate(p('status'), p('startAt'), p('ts')),
        receivedAt: sql`${p('receivedAt')}::timestamptz`,
      })
      .where(
        and(
          sql`${chargingCellStatus.cellPk} = ${p('cellPk')}::int`,
          sql`${chargingCellStatus.ts} = ${p('keptTs')}::timestamptz`,
          sql`${chargingCellStatus.ts} < ${p('ts')}::timestamptz`,
          sql`exists (select 1 from ${chargingCells} where ${chargingCells.id} = ${p('cellPk')}::int
                 and ${cellVersion} = ${p('version')}::bigint)`,
        ),
      )
      .returning({ cellPk: chargingCellStatus.cellPk })
      .prepare('charging_status_replace');
  }

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
        version: sql<string>`${cellVersion}::text`,
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
   * One statement: the kept row is locked and read (its values before this report), replaced when
   * older, or inserted for the cell's first report; it also answers when the cell was last changed, so
   * a caller holding an older copy of the cell can roll back and read it again. Concurrent reports of
   * one cell each see the state the other left.
   */
  async keepIfNewer(
    tx: Tx,
    w: StatusWrite,
    version: string,
  ): Promise<{ kept: boolean; previous: PreviousStatus | null; cellSame: boolean }> {
    const ts = w.ts.toISOString();
    const since = w.status === 3 ? (w.startAt ?? w.ts).toISOString() : null;
    const sinceOnUpdate = sessionStartOnUpdate(
      sql`${w.status}`,
      sql`${w.startAt?.toISOString() ?? null}`,
      sql`${ts}`,
    );
    for (let attempt = 0; ; attempt++) {
      const res = (await tx.execute(sql`
        with old as (
          select status, ts, voltage, current, temperature, received_at
            from ${chargingCellStatus} where ${chargingCellStatus.cellPk} = ${w.cellPk}::int for update
        ), upd as (
          update ${chargingCellStatus}
             set status = ${w.status}, ts = ${ts}::timestamptz, voltage = ${w.voltage},
                 current = ${w.current}, power = ${w.power}, soc = ${w.soc},
                 temperature = ${w.temperature}, session_energy = ${w.sessionEnergy},
                 charging_since = ${sinceOnUpdate}, received_at = ${w.receivedAt.toISOString()}::timestamptz
            from old
           where ${chargingCellStatus.cellPk} = ${w.cellPk} and old.ts < ${ts}::timestamptz
          returning 1
        ), ins as (
          insert into ${chargingCellStatus}
                 (cell_pk, org_id, status, ts, voltage, current, power, soc, temperature, session_energy,
                  charging_since, received_at)
          select ${w.cellPk}::int, ${w.orgId}::int, ${w.status}::smallint, ${ts}::timestamptz,
                 ${w.voltage}::float8, ${w.current}::float8, ${w.power}::float8,
                 ${w.soc}::float8, ${w.temperature}::float8, ${w.sessionEnergy}::float8,
                 ${since}::timestamptz, ${w.receivedAt.toISOString()}::timestamptz
           where not exists (select 1 from old)
             and exists (select 1 from ${chargingCells} where ${chargingCells.id} = ${w.cellPk}::int)
          on conflict (cell_pk) do nothing
          returning 1
        )
        select o.status, o.voltage, o.current, o.temperature, o.received_at,
               (select count(*) from upd)::int + (select count(*) from ins)::int as kept,
               not exists (select 1 from old) as first,
               coalesce((select ${cellVersion} = ${version}::bigint from ${chargingCells}
                          where ${chargingCells.id} = ${w.cellPk}::int), false) as cell_same
          from (select 1) d left join old o on true`)) as unknown as { rows: KeepRow[] };
      const r = res.rows[0]!;
      // Two first reports of a new cell at once: the other inserted first; read its row and compare.
      if (r.first && !r.kept && attempt === 0) continue;
      const previous: PreviousStatus | null = r.first
        ? null
        : {
            status: r.status!,
            voltage: r.voltage,
            current: r.current,
            temperature: r.temperature,
            receivedAt: asDate(r.received_at)!,
          };
      return { kept: r.kept > 0, previous, cellSame: r.cell_same };
    }
  }

  /**
   * One statement, no transaction: replaces the kept row only if it is still the one read (`keptTs`: every
   * change raises ts) and the cell was not changed since it was read. Returns whether it replaced it; when
   * not, the caller takes the locked path.
   */
  async replaceIfUnchanged(w: StatusWrite, keptTs: Date, version: string): Promise<boolean> {
    const rows = await this.replaceQuery.execute({
      cellPk: w.cellPk,
      keptTs: keptTs.toISOString(),
      version,
      status: w.status,
      ts: w.ts.toISOString(),
      voltage: w.voltage,
      current: w.current,
      power: w.power,
      soc: w.soc,
      temperature: w.temperature,
      sessionEnergy: w.sessionEnergy,
      startAt: w.startAt?.toISOString() ?? null,
      receivedAt: w.receivedAt.toISOString(),
    });
    return rows.length > 0;
  }
}
