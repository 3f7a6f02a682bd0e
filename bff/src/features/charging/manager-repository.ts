import { and, asc, count, desc, eq, gt, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import {
  chargingCellSpans,
  chargingCellStatus,
  chargingCells,
  chargingEquipment,
  chargingOperators,
  chargingRecords,
  chargingStations,
} from './tables';

/** One cell of the live view (`cells`), as PostgreSQL answers it. */
export interface LiveCellRow {
  id: number;
  operator_pk: number;
  equipment_pk: number;
  cell_id: string;
  cell_type: number;
  rated_power: number;
  status: number | null;
  ts_ms: number | null;
  power: number | null;
  voltage: number | null;
  current: number | null;
  soc: number | null;
  temperature: number | null;
  session_energy: number | null;
  charging_since_ms: number | null;
}

export interface StationFilter {
  stationId?: string;
  operatorId?: string;
}

export interface RecordFilter extends StationFilter {
  cellId?: string;
  from?: Date;
  to?: Date;
  plateNo?: string;
  payState?: string;
}

/** Read-only SQL of the managers' views, scoped by organization. */
export class ManagerRepository {
  constructor(private readonly db: Db) {}

  /** One page of the organization's stations (oldest first) and how many match. */
  async stations(orgId: number, f: StationFilter, limit: number, offset: number) {
    const where = and(
      eq(chargingStations.orgId, orgId),
      f.stationId ? eq(chargingStations.stationId, f.stationId) : undefined,
      f.operatorId ? eq(chargingOperators.operatorId, f.operatorId) : undefined,
    );
    const [rows, [total]] = await Promise.all([
      this.db
        .select({
          s: chargingStations,
          operatorId: chargingOperators.operatorId,
          site: chargingOperators.site,
        })
        .from(chargingStations)
        .innerJoin(chargingOperators, eq(chargingOperators.id, chargingStations.operatorPk))
        .where(where)
        .orderBy(asc(chargingStations.id))
        .limit(limit)
        .offset(offset),
      this.db
        .select({ n: count() })
        .from(chargingStations)
        .innerJoin(chargingOperators, eq(chargingOperators.id, chargingStations.operatorPk))
        .where(where),
    ]);
    return { rows, total: total?.n ?? 0 };
  }

  async equipment(orgId: number, stationPks: number[]) {
    if (!stationPks.length) return [];
    return this.db
      .select({
        id: chargingEquipment.id,
        stationPk: chargingEquipment.stationPk,
        equipmentId: chargingEquipment.equipmentId,
        name: chargingEquipment.name,
        equipmentType: chargingEquipment.equipmentType,
        power: chargingEquipment.power,
      })
      .from(chargingEquipment)
      .where(and(eq(chargingEquipment.orgId, orgId), inArray(chargingEquipment.stationPk, stationPks)))
      .orderBy(asc(chargingEquipment.id));
  }

  /**
   * The cells of the equipment with their live status: only what the view shows (not the cells'
   * submitted `info`). Plain rows, times as epoch milliseconds: a site may have thousands of cells and
   * the page is read every few seconds, so neither Drizzle's row mapping nor date parsing runs per cell.
   */
  async cells(orgId: number, equipmentPks: number[]): Promise<LiveCellRow[]> {
    if (!equipmentPks.length) return [];
    const res = (await this.db.execute(sql`
      select c.id, c.operator_pk, c.equipment_pk, c.cell_id, c.cell_type, c.rated_power,
             s.status, (extract(epoch from s.ts) * 1000)::float8 as ts_ms, s.power, s.voltage, s.current,
             s.soc, s.temperature, s.session_energy,
             (extract(epoch from s.charging_since) * 1000)::float8 as charging_since_ms
        from ${chargingCells} c
        left join ${chargingCellStatus} s on s.cell_pk = c.id
       where c.org_id = ${orgId} and c.equipment_pk in ${equipmentPks}
       order by c.id`)) as unknown as { rows: LiveCellRow[] };
    return res.rows;
  }

  /** Energy of records that ended in [from, to), per (operator, cell id). */
  async energyByCell(orgId: number, from: Date, to: Date) {
    return this.db
      .select({
        operatorPk: chargingRecords.operatorPk,
        cellId: chargingRecords.cellId,
        energy: sql<number>`coalesce(sum(${chargingRecords.totalPower}), 0)::float8`,
      })
      .from(chargingRecords)
      .where(
        and(
          eq(chargingRecords.orgId, orgId),
          gte(chargingRecords.endAt, from),
          lt(chargingRecords.endAt, to),
        ),
      )
      .groupBy(chargingRecords.operatorPk, chargingRecords.cellId);
  }

  /** Per station: records, energy and revenue that ended in [from, to). */
  async totalsByStation(orgId: number, from: Date, to: Date) {
    return this.db
      .select({
        stationPk: chargingRecords.stationPk,
        sessions: sql<number>`count(*)::int`,
        energy: sql<number>`coalesce(sum(${chargingRecords.totalPower}), 0)::float8`,
        revenue: sql<number>`coalesce(sum(${chargingRecords.totalMoney}), 0)::float8`,
      })
      .from(chargingRecords)
      .where(
        and(
          eq(chargingRecords.orgId, orgId),
          gte(chargingRecords.endAt, from),
          lt(chargingRecords.endAt, to),
        ),
      )
      .groupBy(chargingRecords.stationPk);
  }

  private recordWhere(orgId: number, f: RecordFilter): SQL | undefined {
    return and(
      eq(chargingRecords.orgId, orgId),
      f.stationId ? eq(chargingRecords.stationId, f.stationId) : undefined,
      f.cellId ? eq(chargingRecords.cellId, f.cellId) : undefined,
      f.operatorId ? eq(chargingOperators.operatorId, f.operatorId) : undefined,
      f.from ? gte(chargingRecords.endAt, f.from) : undefined,
      f.to ? lt(chargingRecords.endAt, f.to) : undefined,
      f.plateNo ? eq(chargingRecords.plateNo, f.plateNo) : undefined,
      f.payState ? eq(chargingRecords.payState, f.payState) : undefined,
    );
  }

  async records(orgId: number, f: RecordFilter, limit: number, offset: number) {
    const where = this.recordWhere(orgId, f);
    const base = () =>
      this.db
        .select({
          r: chargingRecords,
          operatorId: chargingOperators.operatorId,
          stationName: chargingStations.name,
        })
        .from(chargingRecords)
        .innerJoin(chargingOperators, eq(chargingOperators.id, chargingRecords.operatorPk))
        .innerJoin(chargingStations, eq(chargingStations.id, chargingRecords.stationPk));
    const [rows, [total]] = await Promise.all([
      base()
        .where(where)
        .orderBy(desc(chargingRecords.endAt), desc(chargingRecords.id))
        .limit(limit)
        .offset(offset),
      this.db
        .select({ n: count() })
        .from(chargingRecords)
        .innerJoin(chargingOperators, eq(chargingOperators.id, chargingRecords.operatorPk))
        .where(where),
    ]);
    return { rows, total: total?.n ?? 0 };
  }

  async recordTotals(orgId: number, f: RecordFilter) {
    const [row] = await this.db
      .select({
        sessions: sql<number>`count(*)::int`,
        power: sql<number>`coalesce(sum(${chargingRecords.totalPower}), 0)::float8`,
        money: sql<number>`coalesce(sum(${chargingRecords.totalMoney}), 0)::float8`,
        elec: sql<number>`coalesce(sum(${chargingRecords.elecMoney}), 0)::float8`,
        service: sql<number>`coalesce(sum(${chargingRecords.serviceMoney}), 0)::float8`,
        seconds: sql<number>`coalesce(sum(extract(epoch from (${chargingRecords.endAt} - ${chargingRecords.startAt}))), 0)::float8`,
      })
      .from(chargingRecords)
      .innerJoin(chargingOperators, eq(chargingOperators.id, chargingRecords.operatorPk))
      .where(this.recordWhere(orgId, f));
    return row!;
  }

  /** Records overlapping [from, to) (utilisation), optionally of one station id. */
  async overlapping(orgId: number, from: Date, to: Date, stationId?: string) {
    return this.db
      .select({
        startAt: chargingRecords.startAt,
        endAt: chargingRecords.endAt,
        totalPower: chargingRecords.totalPower,
        totalMoney: chargingRecords.totalMoney,
      })
      .from(chargingRecords)
      .where(
        and(
          eq(chargingRecords.orgId, orgId),
          lt(chargingRecords.startAt, to),
          gt(chargingRecords.endAt, from),
          stationId ? eq(chargingRecords.stationId, stationId) : undefined,
        ),
      );
  }

  /** Spans of the cells that existed at some time in [from, to), optionally in one station id. */
  async cellSpans(orgId: number, from: Date, to: Date, stationId?: string) {
    return this.db
      .select({
        cellPk: chargingCellSpans.cellPk,
        fromAt: chargingCellSpans.fromAt,
        toAt: chargingCellSpans.toAt,
      })
      .from(chargingCellSpans)
      .where(
        and(
          eq(chargingCellSpans.orgId, orgId),
          lt(chargingCellSpans.fromAt, to),
          or(isNull(chargingCellSpans.toAt), gt(chargingCellSpans.toAt, from)),
          stationId ? eq(chargingCellSpans.stationId, stationId) : undefined,
        ),
      );
  }
}
