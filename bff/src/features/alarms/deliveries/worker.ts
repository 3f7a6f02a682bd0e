import { and, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../../../infra/db/client';
import type { Clock } from '../../../infra/clock';
import type { Logger } from '../../../infra/logger';
import type { Jobs, Tx } from '../../../platform/contract';
import { isActive, realarmed, type RecordState } from '../lifecycle';
import type { AlarmRepository } from '../repository';
import type { AlarmSources } from '../sources';
import {
  alarmDefinitions,
  alarmDeliveries,
  alarmPoints,
  alarmRules,
  type AlarmDeliveryRow,
  type AlarmRow,
} from '../tables';
import type { Channels, Outcome, Send } from './channels';
import { JOB_DELIVER, JOB_ESCALATE, JOB_REALARM, type DeliveryPlanner } from './planner';
import type { DeliveryRepository } from './repository';

/** Attempts after the first before a delivery is failed (backoff 5 s, 10 s, 20 s, 40 s, 80 s). */
export const RETRY_LIMIT = 5;
/** Escalation steps at most (then someone must look at the alarm list). */
export const MAX_ESCALATIONS = 24;

const base = (event: string) => event.split(':')[0]!;

/** The delivery, escalation and re-alarm jobs. Each re-checks the alarm's state before acting. */
export class DeliveryWorker {
  constructor(
    private readonly db: Db,
    private readonly deliveries: DeliveryRepository,
    private readonly alarms: AlarmRepository,
    private readonly sources: AlarmSources,
    private readonly planner: DeliveryPlanner,
    private readonly channels: Channels,
    private readonly jobs: Jobs,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Whether the alarm's point is chattering or shelved; inside a transaction, read through it (PGlite has one connection). */
  private async held(alarm: AlarmRow, now: Date, tx?: Tx): Promise<boolean> {
    if (alarm.chattering) return true;
    const [p] = await (tx ?? this.db)
      .select({ until: alarmPoints.shelvedUntil })
      .from(alarmPoints)
      .where(and(eq(alarmPoints.ruleId, alarm.ruleId), eq(alarmPoints.source, alarm.source)));
    return !!p?.until && p.until > now;
  }

  private async recipient(d: AlarmDeliveryRow, alarm: AlarmRow): Promise<Send> {
    const tz = await this.sources.timeZone(alarm.orgId);
    const s: Send = { alarm, event: d.event, tz };
    const [kind, value] = [d.recipient.slice(0, 1), d.recipient.slice(2)];
    if (kind === 'u') {
      const u = (await this.sources.users(alarm.orgId)).find((x) => x.id === d.userId);
      if (u) {
        s.user = { id: u.id, name: u.name, openid: u.openid };
        s.email = u.email || undefined;
        s.phone = u.phone.replace(/[\s-]/g, '') || undefined;
      }
    } else if (kind === 'e') s.email = value;
    else s.phone = value;
    return s;
  }

  /**
   * `alarms.deliver`: one attempt of one delivery, under its claim (a lease until `claimed_until`).
   * Throws to have the job retried with backoff. A job that finds another attempt holding the claim
   * comes back when that claim expires: if the holder finished, there is nothing left to do; if it
   * died, this job takes the delivery over — a committed delivery is never left to chance.
   */
  async deliver(data: { deliveryId: number }): Promise<void> {
    const now = this.clock.now();
    const d = await this.deliveries.claim(data.deliveryId, now);
    if (!d) return this.awaitClaim(data.deliveryId);
    const alarm = (await this.alarms.find(d.orgId, d.alarmId))!;
    if (d.notBefore && d.notBefore > now) {
      await this.db.transaction(async (tx) => {
        if (await this.deliveries.unclaim(d.id, d.attempts, 'deferred', tx))
          await this.planner.enqueue(tx, d.id, d.notBefore, `at:${d.notBefore!.getTime()}`);
      });
      return;
    }
    const ev = base(d.event);
    if (ev !== 'cleared' && (await this.held(alarm, now)))
      return void (await this.deliveries.unclaim(d.id, d.attempts, 'held'));
    const stale =
      d.channel !== 1 &&
      ((ev !== 'cleared' && !!alarm.ackedAt) ||
        ((ev === 'escalated' || ev === 'realarm') && !!alarm.clearedAt));
    if (stale)
      return void (await this.deliveries.finish(d.id, d.orgId, d.attempts, now, {
        status: 'skipped',
        result: 'ok',
        answer: alarm.ackedAt ? '告警已被确认，不再推送' : '告警已恢复，不再推送',
      }));
    const send = await this.recipient(d, alarm);
    let outcome: Outcome;
    try {
      outcome = await this.channels.send(d.channel, send);
    } catch (err) {
      outcome = { status: 'retry', answer: (err as Error).message };
    }
    const at = this.clock.now();
    if (outcome.status === 'retry') {
      // `attempts` counts this delivery's attempts whichever job made them (a crash's take-over too).
      const last = d.attempts > RETRY_LIMIT;
      const held = await this.deliveries.finish(d.id, d.orgId, d.attempts, at, {
        status: last ? 'failed' : 'retrying',
        result: 'error',
        answer: outcome.answer,
      });
      if (held && !last) throw new Error(`delivery ${d.id}: ${outcome.answer}`);
      return;
    }
    let fallback: string | null = null;
    const held = await this.deliveries.finish(
      d.id,
      d.orgId,
      d.attempts,
      at,
      {
        status: outcome.status,
        result: outcome.status === 'sent' ? 'ok' : 'error',
        answer: outcome.answer,
      },
      // The push could not reach the user: the app channel carries this event to them, at once.
      outcome.status === 'fallback' && d.userId
        ? async (tx) => (fallback = await this.ensurePlatform(tx, d, at))
        : undefined,
    );
    if (held && d.channel === 1 && outcome.status === 'sent') await this.channels.announce(send);
    if (fallback) await this.jobs.runNow(JOB_DELIVER, fallback);
  }

  /**
   * The delivery is not claimable: done, or another attempt holds it. In the second case a job comes
   * back at the claim's expiry (keyed by that claim, so many waiters make one check).
   */
  private async awaitClaim(id: number): Promise<void> {
    const cur = await this.deliveries.find(id);
    if (cur?.status !== 'sending' || !cur.claimedUntil) return;
    await this.jobs.send(
      JOB_DELIVER,
      { deliveryId: id },
      { key: `d:${id}:lease:${cur.attempts}`, startAfter: new Date(cur.claimedUntil.getTime() + 1000) },
    );
  }

  /** Makes sure the app channel carries this event to the user (the push could not reach them). */
  private async ensurePlatform(tx: Tx, d: AlarmDeliveryRow, at: Date): Promise<string | null> {
    const row = await this.deliveries.insert(tx, {
      orgId: d.orgId,
      alarmId: d.alarmId,
      event: d.event,
      recipient: d.recipient,
      userId: d.userId,
      channel: 1,
      status: 'pending',
      createdAt: at,
    });
    return row ? this.planner.enqueue(tx, row.id, null) : null;
  }

  /**
   * `alarms.sweep` (at start and every minute): re-queues deliveries a crashed process left behind — a
   * claim that expired mid-attempt, or a pending delivery whose job is gone — and has a job come back
   * at the expiry of every claim still running (its holder may be dead), so a committed alarm is always
   * delivered. A duplicate push is possible only when the crash fell between WeChat's answer and our
   * commit of it.
   */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const stalled = await this.deliveries.stalled(now, new Date(now.getTime() - 30_000));
    for (const d of stalled)
      await this.jobs.send(JOB_DELIVER, { deliveryId: d.id }, { key: `sweep:${d.id}:${d.attempts}` });
    for (const d of await this.deliveries.claimed(now)) await this.awaitClaim(d.id);
    if (stalled.length) this.log.info({ deliveries: stalled.length }, 'stalled alarm deliveries re-queued');
    return stalled.length;
  }

  /** `alarms.escalate`: nobody acknowledged within `Escalate_Minutes`: notify `Escalate_To`, and again later. */
  async escalate(data: { orgId: number; alarmId: number; step: number }): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      const a = await this.alarms.lockAlarm(tx, data.orgId, data.alarmId);
      if (!a || a.clearedAt || a.ackedAt || a.escalationLevel >= data.step) return;
      if (await this.held(a, now, tx))
        return void (await this.alarms.updateAlarm(tx, a.id, { escalationJob: null }));
      const [def] = await tx.select().from(alarmDefinitions).where(eq(alarmDefinitions.id, a.definitionId));
      let alarm = await this.alarms.updateAlarm(tx, a.id, {
        escalationLevel: data.step,
        escalationJob: null,
      });
      await this.history(tx, alarm, 'escalate', now, `第 ${data.step} 次升级`);
      await this.planner.plan(tx, alarm, `escalated:${data.step}`, false);
      if (def && def.escalateMinutes > 0 && data.step < MAX_ESCALATIONS) {
        const id = await this.jobs.sendInTx(
          tx,
          JOB_ESCALATE,
          { orgId: a.orgId, alarmId: a.id, step: data.step + 1 },
          {
            key: `e:${a.id}:${data.step + 1}`,
            startAfter: new Date(now.getTime() + def.escalateMinutes * 60_000),
          },
        );
        alarm = await this.alarms.updateAlarm(tx, a.id, { escalationJob: id });
      }
    });
  }

  /** `alarms.realarm`: still active after `Realarm_Minutes`: remind, and it needs acknowledging again. */
  async realarm(data: { orgId: number; alarmId: number; n: number }): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      const a = await this.alarms.lockAlarm(tx, data.orgId, data.alarmId);
      if (!a || a.clearedAt || a.realarmCount >= data.n) return;
      const [rule] = await tx.select().from(alarmRules).where(eq(alarmRules.id, a.ruleId));
      if (!rule || rule.realarmMinutes <= 0) return;
      const held = await this.held(a, now, tx);
      const state = realarmed(a.state as RecordState);
      const next = await this.jobs.sendInTx(
        tx,
        JOB_REALARM,
        { orgId: a.orgId, alarmId: a.id, n: data.n + 1 },
        {
          key: `r:${a.id}:${data.n + 1}`,
          startAfter: new Date(now.getTime() + rule.realarmMinutes * 60_000),
        },
      );
      const alarm = await this.alarms.updateAlarm(tx, a.id, {
        realarmCount: data.n,
        realarmJob: next,
        state,
        ...(state !== a.state ? { ackedAt: null, ackedBy: null, ackedByName: '', ackComment: '' } : {}),
      });
      await this.history(tx, alarm, 'realarm', now, `第 ${data.n} 次重复提醒`);
      await this.planner.plan(tx, alarm, `realarm:${data.n}`, held);
      if (!held && isActive(state)) await this.planner.startTimers(tx, alarm);
    });
  }

  /** `alarms.unshelve`: a shelve reached its expiry; the point is annunciated again. */
  async unshelve(data: { orgId: number; ruleId: number; source: string; until: number }): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      const p = await this.alarms.lockPoint(tx, data.orgId, data.ruleId, data.source);
      if (!p.shelvedUntil || p.shelvedUntil.getTime() !== data.until) return;
      await this.alarms.savePoint(tx, data.ruleId, data.source, {
        shelvedUntil: null,
        shelveReason: '',
        shelvedBy: null,
      });
      const a = await this.alarms.activeAlarm(tx, data.ruleId, data.source);
      if (!a) return;
      await this.history(tx, a, 'shelve_expired', now, '');
      if (!a.chattering) await this.planner.release(tx, a);
    });
  }

  private async history(tx: Tx, a: AlarmRow, action: string, at: Date, comment: string): Promise<void> {
    await this.alarms.addHistory(tx, [
      {
        alarmId: a.id,
        orgId: a.orgId,
        action,
        state: a.state,
        at,
        userId: null,
        userName: '',
        comment,
        value: null,
      },
    ]);
  }

  /**
   * `alarms.digest` (cron): level-1 pushes a user chose to get as a daily summary, sent as one message
   * per recipient and channel once their digest time is reached. Each delivery keeps the attempt.
   */
  async digest(): Promise<void> {
    const now = this.clock.now();
    const due = await this.db
      .update(alarmDeliveries)
      .set({
        status: 'sending',
        claimedUntil: new Date(now.getTime() + 60_000),
        attempts: sql`${alarmDeliveries.attempts} + 1`,
      })
      .where(and(eq(alarmDeliveries.status, 'digest'), lte(alarmDeliveries.notBefore, now)))
      .returning();
    const groups = new Map<string, AlarmDeliveryRow[]>();
    for (const d of due)
      groups.set(`${d.orgId}|${d.recipient}|${d.channel}`, [
        ...(groups.get(`${d.orgId}|${d.recipient}|${d.channel}`) ?? []),
        d,
      ]);
    for (const list of groups.values()) {
      const first = list[0]!;
      const alarmIds = [...new Set(list.map((d) => d.alarmId))];
      const latest = (await this.alarms.find(first.orgId, Math.max(...alarmIds)))!;
      const send = await this.recipient(first, {
        ...latest,
        alarmName: '一般告警每日汇总',
        content: `共 ${alarmIds.length} 条一般告警，最近：${latest.alarmName}`,
      });
      let outcome: Outcome;
      try {
        outcome = await this.channels.send(first.channel, { ...send, event: 'digest' });
      } catch (err) {
        outcome = { status: 'retry', answer: (err as Error).message };
      }
      for (const d of list) {
        // A digest that could not go out now is tried again at the next tick.
        const status = outcome.status === 'retry' ? 'digest' : outcome.status;
        await this.deliveries.finish(d.id, d.orgId, d.attempts, now, {
          status,
          result: outcome.status === 'sent' ? 'ok' : 'error',
          answer: `每日汇总：${outcome.answer}`,
        });
      }
    }
  }
}
