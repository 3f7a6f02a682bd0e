import {
  OEE_OFFLINE,
  OEE_PLANNED_STOP_NAME,
  OEE_RUN_NAME,
  OEE_UNDEFINED,
  type OeeIdealRateBody,
  type OeeIdealRateItem,
  type OeeRecordItem,
  type OeeRecordsQuery,
  type OeeRuleCreateBody,
  type OeeRuleItem,
  type OeeSettingsBody,
  type OeeSettingsItem,
  type OeeStatisticQuery,
  type OeeStatisticRow,
} from '@wattdesk/shared';
import { AppError, invalid, notFound } from '../../core/errors';
import { formatLocal, parseLocal } from '../../core/time';
import type { Db } from '../../infra/db/client';
import type { Clock } from '../../infra/clock';
import type { Jobs, Tx } from '../../platform/contract';
import {
  BusinessCalendar,
  buckets,
  defaultInterval,
  TooManyBuckets,
  type CalendarRule,
  type TimeType,
} from '../calendar/calendar';
import type { Shift } from '../calendar/service';
import type { NewRule, OeeRepository, RuleRow } from './repository';
import { timeline, type Segment } from './timeline';

export const JOB_REBUILD = 'oee.rebuild';
/** Longest 7.5 window. */
export const MAX_RECORDS_WINDOW_MS = 24 * 3_600_000;

/** What OEE reads of the metering feature's calendar (ctx.use('metering').calendar). */
export interface CalendarPort {
  rule(orgId: number): Promise<CalendarRule>;
  shifts(orgId: number): Promise<Shift[]>;
}

const presentRule = (r: RuleRow): OeeRuleItem => ({
  id: r.id,
  Rule_Name: r.name,
  Status_Name: r.statusName,
  Meter_id: r.meterId,
  Meter_Parameter: r.param,
  LowerLimit: r.lower,
  UpperLimit: r.upper,
  Meter_Superior_id: String(r.machineId),
  Meter_Name: r.meterName,
  Meter_Superior: r.machineName,
  Is_Running: r.isRunning ? 1 : 0,
  Is_Planned_Stop: r.isPlannedStop ? 1 : 0,
});

/** The state names a machine's answers list: its rules' statuses (by first rule), then 未定义 and 离线. */
export function statusNames(rules: readonly RuleRow[]): string[] {
  const names: string[] = [];
  for (const r of rules) if (!names.includes(r.statusName)) names.push(r.statusName);
  return [...names, OEE_UNDEFINED, OEE_OFFLINE];
}

/** Rules (7.1–7.4), records (7.5), statistics (7.6) and the machine settings. */
export class OeeService {
  constructor(
    private readonly db: Db,
    private readonly repo: OeeRepository,
    private readonly jobs: Jobs,
    private readonly calendar: CalendarPort,
    private readonly clock: Clock,
  ) {}

  /**
   * Rebuilds run under the machine's lock and read the rules committed by then. No dedupe key: a key
   * would drop this send while an earlier rebuild is still marked active after reading the old rules.
   */
  private rebuildLater(tx: Tx, machineId: number) {
    return this.jobs.sendInTx(tx, JOB_REBUILD, { machineId });
  }

  async machine(orgId: number, machineId: number, field = 'Meter_Superior_id'): Promise<string> {
    const name = await this.repo.machineName(orgId, machineId);
    if (name === null) throw new AppError('not_found', '机器不存在', { field });
    return name;
  }

  // ------------------------------------------------------------------------------------------------
  // 7.1–7.4
  // ------------------------------------------------------------------------------------------------

  async listRules(orgId: number, f: { id?: number; machineId?: number }, limit: number, offset: number) {
    const { items, total } = await this.repo.listRules(orgId, f, limit, offset);
    return { items: items.map(presentRule), total };
  }

  /** Checks a rule against its machine, meter and the machine's other rules; returns what to store. */
  private async ruleValues(tx: Tx, orgId: number, b: OeeRuleCreateBody, self?: number): Promise<NewRule> {
    if (b.UpperLimit < b.LowerLimit) throw invalid('UpperLimit', 'UpperLimit 不能小于 LowerLimit');
    if ((await this.repo.machineName(orgId, b.Meter_Superior_id, tx)) === null)
      throw new AppError('not_found', '机器不存在', { field: 'Meter_Superior_id' });
    const meterMachine = await this.repo.meterMachine(orgId, b.Meter_id, tx);
    if (meterMachine === null) throw new AppError('not_found', '仪表不存在', { field: 'Meter_id' });
    if (meterMachine !== b.Meter_Superior_id)
      throw invalid('Meter_id', `仪表 ${b.Meter_id} 不属于机器 ${b.Meter_Superior_id}`);
    const isRunning = b.Is_Running === undefined ? b.Status_Name === OEE_RUN_NAME : b.Is_Running === 1;
    const isPlannedStop =
      b.Is_Planned_Stop === undefined ? b.Status_Name === OEE_PLANNED_STOP_NAME : b.Is_Planned_Stop === 1;
    if (isRunning && isPlannedStop)
      throw invalid('Is_Planned_Stop', 'Is_Running 和 Is_Planned_Stop 不能同时为 1');
    const others = (await this.repo.machineRules(b.Meter_Superior_id, tx)).filter((r) => r.id !== self);
    for (const o of others) {
      if (o.meterId === b.Meter_id && o.param === b.Meter_Parameter) {
        if (b.LowerLimit <= o.upper && o.lower <= b.UpperLimit)
          throw invalid(
            'LowerLimit',
            `范围 [${b.LowerLimit}, ${b.UpperLimit}] 与同一测点的规则“${o.name}”（id ${o.id}，${o.statusName}）` +
              `的范围 [${o.lower}, ${o.upper}] 重叠：一台机器同一时刻只能处于一个状态`,
          );
      }
      if (o.statusName === b.Status_Name && (o.isRunning !== isRunning || o.isPlannedStop !== isPlannedStop))
        throw invalid(
          'Is_Running',
          `状态“${b.Status_Name}”在规则“${o.name}”（id ${o.id}）中的 Is_Running/Is_Planned_Stop 与此不同`,
        );
    }
    return {
      machineId: b.Meter_Superior_id,
      meterId: b.Meter_id,
      param: b.Meter_Parameter,
      name: b.Rule_Name,
      statusName: b.Status_Name,
      lower: b.LowerLimit,
      upper: b.UpperLimit,
      isRunning,
      isPlannedStop,
    };
  }

  async createRule(orgId: number, b: OeeRuleCreateBody): Promise<number> {
    return this.db.transaction(async (tx) => {
      await this.repo.lockMachine(tx, b.Meter_Superior_id);
      const v = await this.ruleValues(tx, orgId, b);
      const id = await this.repo.insertRule(tx, orgId, v);
      await this.rebuildLater(tx, v.machineId);
      return id;
    });
  }

  async updateRule(orgId: number, id: number, b: OeeRuleCreateBody): Promise<void> {
    const current = await this.repo.findRule(orgId, id);
    if (!current) throw notFound('OEE规则');
    await this.db.transaction(async (tx) => {
      for (const m of [...new Set([current.machineId, b.Meter_Superior_id])].sort((x, y) => x - y))
        await this.repo.lockMachine(tx, m);
      const v = await this.ruleValues(tx, orgId, b, id);
      await this.repo.updateRule(tx, orgId, id, v);
      await this.rebuildLater(tx, current.machineId);
      if (v.machineId !== current.machineId) await this.rebuildLater(tx, v.machineId);
    });
  }

  async removeRule(orgId: number, id: number): Promise<void> {
    const current = await this.repo.findRule(orgId, id);
    if (!current) throw notFound('OEE规则');
    await this.db.transaction(async (tx) => {
      await this.repo.lockMachine(tx, current.machineId);
      await this.repo.deleteRule(tx, orgId, id);
      await this.rebuildLater(tx, current.machineId);
    });
  }

  // ------------------------------------------------------------------------------------------------
  // settings
  // ------------------------------------------------------------------------------------------------

  async settings(orgId: number, machineId: number): Promise<OeeSettingsItem> {
    await this.machine(orgId, machineId);
    const s = await this.repo.settings(machineId);
    return {
      Meter_Superior_id: machineId,
      Reading_Interval: s.readingInterval,
      Offline_Intervals: s.offlineIntervals,
      Offline_Seconds: s.readingInterval * s.offlineIntervals,
    };
  }

  async saveSettings(orgId: number, b: OeeSettingsBody): Promise<OeeSettingsItem> {
    await this.machine(orgId, b.Meter_Superior_id);
    await this.db.transaction(async (tx) => {
      await this.repo.lockMachine(tx, b.Meter_Superior_id);
      await this.repo.saveSettings(tx, orgId, b.Meter_Superior_id, {
        readingInterval: b.Reading_Interval,
        offlineIntervals: b.Offline_Intervals,
      });
      await this.rebuildLater(tx, b.Meter_Superior_id);
    });
    return this.settings(orgId, b.Meter_Superior_id);
  }

  // ------------------------------------------------------------------------------------------------
  // 7.5, 7.6 and the timeline other answers use
  // ------------------------------------------------------------------------------------------------

  private range(tz: string, q: { Time_Start: string; Time_End: string }): { from: number; to: number } {
    const from = parseLocal(q.Time_Start, tz);
    if (!from) throw invalid('Time_Start', '不是有效的日期时间');
    const to = parseLocal(q.Time_End, tz);
    if (!to) throw invalid('Time_End', '不是有效的日期时间');
    if (to < from) throw invalid('Time_End', 'Time_End 不能早于 Time_Start');
    return { from: from.getTime(), to: to.getTime() };
  }

  /** The machine's timeline inside [from, to) (离线 filled in, nothing before its first reading or after now). */
  async timelineOf(machineId: number, from: number, to: number): Promise<Segment[]> {
    const [runs, first] = await Promise.all([
      this.repo.runsIn(machineId, from, to),
      this.repo.firstPoint(machineId),
    ]);
    return timeline(runs, first, this.clock.now().getTime(), from, to);
  }

  /** 7.5: the state at the window's start (or at the first reading in it), then every change. */
  async records(orgId: number, q: OeeRecordsQuery): Promise<OeeRecordItem[]> {
    const rule = await this.calendar.rule(orgId);
    const { from, to } = this.range(rule.tz, q);
    if (to - from > MAX_RECORDS_WINDOW_MS) throw invalid('Time_End', '开始结束时间的间隔最大为 24 小时');
    await this.machine(orgId, q.Meter_Superior_id);
    const segs = await this.timelineOf(q.Meter_Superior_id, from, to);
    return segs.map((s) => ({ Time: formatLocal(new Date(s.start), rule.tz), Status_Name: s.status }));
  }

  /** 7.6: seconds per state, in total or per bucket of the organization's calendar. */
  async statistic(orgId: number, q: OeeStatisticQuery): Promise<OeeStatisticRow[]> {
    const [rule] = await Promise.all([this.calendar.rule(orgId), this.machine(orgId, q.Meter_Superior_id)]);
    const { from, to } = this.range(rule.tz, q);
    const type = q.Time_Type as TimeType;
    let list: { start: number; end: number }[];
    try {
      list =
        q.Return_Format === 1
          ? [{ start: from, end: to }]
          : buckets(new BusinessCalendar(rule), type, from, to, defaultInterval(type), 1000);
    } catch (err) {
      if (err instanceof TooManyBuckets) throw invalid('Time_End', '时间段过多（超过 1000 个），请缩小范围');
      throw err;
    }
    const clipped = list.map((b) => ({ start: Math.max(b.start, from), end: Math.min(b.end, to) }));
    const [first, rules] = await Promise.all([
      this.repo.firstPoint(q.Meter_Superior_id),
      this.repo.machineRules(q.Meter_Superior_id),
    ]);
    // Counted time: from the first reading to now; what no run covers there is 离线.
    const now = this.clock.now().getTime();
    const counted = clipped.map((b) =>
      first === null
        ? { start: b.start, end: b.start }
        : { start: Math.max(b.start, first), end: Math.max(Math.max(b.start, first), Math.min(b.end, now)) },
    );
    const per = await this.repo.durations(q.Meter_Superior_id, counted);
    counted.forEach((b, i) => {
      const covered = [...per[i]!.values()].reduce((s, v) => s + v, 0);
      const offline = b.end - b.start - covered;
      if (offline > 0) per[i]!.set(OEE_OFFLINE, (per[i]!.get(OEE_OFFLINE) ?? 0) + offline);
    });
    const names = statusNames(rules);
    const out: OeeStatisticRow[] = [];
    clipped.forEach((b, i) => {
      const time = formatLocal(new Date(b.start), rule.tz);
      for (const n of names)
        out.push({ Time: time, Total_Amount: Math.round((per[i]!.get(n) ?? 0) / 1000), Status_Name: n });
    });
    return out;
  }

  // ------------------------------------------------------------------------------------------------
  // ideal rates
  // ------------------------------------------------------------------------------------------------

  async idealRates(orgId: number, machineId: number | undefined, limit: number, offset: number) {
    if (machineId) await this.machine(orgId, machineId);
    const { items, total } = await this.repo.idealRates(orgId, machineId, limit, offset);
    return {
      items: items.map((r): OeeIdealRateItem => ({
        id: r.id,
        Meter_Superior_id: r.machineId,
        Product_id: r.productId,
        Ideal_Rate: r.rate,
        Unit: '/h',
      })),
      total,
    };
  }

  async setIdealRate(
    orgId: number,
    b: OeeIdealRateBody,
    productExists: (orgId: number, id: number) => Promise<boolean>,
  ): Promise<number> {
    await this.machine(orgId, b.Meter_Superior_id);
    if (!(await productExists(orgId, b.Product_id)))
      throw new AppError('not_found', '产品不存在', { field: 'Product_id' });
    return this.repo.upsertIdealRate(orgId, b.Meter_Superior_id, b.Product_id, b.Ideal_Rate);
  }

  async removeIdealRate(orgId: number, id: number): Promise<void> {
    if (!(await this.repo.deleteIdealRate(orgId, id))) throw notFound('理想产能');
  }
}
