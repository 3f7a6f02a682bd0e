import { and, asc, count, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import type { Tx } from '../../platform/contract';
import { chargingCellSpans, chargingCells, chargingEquipment, chargingStations } from './tables';

export type StationRow = typeof chargingStations.$inferSelect;
export type EquipmentRow = typeof chargingEquipment.$inferSelect;
export type CellRow = typeof chargingCells.$inferSelect;

type Table = typeof chargingStations | typeof chargingEquipment | typeof chargingCells;

/** Opens a span for each cell, in its current station, from `at`. */
async function openSpans(tx: Tx, cellPks: number[], at: Date): Promise<void> {
  if (!cellPks.length) return;
  const rows = await tx
    .select({
      orgId: chargingCells.orgId,
      operatorPk: chargingCells.operatorPk,
      cellPk: chargingCells.id,
      cellId: chargingCells.cellId,
      stationId: chargingStations.stationId,
    })
    .from(chargingCells)
    .innerJoin(chargingEquipment, eq(chargingEquipment.id, chargingCells.equipmentPk))
    .innerJoin(chargingStations, eq(chargingStations.id, chargingEquipment.stationPk))
    .where(inArray(chargingCells.id, cellPks));
  if (rows.length) await tx.insert(chargingCellSpans).values(rows.map((r) => ({ ...r, fromAt: at })));
}

/** Ends the open spans of the cells at `at`. */
async function closeSpans(tx: Tx, cellPks: number[], at: Date): Promise<void> {
  if (!cellPks.length) return;
  await tx
    .update(chargingCellSpans)
    // Never before the span's start (a clock stepped back must not make the span invalid).
    .set({ toAt: sql`greatest(${chargingCellSpans.fromAt}, ${at.toISOString()}::timestamptz)` })
    .where(and(inArray(chargingCellSpans.cellPk, cellPks), isNull(chargingCellSpans.toAt)));
}

/** The cells' station may have changed: their spans end at `at` and start again where they are now. */
async function moveSpans(tx: Tx, cellPks: number[], at: Date): Promise<void> {
  await closeSpans(tx, cellPks, at);
  await openSpans(tx, cellPks, at);
}

/** SQL of stations, equipment and cells. Every query is scoped by the operator (and so its organization). */
export class AssetsRepository {
  constructor(private readonly db: Db) {}

  async findStation(operatorPk: number, stationId: string): Promise<StationRow | undefined> {
    const [row] = await this.db
      .select()
      .from(chargingStations)
      .where(and(eq(chargingStations.operatorPk, operatorPk), eq(chargingStations.stationId, stationId)));
    return row;
  }

  async findEquipment(operatorPk: number, equipmentId: string): Promise<EquipmentRow | undefined> {
    const [row] = await this.db
      .select()
      .from(chargingEquipment)
      .where(
        and(eq(chargingEquipment.operatorPk, operatorPk), eq(chargingEquipment.equipmentId, equipmentId)),
      );
    return row;
  }

  async findCell(operatorPk: number, cellId: string): Promise<CellRow | undefined> {
    const [row] = await this.db
      .select()
      .from(chargingCells)
      .where(and(eq(chargingCells.operatorPk, operatorPk), eq(chargingCells.cellId, cellId)));
    return row;
  }

  /** One page of an operator's rows of a table, oldest first, and the count before paging. */
  async page<T extends Table>(
    table: T,
    operatorPk: number,
    filter: SQL | undefined,
    limit: number,
    offset: number,
  ): Promise<{ rows: T['$inferSelect'][]; total: number }> {
    const where = and(eq(table.operatorPk, operatorPk), filter);
    const [rows, [total]] = await Promise.all([
      this.db
        .select()
        .from(table as Table)
        .where(where)
        .orderBy(asc(table.id))
        .limit(limit)
        .offset(offset),
      this.db
        .select({ n: count() })
        .from(table as Table)
        .where(where),
    ]);
    return { rows: rows as T['$inferSelect'][], total: total?.n ?? 0 };
  }

  insertStation(v: typeof chargingStations.$inferInsert) {
    return this.db.insert(chargingStations).values(v);
  }
  insertEquipment(v: typeof chargingEquipment.$inferInsert) {
    return this.db.insert(chargingEquipment).values(v);
  }
  /** Inserts a cell and opens its span (charging_cell_spans) at `at`, in one transaction. */
  async insertCell(v: typeof chargingCells.$inferInsert, at: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [row] = await tx.insert(chargingCells).values(v).returning({ id: chargingCells.id });
      await openSpans(tx, [row!.id], at);
    });
  }

  updateStation(id: number, v: Partial<typeof chargingStations.$inferInsert>) {
    return this.db.update(chargingStations).set(v).where(eq(chargingStations.id, id));
  }
  /** Updates equipment; when it `moved` to another station, its cells' spans move along at `at`. */
  async updateEquipment(
    id: number,
    v: Partial<typeof chargingEquipment.$inferInsert>,
    moved: boolean,
    at: Date,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.update(chargingEquipment).set(v).where(eq(chargingEquipment.id, id));
      if (!moved) return;
      const cells = await tx
        .select({ id: chargingCells.id })
        .from(chargingCells)
        .where(eq(chargingCells.equipmentPk, id));
      await moveSpans(
        tx,
        cells.map((c) => c.id),
        at,
      );
    });
  }
  /** Updates a cell; when it `moved` to other equipment, its span is closed and a new one opened at `at`. */
  async updateCell(
    id: number,
    v: Partial<typeof chargingCells.$inferInsert>,
    moved: boolean,
    at: Date,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.update(chargingCells).set(v).where(eq(chargingCells.id, id));
      if (moved) await moveSpans(tx, [id], at);
    });
  }

  /**
   * Deletes a row by id (a cell's span closes at `at` in the same transaction); the foreign keys refuse
   * a station with equipment or equipment with cells.
   */
  async remove(table: Table, id: number, at: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (table === chargingCells) await closeSpans(tx, [id], at);
      await tx.delete(table).where(eq(table.id, id));
    });
  }

  /** Whether any row of `table` references `parentPk` in `column`. */
  async hasChildren(
    table: typeof chargingEquipment | typeof chargingCells,
    parentPk: number,
  ): Promise<boolean> {
    const col = table === chargingEquipment ? chargingEquipment.stationPk : chargingCells.equipmentPk;
    const [row] = await this.db.select({ n: count() }).from(table).where(eq(col, parentPk));
    return (row?.n ?? 0) > 0;
  }
}
