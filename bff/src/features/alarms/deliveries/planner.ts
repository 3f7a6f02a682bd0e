import { eq } from 'drizzle-orm';
import type { Clock } from '../../../infra/clock';
import type { Logger } from '../../../infra/logger';
import type { Jobs, Tx } from '../../../platform/contract';
import type { AlarmNotifier } from '../engine';
import { entriesOf, resolveTargets, targetKey, type Target } from '../recipients';
import type { AlarmRepository } from '../repository';
import type { AlarmSources, UserInfo } from '../sources';
import { alarmDefinitions, alarmRules, type AlarmDefinitionRow, type AlarmRow } from '../tables';
import { nextAt, quietUntil } from './quiet';
import type { DeliveryRepository } from './repository';

export const JOB_DELIVER = 'alarms.deliver';
export const JOB_ESCALATE = 'alarms.escalate';
export const JOB_REALARM = 'alarms.realarm';

/** Tells open apps (SSE) that an alarm changed; implemented by the stream hub. */
export interface AlarmBroadcast {
  publish(orgId: number, alarmId: number, event: string): Promise<void>;
}

/** Recipients of an event: the definition's list (escalations: `Escalate_To`), everyone when it is empty. */
function targetsOf(def: AlarmDefinitionRow, event: string, users: UserInfo[], log: Logger): Target[] {
  const raw = event.startsWith('escalated') && def.escalateTo ? def.escalateTo : def.notifyAddress;
  if (!entriesOf(raw).length) return users.map((user) => ({ kind: 'user', user }));
  const out: Target[] = [];
  // An entry that no longer resolves (a user removed since) is skipped, never fails the alarm.
  for (const entry of entriesOf(raw)) {
    try {
      out.push(...resolveTargets(entry, def.notify, users));
    } catch {
      log.warn({ definition: def.id, entry: entry.length }, 'alarm recipient no longer resolves');
    }
  }
  return out;
}

/**
 * Plans deliveries — one row per (alarm, event, recipient, channel), inserted in the alarm's own
 * transaction with its job, so a committed alarm always gets delivered (and never twice by planning) —
 * and runs the escalation and re-alarm timers as delayed jobs.
 */
export class DeliveryPlanner implements AlarmNotifier {
  /** Delivery jobs to start after each transaction commits, by transaction (another's may not have committed yet). */
  private readonly due = new WeakMap<Tx, string[]>();

  /**
   * Starts the first attempts planned in a committed transaction here and now, one job-queue hop less
   * between a reading and the push. Each is the queued job itself (`jobs.runNow`), so a worker that
   * fetched it first runs it instead, never both; a failure is retried by the job with backoff.
   */
  async flush(tx: Tx | undefined): Promise<void> {
    const ids = tx ? this.due.get(tx) : undefined;
    if (!tx || !ids) return;
    this.due.delete(tx);
    for (const id of ids)
      await this.jobs
        .runNow(JOB_DELIVER, id)
        .catch((err: Error) => this.log.warn({ err, job: id }, 'first delivery attempt failed to start'));
  }

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly alarms: AlarmRepository,
    private readonly sources: AlarmSources,
    private readonly jobs: Jobs,
    private readonly clock: Clock,
    private readonly broadcast: AlarmBroadcast,
    private readonly log: Logger,
  ) {}

  private async definition(tx: Tx, id: number): Promise<AlarmDefinitionRow> {
    const [d] = await tx.select().from(alarmDefinitions).where(eq(alarmDefinitions.id, id));
    return d!;
  }

  async plan(tx: Tx, alarm: AlarmRow, event: string, held: boolean): Promise<void> {
    const now = this.clock.now();
    const def = await this.definition(tx, alarm.definitionId);
    const users = await this.sources.users(alarm.orgId, tx);
    const tz = await this.sources.timeZone(alarm.orgId, tx);
    const targets = targetsOf(def, event, users, this.log);
    const settings = await this.deliveries.settings(
      targets.flatMap((t) => (t.kind === 'user' ? [t.user.id] : [])),
      tx,
    );
    for (const t of targets) {
      const channels: number[] = t.kind === 'user' ? [1] : [];
      if (def.notify !== 1) {
        const s = t.kind === 'user' ? settings.get(t.user.id) : undefined;
        const allowed = !s || (def.notify === 2 ? s.sms : def.notify === 3 ? s.email : s.wechat);
        if (allowed) channels.push(def.notify);
      }
      for (const channel of channels) {
        let status = held ? 'held' : 'pending';
        let notBefore: Date | null = null;
        const s = t.kind === 'user' ? settings.get(t.user.id) : undefined;
        // Quiet hours and the daily digest apply to level-1 pushes; the app itself always shows the alarm.
        if (!held && channel !== 1 && alarm.level === 1 && s) {
          if (s.digestLevel1) {
            status = 'digest';
            notBefore = nextAt(now, tz, s.digestTime);
          } else {
            notBefore = quietUntil(now, tz, s.quietStart, s.quietEnd);
            if (notBefore) status = 'deferred';
          }
        }
        const row = await this.deliveries.insert(tx, {
          orgId: alarm.orgId,
          alarmId: alarm.id,
          event,
          recipient: targetKey(t),
          userId: t.kind === 'user' ? t.user.id : null,
          channel,
          status,
          notBefore,
          createdAt: now,
        });
        if (!row || (status !== 'pending' && status !== 'deferred')) continue;
        const job = await this.enqueue(tx, row.id, notBefore);
        if (job && status === 'pending') this.due.set(tx, [...(this.due.get(tx) ?? []), job]);
      }
    }
  }

  /**
   * Queues the delivery job in the caller's transaction; `why` makes its key (one queued job per
   * delivery and reason — any queued job may do the attempt, the claim lets one through at a time).
   */
  async enqueue(tx: Tx, deliveryId: number, notBefore: Date | null, why = 'new'): Promise<string | null> {
    return this.jobs.sendInTx(
      tx,
      JOB_DELIVER,
      { deliveryId },
      { key: `d:${deliveryId}:${why}`, ...(notBefore ? { startAfter: notBefore } : {}) },
    );
  }

  async startTimers(tx: Tx, alarm: AlarmRow): Promise<void> {
    const def = await this.definition(tx, alarm.definitionId);
    const [rule] = await tx.select().from(alarmRules).where(eq(alarmRules.id, alarm.ruleId));
    const now = this.clock.now().getTime();
    const set: Partial<AlarmRow> = {};
    if (def.escalateMinutes > 0 && !alarm.escalationJob) {
      const step = alarm.escalationLevel + 1;
      set.escalationJob = await this.jobs.sendInTx(
        tx,
        JOB_ESCALATE,
        { orgId: alarm.orgId, alarmId: alarm.id, step },
        { key: `e:${alarm.id}:${step}`, startAfter: new Date(now + def.escalateMinutes * 60_000) },
      );
    }
    if (rule && rule.realarmMinutes > 0 && !alarm.realarmJob && !alarm.clearedAt) {
      const n = alarm.realarmCount + 1;
      set.realarmJob = await this.jobs.sendInTx(
        tx,
        JOB_REALARM,
        { orgId: alarm.orgId, alarmId: alarm.id, n },
        { key: `r:${alarm.id}:${n}`, startAfter: new Date(now + rule.realarmMinutes * 60_000) },
      );
    }
    if (Object.keys(set).length) await this.alarms.updateAlarm(tx, alarm.id, set);
  }

  async stopTimers(alarm: AlarmRow): Promise<void> {
    if (alarm.escalationJob) await this.jobs.cancel(JOB_ESCALATE, alarm.escalationJob);
    if (alarm.realarmJob) await this.jobs.cancel(JOB_REALARM, alarm.realarmJob);
  }

  async release(tx: Tx, alarm: AlarmRow): Promise<void> {
    for (const d of await this.deliveries.releaseHeld(tx, alarm.id))
      await this.enqueue(tx, d.id, null, `released:${d.attempts}`);
    if (!alarm.clearedAt && !alarm.ackedAt) await this.startTimers(tx, alarm);
  }

  async changed(alarm: AlarmRow, event: string): Promise<void> {
    await this.broadcast.publish(alarm.orgId, alarm.id, event);
  }
}
