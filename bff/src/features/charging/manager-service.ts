import { type ChargingRecordItem, type PayState } from '@wattdesk/shared';
import { invalid } from '../../core/errors';
import { parseLocal } from '../../core/time';
import type { Clock } from '../../infra/clock';
import type { BusinessCalendar } from '../calendar/calendar';
import type { ManagerRepository, RecordFilter } from './manager-repository';
import { opTimeFormatter } from './op-time';

const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;
const MAX_DAYS = 92;
/** Stations, records and utilisation as managers of the organization see them. */
export class ManagerService {
  constructor(
    private readonly repo: ManagerRepository,
    private readonly clock: Clock,
    private readonly calendarOf: (orgId: number) => Promise<BusinessCalendar>,
  ) {}

  /**
   * One page of stations → equipment → cells with live status, today's energy and the stations' day/month
   * totals, as the JSON text of the 002 `Data` array (built by PostgreSQL, see the repository), and the
   * number of matching stations.
   */
  async stationsJson(
    orgId: number,
    f: { stationId?: string; operatorId?: string },
    limit: number,
    offset: number,
  ): Promise<{ json: string; total: number }> {
    const cal = await this.calendarOf(orgId);
    const now = this.clock.now().getTime();
    const dayStart = new Date(cal.dayStart(now));
    const monthStart = new Date(cal.monthStart(now));
    return this.repo.stationsPage(orgId, f, limit, offset, {
      tz: cal.rule.tz,
      dayStart,
      dayEnd: new Date(cal.nextDay(dayStart.getTime())),
      monthStart,
      monthEnd: new Date(cal.addMonths(monthStart.getTime(), 1)),
    });
  }

  private async filter(
    orgId: number,
    q: {
      Station_Id?: string;
      Cell_Id?: string;
      Operator_Id?: string;
      Start_Time?: string;
      End_Time?: string;
      Plate_No?: string;
      Pay_State?: PayState;
    },
  ): Promise<{ f: RecordFilter; tz: string }> {
    const { tz } = (await this.calendarOf(orgId)).rule;
    const from = q.Start_Time ? parseLocal(q.Start_Time, tz) : undefined;
    if (from === null) throw invalid('Start_Time', '不是有效的时间');
    const to = q.End_Time ? parseLocal(q.End_Time, tz) : undefined;
    if (to === null) throw invalid('End_Time', '不是有效的时间');
    if (from && to && from.getTime() >= to.getTime()) throw invalid('End_Time', '必须晚于 Start_Time');
    return {
      tz,
      f: {
        stationId: q.Station_Id,
        cellId: q.Cell_Id,
        operatorId: q.Operator_Id,
        from,
        to,
        plateNo: q.Plate_No,
        payState: q.Pay_State,
      },
    };
  }

  async records(orgId: number, q: Parameters<ManagerService['filter']>[1], limit: number, offset: number) {
    const { f, tz } = await this.filter(orgId, q);
    const { rows, total } = await this.repo.records(orgId, f, limit, offset);
    const fmt = opTimeFormatter(tz);
    const items: ChargingRecordItem[] = rows.map(({ r, operatorId, stationName }) => ({
      id: r.id,
      Record_Id: r.recordId,
      Operator_Id: operatorId,
      Station_Id: r.stationId,
      Station_Name: stationName,
      Equipment_Id: r.equipmentId,
      Cell_Id: r.cellId,
      Start_Time: fmt(r.startAt),
      End_Time: fmt(r.endAt),
      Total_Power: r.totalPower,
      Total_Money: r.totalMoney,
      Elec_Money: r.elecMoney,
      Service_Money: r.serviceMoney,
      Plate_No: r.plateNo,
      Stop_Reason: r.stopReason,
      Pay_State: r.payState as PayState,
    }));
    return { items, total };
  }

  async recordTotals(orgId: number, q: Parameters<ManagerService['filter']>[1]) {
    const { f } = await this.filter(orgId, q);
    const t = await this.repo.recordTotals(orgId, f);
    return {
      Sessions: t.sessions,
      Total_Power: round(t.power),
      Total_Money: round(t.money, 2),
      Elec_Money: round(t.elec, 2),
      Service_Money: round(t.service, 2),
      Charging_Seconds: Math.round(t.seconds),
    };
  }

  /**
   * Per business day: charging time share of the cells that existed that day (charging_cell_spans), and
   * sessions, energy and revenue of records ending that day.
   */
  async utilisation(orgId: number, q: { Start_Date: string; End_Date: string; Station_Id?: string }) {
    const cal = await this.calendarOf(orgId);
    const dayOf = (d: string, field: string) => {
      const t = parseLocal(`${d} 00:00:00`, cal.rule.tz);
      if (!t) throw invalid(field, '不是有效的日期');
      return cal.dayStart(t.getTime() + cal.rule.dayMinute * 60_000);
    };
    const first = dayOf(q.Start_Date, 'Start_Date');
    const last = dayOf(q.End_Date, 'End_Date');
    if (last < first) throw invalid('End_Date', '不能早于 Start_Date');
    const days: number[] = [];
    for (let t = first; t <= last; t = cal.nextDay(t)) {
      days.push(t);
      if (days.length > MAX_DAYS) throw invalid('End_Date', `最多查询 ${MAX_DAYS} 天`);
    }
    const end = cal.nextDay(last);
    const [records, spans] = await Promise.all([
      this.repo.overlapping(orgId, new Date(first), new Date(end), q.Station_Id),
      this.repo.cellSpans(orgId, new Date(first), new Date(end), q.Station_Id),
    ]);
    return days.map((start) => {
      const stop = cal.nextDay(start);
      // The cells that existed at some time of this day (a cell added later does not count here).
      const existed = new Set<number>();
      for (const sp of spans)
        if (sp.fromAt.getTime() < stop && (sp.toAt === null || sp.toAt.getTime() > start))
          existed.add(sp.cellPk);
      const cells = existed.size;
      let seconds = 0;
      let sessions = 0;
      let energy = 0;
      let revenue = 0;
      for (const r of records) {
        const a = Math.max(start, r.startAt.getTime());
        const b = Math.min(stop, r.endAt.getTime());
        if (b > a) seconds += (b - a) / 1000;
        const e = r.endAt.getTime();
        if (e >= start && e < stop) {
          sessions += 1;
          energy += r.totalPower;
          revenue += r.totalMoney;
        }
      }
      const capacity = (cells * (stop - start)) / 1000;
      const [y, m, d] = cal.dayDate(start);
      return {
        Date: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
        Cells: cells,
        Charging_Seconds: Math.round(seconds),
        Utilisation: capacity > 0 ? round(Math.min(1, seconds / capacity), 4) : 0,
        Sessions: sessions,
        Energy: round(energy),
        Revenue: round(revenue, 2),
      };
    });
  }
}
