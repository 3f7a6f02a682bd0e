import type {
  AlarmDetailItem,
  AlarmMessageItem,
  AlarmMessageQuery,
  AlarmNotifySettingsBody,
  AlarmNotifySettingsItem,
  AlarmStatisticQuery,
  AlarmStatisticRow,
  AlarmStreamEvent,
  WeChatSubscriptionItem,
} from '@wattdesk/shared';
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../core/auth/actor';
import { invalid, notFound } from '../../core/errors';
import { formatLocal, parseLocal } from '../../core/time';
import type { Db } from '../../infra/db/client';
import type { Clock } from '../../infra/clock';
import type { Jobs } from '../../platform/contract';
import {
  BusinessCalendar,
  buckets,
  defaultInterval,
  TooManyBuckets,
  type TimeType,
} from '../calendar/calendar';
import type { DeliveryPlanner } from './deliveries/planner';
import type { DeliveryRepository } from './deliveries/repository';
import { acknowledged, cleared, type RecordState } from './lifecycle';
import { presentAlarm, presentDelivery, presentHistory } from './present';
import type { AlarmRepository } from './repository';
import type { AlarmSources } from './sources';
import { alarmPoints, type AlarmRow } from './tables';

export const JOB_UNSHELVE = 'alarms.unshelve';
const MAX_SHELVE_MS = 7 * 24 * 3_600_000;
const GROUPS: Record<
  1 | 2 | 3,
  { field: 'Alarm_Level' | 'Alarm_Type' | 'Alarm_Notify'; key: 'level' | 'type' | 'notify'; values: number[] }
> = {
  1: { field: 'Alarm_Level', key: 'level', values: [1, 2, 3] },
  2: { field: 'Alarm_Type', key: 'type', values: [1, 2, 3] },
  3: { field: 'Alarm_Notify', key: 'notify', values: [1, 2, 3, 4] },
};

/** Alarm records for the people handling them: 6.9, 6.10, acknowledge, shelve, badge, push quota, settings. */
export class AlarmService {
  constructor(
    private readonly db: Db,
    private readonly repo: AlarmRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly planner: DeliveryPlanner,
    private readonly sources: AlarmSources,
    private readonly jobs: Jobs,
    private readonly clock: Clock,
    private readonly templateId: string,
  ) {}

  private async shelvedUntil(a: AlarmRow): Promise<Date | null> {
    const [p] = await this.db
      .select({ until: alarmPoints.shelvedUntil })
      .from(alarmPoints)
      .where(and(eq(alarmPoints.ruleId, a.ruleId), eq(alarmPoints.source, a.source)));
    return p?.until ?? null;
  }

  private async present(a: AlarmRow, tz: string, unread: boolean): Promise<AlarmMessageItem> {
    return presentAlarm(a, tz, { unread, shelvedUntil: await this.shelvedUntil(a), now: this.clock.now() });
  }

  private range(tz: string, q: { Time_Start: string; Time_End: string }): { from: Date; to: Date } {
    const from = parseLocal(q.Time_Start, tz);
    if (!from) throw invalid('Time_Start', '不是有效的日期时间');
    const to = parseLocal(q.Time_End, tz);
    if (!to) throw invalid('Time_End', '不是有效的日期时间');
    if (to < from) throw invalid('Time_End', 'Time_End 不能早于 Time_Start');
    return { from, to };
  }

  /** 6.9 */
  async messages(actor: Actor, q: AlarmMessageQuery, limit: number, offset: number) {
    const tz = await this.sources.timeZone(actor.orgId);
    const { from, to } = this.range(tz, q);
    const { rows, total } = await this.repo.list(
      actor.orgId,
      actor.userId,
      {
        from,
        to,
        meterName: q.Meter_Name,
        machineName: q.Meter_Superior,
        machineId: q.Meter_Superior_id,
        type: q.Alarm_Type,
        level: q.Alarm_Level,
        ruleName: q.Rule_Name,
        state: q.Alarm_State,
        activeOnly: q.Active_Only === 1,
        activeFirst: q.Active_First === 1,
      },
      limit,
      offset,
    );
    const items = await Promise.all(rows.map((r) => this.present(r, tz, r.unread)));
    return { items, total };
  }

  /** Extension: one record with its history; opening it marks it read for the caller. */
  async detail(actor: Actor, id: number): Promise<AlarmDetailItem> {
    const a = await this.repo.find(actor.orgId, id);
    if (!a) throw notFound('报警记录');
    const tz = await this.sources.timeZone(actor.orgId);
    await this.deliveries.markRead(actor.orgId, actor.userId, id, this.clock.now());
    const history = await this.repo.history(actor.orgId, id);
    return {
      ...(await this.present(a, tz, false)),
      History: history.map((h) => presentHistory(h, tz)),
      Reset_Path: a.type === 3 && a.deviceUid ? '/wad/ems/v1/api/bms-control' : '',
    };
  }

  /** Extension: acknowledges (active → active-ack, cleared → cleared-ack); stops escalation. Idempotent. */
  async acknowledge(actor: Actor, id: number, comment: string): Promise<AlarmMessageItem> {
    const now = this.clock.now();
    const result = await this.db.transaction(async (tx) => {
      const a = await this.repo.lockAlarm(tx, actor.orgId, id);
      if (!a) throw notFound('报警记录');
      if (a.ackedAt) return { alarm: a, changed: false };
      const alarm = await this.repo.updateAlarm(tx, id, {
        state: acknowledged(a.state as RecordState),
        ackedAt: now,
        ackedBy: actor.userId,
        ackedByName: actor.userName,
        ackComment: comment,
        escalationJob: null,
      });
      await this.repo.addHistory(tx, [
        {
          alarmId: id,
          orgId: actor.orgId,
          action: 'acknowledge',
          state: alarm.state,
          at: now,
          userId: actor.userId,
          userName: actor.userName,
          comment,
          value: null,
        },
      ]);
      return { alarm, changed: true, escalationJob: a.escalationJob };
    });
    if (result.changed) {
      // Stop every pending step at once; a step already running re-checks the state and stops too.
      await this.planner.stopTimers({
        ...result.alarm,
        escalationJob: result.escalationJob ?? null,
        realarmJob: null,
      });
      await this.planner.changed(result.alarm, 'acknowledged');
    }
    await this.deliveries.markRead(actor.orgId, actor.userId, id, now);
    return this.present(result.alarm, await this.sources.timeZone(actor.orgId), false);
  }

  /** Extension: shelves the alarm's rule and source until the expiry: recorded, not notified, not escalated. */
  async shelve(
    actor: Actor,
    b: { id: number; Shelve_Reason: string; Shelve_Minutes?: number; Shelve_Until?: string },
  ) {
    const now = this.clock.now();
    const tz = await this.sources.timeZone(actor.orgId);
    if ((b.Shelve_Minutes === undefined) === (b.Shelve_Until === undefined))
      throw invalid('Shelve_Minutes', 'Shelve_Minutes 与 Shelve_Until 必须且只能填写一个');
    let until: Date;
    if (b.Shelve_Until !== undefined) {
      const t = parseLocal(b.Shelve_Until, tz);
      if (!t) throw invalid('Shelve_Until', '不是有效的日期时间');
      if (t <= now) throw invalid('Shelve_Until', '搁置到期时间必须晚于现在');
      if (t.getTime() - now.getTime() > MAX_SHELVE_MS) throw invalid('Shelve_Until', '最多搁置 7 天');
      until = t;
    } else until = new Date(now.getTime() + b.Shelve_Minutes! * 60_000);
    const alarm = await this.db.transaction(async (tx) => {
      const a = await this.repo.lockAlarm(tx, actor.orgId, b.id);
      if (!a) throw notFound('报警记录');
      await this.repo.lockPoint(tx, actor.orgId, a.ruleId, a.source);
      await this.repo.savePoint(tx, a.ruleId, a.source, {
        shelvedUntil: until,
        shelveReason: b.Shelve_Reason,
        shelvedBy: actor.userId,
      });
      await this.repo.addHistory(tx, [
        {
          alarmId: a.id,
          orgId: actor.orgId,
          action: 'shelve',
          state: a.state,
          at: now,
          userId: actor.userId,
          userName: actor.userName,
          comment: `${b.Shelve_Reason}（至 ${formatLocal(until, tz)}）`,
          value: null,
        },
      ]);
      await this.jobs.sendInTx(
        tx,
        JOB_UNSHELVE,
        { orgId: actor.orgId, ruleId: a.ruleId, source: a.source, until: until.getTime() },
        { startAfter: until, key: `s:${a.ruleId}:${a.source}:${until.getTime()}` },
      );
      return this.repo.updateAlarm(tx, a.id, { escalationJob: null });
    });
    await this.planner.changed(alarm, 'shelved');
    return this.present(alarm, tz, false);
  }

  /** Extension: un-shelves at once; what was held back is sent if the alarm is still active. */
  async unshelve(actor: Actor, id: number) {
    const now = this.clock.now();
    const alarm = await this.db.transaction(async (tx) => {
      const a = await this.repo.lockAlarm(tx, actor.orgId, id);
      if (!a) throw notFound('报警记录');
      const p = await this.repo.lockPoint(tx, actor.orgId, a.ruleId, a.source);
      if (!p.shelvedUntil || p.shelvedUntil <= now) return a;
      await this.repo.savePoint(tx, a.ruleId, a.source, {
        shelvedUntil: null,
        shelveReason: '',
        shelvedBy: null,
      });
      await this.repo.addHistory(tx, [
        {
          alarmId: a.id,
          orgId: actor.orgId,
          action: 'unshelve',
          state: a.state,
          at: now,
          userId: actor.userId,
          userName: actor.userName,
          comment: '',
          value: null,
        },
      ]);
      if (!a.clearedAt && !a.chattering) await this.planner.release(tx, a);
      return a;
    });
    await this.planner.changed(alarm, 'unshelved');
    return this.present(alarm, await this.sources.timeZone(actor.orgId), false);
  }

  /** Clears a rule's open alarms (rule removed, or it now watches another source) and forgets its state. */
  async closeRuleAlarms(
    orgId: number,
    ruleId: number,
    action: 'rule_removed' | 'rule_changed',
  ): Promise<void> {
    const now = this.clock.now();
    const closed = await this.db.transaction(async (tx) => {
      const open = await this.repo.activeOfRule(tx, ruleId);
      const out: AlarmRow[] = [];
      for (const a of open.filter((x) => x.orgId === orgId)) {
        const alarm = await this.repo.updateAlarm(tx, a.id, {
          state: cleared(a.state as RecordState),
          clearedAt: now,
        });
        await this.repo.addHistory(tx, [
          {
            alarmId: a.id,
            orgId,
            action,
            state: alarm.state,
            at: now,
            userId: null,
            userName: '',
            comment: '',
            value: null,
          },
        ]);
        out.push(a);
      }
      await this.repo.resetPoints(tx, ruleId);
      return out;
    });
    for (const a of closed) {
      await this.planner.stopTimers(a);
      await this.planner.changed(a, 'cleared');
    }
  }

  /** 6.10: counts of alarms raised, per bucket of the organization's calendar and per group. */
  async statistics(actor: Actor, q: AlarmStatisticQuery): Promise<AlarmStatisticRow[]> {
    const rule = await this.sources.calendarRule(actor.orgId);
    const { from, to } = this.range(rule.tz, q);
    const cal = new BusinessCalendar(rule);
    const type = q.Time_Type as TimeType;
    let list: { start: number; end: number }[];
    try {
      list =
        q.Return_Format === 1
          ? [{ start: from.getTime(), end: to.getTime() }]
          : buckets(cal, type, from.getTime(), to.getTime(), defaultInterval(type), 1000);
    } catch (err) {
      if (err instanceof TooManyBuckets) throw invalid('Time_End', '时间段过多（超过 1000 个），请缩小范围');
      throw err;
    }
    const rows = await this.repo.statRows(actor.orgId, new Date(list[0]!.start), new Date(list.at(-1)!.end));
    const group = q.Statistic_Method === 0 ? null : GROUPS[q.Statistic_Method];
    const out: AlarmStatisticRow[] = [];
    for (const b of list) {
      const inBucket = rows.filter(
        (r) => r.at.getTime() >= b.start && r.at.getTime() < b.end && r.at >= from && r.at < to,
      );
      const time = formatLocal(new Date(Math.max(b.start, from.getTime())), rule.tz);
      if (!group) out.push({ Time: time, Total_Amount: inBucket.length });
      else
        for (const v of group.values)
          out.push({
            Time: time,
            Total_Amount: inBucket.filter((r) => r[group.key] === v).length,
            [group.field]: v,
          });
    }
    return out;
  }

  async deliveriesOf(actor: Actor, alarmId: number | undefined, limit: number, offset: number) {
    if (alarmId && !(await this.repo.find(actor.orgId, alarmId))) throw notFound('报警记录');
    const tz = await this.sources.timeZone(actor.orgId);
    const users = new Map((await this.sources.users(actor.orgId)).map((u) => [u.id, u.name]));
    const { rows, attempts, total } = await this.deliveries.list(actor.orgId, alarmId, limit, offset);
    const items = rows.map((d) =>
      presentDelivery(
        d,
        attempts.filter((a) => a.deliveryId === d.id),
        d.userId ? (users.get(d.userId) ?? `用户 ${d.userId}`) : d.recipient.slice(2),
        tz,
      ),
    );
    return { items, total };
  }

  async unread(who: { orgId: number; userId: number }) {
    const [n, c] = await Promise.all([
      this.deliveries.unread(who.orgId, who.userId),
      this.repo.counts(who.orgId),
    ]);
    return { Unread_Numbers: n, Active_Numbers: c.active, Active_Unack_Numbers: c.activeUnack };
  }

  async markRead(actor: Actor, b: { id?: number; All?: 0 | 1 }): Promise<void> {
    if (b.id === undefined && b.All !== 1) throw invalid('id', '请填写 id，或 All 为 1 表示全部已读');
    if (b.id !== undefined && !(await this.repo.find(actor.orgId, b.id))) throw notFound('报警记录');
    await this.deliveries.markRead(
      actor.orgId,
      actor.userId,
      b.All === 1 ? undefined : b.id,
      this.clock.now(),
    );
  }

  async subscription(actor: Actor): Promise<WeChatSubscriptionItem> {
    const bound = (await this.sources.users(actor.orgId)).find((u) => u.id === actor.userId)?.openid;
    return {
      Template_Id: this.templateId,
      Remaining_Times: await this.deliveries.remaining(actor.userId, this.templateId),
      WeChat_Bound: bound ? 1 : 0,
    };
  }

  async reportSubscription(
    actor: Actor,
    b: { Template_Id: string; Accepted: 0 | 1 },
  ): Promise<WeChatSubscriptionItem> {
    if (b.Template_Id !== this.templateId) throw invalid('Template_Id', '不是告警订阅消息的模板');
    if (b.Accepted === 1) await this.deliveries.addSubscription(actor.orgId, actor.userId, b.Template_Id, 1);
    return this.subscription(actor);
  }

  async settings(actor: Actor): Promise<AlarmNotifySettingsItem> {
    const s = (await this.deliveries.settings([actor.userId])).get(actor.userId);
    const f = (v: boolean | undefined) => (v === false ? 0 : 1);
    return {
      Notify_Platform: 1,
      Notify_SMS: f(s?.sms),
      Notify_Email: f(s?.email),
      Notify_WeChat: f(s?.wechat),
      Quiet_Start: s?.quietStart ?? '',
      Quiet_End: s?.quietEnd ?? '',
      Digest_Level1: s?.digestLevel1 ? 1 : 0,
      Digest_Time: s?.digestTime ?? '08:00',
    };
  }

  async saveSettings(actor: Actor, b: AlarmNotifySettingsBody): Promise<AlarmNotifySettingsItem> {
    const cur = await this.settings(actor);
    const next = {
      ...cur,
      ...Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)),
    } as AlarmNotifySettingsItem;
    if (!next.Quiet_Start !== !next.Quiet_End)
      throw invalid(
        next.Quiet_Start ? 'Quiet_End' : 'Quiet_Start',
        '免打扰开始与结束时间需同时填写或同时留空',
      );
    if (next.Digest_Level1 === 1 && !next.Digest_Time)
      throw invalid('Digest_Time', '开启每日汇总时需要填写汇总时间');
    await this.deliveries.saveSettings({
      userId: actor.userId,
      orgId: actor.orgId,
      sms: next.Notify_SMS === 1,
      email: next.Notify_Email === 1,
      wechat: next.Notify_WeChat === 1,
      quietStart: next.Quiet_Start,
      quietEnd: next.Quiet_End,
      digestLevel1: next.Digest_Level1 === 1,
      digestTime: next.Digest_Time || '08:00',
      updatedAt: this.clock.now(),
    });
    return this.settings(actor);
  }

  /** What one user's open stream shows for a change. */
  async streamEvent(
    orgId: number,
    userId: number,
    alarmId: number,
    event: string,
  ): Promise<AlarmStreamEvent | null> {
    const a = await this.repo.find(orgId, alarmId);
    if (!a) return null;
    const tz = await this.sources.timeZone(orgId);
    const unread = await this.deliveries.unread(orgId, userId);
    return { Event: event, Alarm: await this.present(a, tz, false), Unread_Numbers: unread };
  }
}
