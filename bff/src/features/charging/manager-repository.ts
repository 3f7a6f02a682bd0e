import { and, count, desc, eq, gt, gte, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { CELL_STATUS_NAMES } from '@wattdesk/shared';
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

/** The site's current day and month (business calendar) and its zone, for a page of stations. */
export interface StationWindows {
  tz: string;
  dayStart: Date;
  dayEnd: Date;
  monthStart: Date;
  monthEnd: Date;
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

  /**
   * One page of the organization's stations (oldest first) → equipment → cells with live status, as the
   * 002 `Data` array in JSON text, and how many stations match. PostgreSQL builds the JSON: a site may have
   * thousands of cells and the page is read every few seconds, and building it here keeps that work off the
   * BFF's single thread, which serves the operators' status reports meanwhile. Rounding and the time format
   * are those of the rest of the API (3 decimals for kWh and kW, 2 for money; `yyyy-MM-dd HH:mm:ss` in the
   * site's zone, seconds truncated).
   */
  async stationsPage(orgId: number, f: StationFilter, limit: number, offset: number, w: StationWindows) {
    const where = and(
      eq(chargingStations.orgId, orgId),
      f.stationId ? eq(chargingStations.stationId, f.stationId) : undefined,
      f.operatorId ? eq(chargingOperators.operatorId, f.operatorId) : undefined,
    );
    const names = JSON.stringify(CELL_STATUS_NAMES);
    const [page, [total]] = await Promise.all([
      this.db.execute(sql`
        with st as materialized (
          select charging_stations.id, charging_stations.station_id, charging_stations.name,
                 charging_stations.address, charging_stations.station_status,
                 charging_operators.operator_id, charging_operators.site
            from ${chargingStations}
            join ${chargingOperators} on charging_operators.id = charging_stations.operator_pk
           where ${where}
           order by charging_stations.id
           limit ${limit} offset ${offset}
        ), eq as materialized (
          select e.id, e.station_pk, e.equipment_id, e.name, e.equipment_type, e.power
            from ${chargingEquipment} e
           where e.org_id = ${orgId} and e.station_pk in (select id from st)
        ), today_cell as materialized (
          select r.operator_pk, r.cell_id, sum(r.total_power) as energy
            from ${chargingRecords} r
           where r.org_id = ${orgId} and r.end_at >= ${w.dayStart} and r.end_at < ${w.dayEnd}
           group by r.operator_pk, r.cell_id
        ), eq_cells as materialized (
          select e.id, e.station_pk, e.equipment_id, e.name, e.equipment_type, e.power,
                 coalesce(
                   json_agg((select x from (select
                      c.cell_id as "Cell_Id",
                      c.cell_type as "Cell_Type",
                      c.rated_power as "Rated_Power",
                      coalesce(cs.status, 0) as "Status",
                      coalesce(${names}::jsonb ->> coalesce(cs.status, 0)::text, coalesce(cs.status, 0)::text)
                        as "Status_Name",
                      to_char(cs.ts at time zone ${w.tz}, 'YYYY-MM-DD HH24:MI:SS') as "Status_Time",
                      cs.power as "Power",
                      cs.voltage as "Voltage",
                      cs.current as "Current",
                      cs.soc as "Soc",
                      cs.temperature as "Temperature",
                      case when cs.status = 3 then cs.session_energy end as "Session_Energy",
                      case when cs.status = 3
                           then to_char(cs.charging_since at time zone ${w.tz}, 'YYYY-MM-DD HH24:MI:SS') end
                        as "Charging_Since",
                      round(coalesce(t.energy, 0)::numeric, 3)::float8 as "Today_Energy"
                   ) x) order by c.id) filter (where c.id is not null),
                   '[]'::json
                 ) as cells,
                 count(c.id) filter (where coalesce(cs.status, 0) not in (1, 2, 3, 4, 255)) as n_offline,
                 count(c.id) filter (where cs.status = 1) as n_idle,
                 count(c.id) filter (where cs.status = 2) as n_occupied,
                 count(c.id) filter (where cs.status = 3) as n_charging,
                 count(c.id) filter (where cs.status = 4) as n_reserved,
                 count(c.id) filter (where cs.status = 255) as n_fault,
                 coalesce(sum(cs.power), 0) as power_now
            from eq e
            left join ${chargingCells} c on c.equipment_pk = e.id and c.org_id = ${orgId}
            left join ${chargingCellStatus} cs on cs.cell_pk = c.id
            left join today_cell t on t.operator_pk = c.operator_pk and t.cell_id = c.cell_id
           group by e.id, e.station_pk, e.equipment_id, e.name, e.equipment_type, e.power
        ), st_equipment as (
          select e.station_pk,
                 json_agg((select x from (select
                    e.equipment_id as "Equipment_Id",
                    e.name as "Equipment_Name",
                    e.equipment_type as "Equipment_Type",
                    e.power as "Power",
                    e.cells as "Cells"
                 ) x) order by e.id) as equipment,
                 sum(n_offline) as n_offline, sum(n_idle) as n_idle, sum(n_occupied) as n_occupied,
                 sum(n_charging) as n_charging, sum(n_reserved) as n_reserved, sum(n_fault) as n_fault,
                 sum(power_now) as power_now
            from eq_cells e
           group by e.station_pk
        ), totals as (
          select r.station_pk,
                 count(*) filter (where r.end_at >= ${w.dayStart} and r.end_at < ${w.dayEnd}) as day_sessions,
                 sum(r.total_power) filter (where r.end_at >= ${w.dayStart} and r.end_at < ${w.dayEnd}) as day_energy,
                 sum(r.total_money) filter (where r.end_at >= ${w.dayStart} and r.end_at < ${w.dayEnd}) as day_revenue,
                 count(*) filter (where r.end_at >= ${w.monthStart} and r.end_at < ${w.monthEnd}) as month_sessions,
                 sum(r.total_power) filter (where r.end_at >= ${w.monthStart} and r.end_at < ${w.monthEnd}) as month_energy,
                 sum(r.total_money) filter (where r.end_at >= ${w.monthStart} and r.end_at < ${w.monthEnd}) as month_revenue
            from ${chargingRecords} r
           where r.org_id = ${orgId} and r.station_pk in (select id from st)
             and r.end_at >= least(${w.dayStart}::timestamptz, ${w.monthStart}::timestamptz)
             and r.end_at < greatest(${w.dayEnd}::timestamptz, ${w.monthEnd}::timestamptz)
           group by r.station_pk
        )
        select coalesce(json_agg((select x from (select
                 st.station_id as "Station_Id",
                 st.name as "Station_Name",
                 st.operator_id as "Operator_Id",
                 st.site as "Site",
                 st.address as "Address",
                 st.station_status as "Station_Status",
                 (select x from (select
                    coalesce(q.n_offline, 0) as "Offline",
                    coalesce(q.n_idle, 0) as "Idle",
                    coalesce(q.n_occupied, 0) as "Occupied",
                    coalesce(q.n_charging, 0) as "Charging",
                    coalesce(q.n_reserved, 0) as "Reserved",
                    coalesce(q.n_fault, 0) as "Fault"
                 ) x) as "Counts",
                 round(coalesce(q.power_now, 0)::numeric, 3)::float8 as "Power",
                 round(coalesce(t.day_energy, 0)::numeric, 3)::float8 as "Today_Energy",
                 coalesce(t.day_sessions, 0) as "Today_Sessions",
                 round(coalesce(t.day_revenue, 0)::numeric, 2)::float8 as "Today_Revenue",
                 round(coalesce(t.month_energy, 0)::numeric, 3)::float8 as "Month_Energy",
                 coalesce(t.month_sessions, 0) as "Month_Sessions",
                 round(coalesce(t.month_revenue, 0)::numeric, 2)::float8 as "Month_Revenue",
                 coalesce(q.equipment, '[]'::json) as "Equipment"
               ) x) order by st.id), '[]'::json)::text as data
          from st
          left join st_equipment q on q.station_pk = st.id
          left join totals t on t.station_pk = st.id`),
      this.db
        .select({ n: count() })
        .from(chargingStations)
        .innerJoin(chargingOperators, eq(chargingOperators.id, chargingStations.operatorPk))
        .where(where),
    ]);
    const rows = (page as unknown as { rows: { data: string }[] }).rows;
    return { json: rows[0]?.data ?? '[]', total: total?.n ?? 0 };
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
