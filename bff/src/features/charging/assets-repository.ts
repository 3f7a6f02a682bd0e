import { and, asc, count, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import { chargingCells, chargingEquipment, chargingStations } from './tables';

export type StationRow = typeof chargingStations.$inferSelect;
export type EquipmentRow = typeof chargingEquipment.$inferSelect;
export type CellRow = typeof chargingCells.$inferSelect;

type Table = typeof chargingStations | typeof chargingEquipment | typeof chargingCells;

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
  insertCell(v: typeof chargingCells.$inferInsert) {
    return this.db.insert(chargingCells).values(v);
  }

  updateStation(id: number, v: Partial<typeof chargingStations.$inferInsert>) {
    return this.db.update(chargingStations).set(v).where(eq(chargingStations.id, id));
  }
  updateEquipment(id: number, v: Partial<typeof chargingEquipment.$inferInsert>) {
    return this.db.update(chargingEquipment).set(v).where(eq(chargingEquipment.id, id));
  }
  updateCell(id: number, v: Partial<typeof chargingCells.$inferInsert>) {
    return this.db.update(chargingCells).set(v).where(eq(chargingCells.id, id));
  }

  /** Deletes a row by id; the foreign keys refuse a station with equipment or equipment with cells. */
  async remove(table: Table, id: number): Promise<void> {
    await this.db.delete(table).where(eq(table.id, id));
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
