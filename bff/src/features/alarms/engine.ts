import type { Db } from '../../infra/db/client';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import type { Tx } from '../../platform/contract';
import type { RuleWithDefinition } from './config-repository';
import { alarmContent } from './content';
import {
  cleared,
  deadbandOf,
  initialPoint,
  step,
  type Limits,
  type PointState,
  type Transition,
} from './lifecycle';
import type { AlarmRepository } from './repository';
import type { AlarmRow } from './tables';

/** One value of a point in data time (a reading's parameter, an hour's consumption, a BMS alarm count). */
export interface Sample {
  ts: number;
  value: number;
}
/** A rule applied to one source, with the names a record keeps. */
export interface PointRef {
  rule: RuleWithDefinition;
  /** `m:<meter id>` or `d:<device uid>`. */
  source: string;
  meterId: number | null;
  meterName: string;
  machineId: number | null;
  machineName: string;
  deviceUid: string;
  /** The alarm's text when the source words it itself (a charging safety warning). */
  note?: string;
}
/** Who caused a change (a fault reset's user), for the history. */
export interface Cause {
  userId: number | null;
  userName: string;
  comment: string;
}

/** What the engine asks of notification: deliveries and timers, inside the record's transaction. */
export interface AlarmNotifier {
  /** Plans the deliveries of an alarm event (`held`: chattering or shelved — recorded, not sent). */
  plan(tx: Tx, alarm: AlarmRow, event: string, held: boolean): Promise<void>;
  /** Starts escalation and re-alarm timers of a newly raised (or released) alarm. */
  startTimers(tx: Tx, alarm: AlarmRow): Promise<void>;
  /** Cancels an alarm's pending timers (after the commit; their jobs re-check state anyway). */
  stopTimers(alarm: AlarmRow): Promise<void>;
  /** Sends what chattering or shelving held back, now that the alarm is annunciated again. */
  release(tx: Tx, alarm: AlarmRow): Promise<void>;
  /** Tells open apps about a change (after the commit). */
  changed(alarm: AlarmRow, event: string): Promise<void>;
  /** After the commit of `tx`: first attempts of what was planned in it. */
  flush(tx: Tx | undefined): Promise<void>;
}

export const limitsOf = (r: RuleWithDefinition): Limits => ({
  lower: r.lowerLimit,
  upper: r.upperLimit,
  deadband: deadbandOf(r.lowerLimit, r.upperLimit, r.deadband),
  delayMs: r.delaySeconds * 1000,
});

/** Steps a point through samples in data-time order; `any`: some sample made a transition. */
function stepAll(
  state: PointState,
  rule: RuleWithDefinition,
  samples: Sample[],
): { state: PointState; any: boolean } {
  let s = state;
  let any = false;
  for (const sample of [...samples].sort((a, b) => a.ts - b.ts)) {
    const r = step(s, limitsOf(rule), sample);
    s = r.state;
    any ||= r.transitions.length > 0;
  }
  return { state: s, any };
}

/** Whether stepping changed anything besides the last sample time (then nothing needs storing). */
const changedBeyondTs = (a: PointState, b: PointState) =>
  JSON.stringify({ ...a, lastTs: null }) !== JSON.stringify({ ...b, lastTs: null });

/**
 * Turns samples into alarm records. Each point is evaluated under its row lock, so two instances or two
 * deliveries of one event serialise; a sample at or before the point's last one is ignored (idempotent
 * by the reading's time). Records, history, deliveries and timers are written in that one transaction.
 */
export class AlarmEngine {
  constructor(
    private readonly db: Db,
    private readonly repo: AlarmRepository,
    private readonly clock: Clock,
    private readonly notifier: AlarmNotifier,
    private readonly log: Logger,
  ) {}

  async evaluate(orgId: number, items: { ref: PointRef; samples: Sample[] }[], cause?: Cause): Promise<void> {
    const points = await this.repo.points(
      items.map((i) => ({ ruleId: i.ref.rule.id, source: i.ref.source })),
    );
    const quiet: typeof items = [];
    const busy: typeof items = [];
    for (const item of items) {
      const current = points.get(`${item.ref.rule.id}|${item.ref.source}`)?.state ?? initialPoint();
      const { state: s, any } = stepAll(current, item.ref.rule, item.samples);
      if (!any && !changedBeyondTs(current, s) && points.has(`${item.ref.rule.id}|${item.ref.source}`))
        continue;
      (any ? busy : quiet).push(item);
    }
    if (quiet.length) busy.push(...(await this.saveQuiet(orgId, quiet)));
    for (const item of busy) await this.evaluateLocked(orgId, item.ref, item.samples, cause);
  }

  /**
   * Points whose samples change only their state (a new point, an on-delay or deadband step — no
   * transition): stepped again under their locks and saved in one transaction (locks taken in (rule,
   * source) order), instead of one transaction each. One that has a transition after all (another
   * instance moved it meanwhile) is handed back for `evaluateLocked`.
   */
  private async saveQuiet(
    orgId: number,
    items: { ref: PointRef; samples: Sample[] }[],
  ): Promise<{ ref: PointRef; samples: Sample[] }[]> {
    const sorted = [...items].sort(
      (a, b) => a.ref.rule.id - b.ref.rule.id || a.ref.source.localeCompare(b.ref.source),
    );
    const back: typeof items = [];
    await this.db.transaction(async (tx) => {
      back.length = 0;
      const now = this.clock.now();
      for (const item of sorted) {
        const point = await this.repo.lockPoint(tx, orgId, item.ref.rule.id, item.ref.source);
        const { state, any } = stepAll(point.state, item.ref.rule, item.samples);
        if (any) back.push(item);
        else await this.repo.savePoint(tx, item.ref.rule.id, item.ref.source, { state, updatedAt: now });
      }
    });
    return back;
  }

  /**
   * Late data made an already evaluated hour exceed the limits (type 1): the active alarm counts it, or
   * a record is raised for that hour — and cleared at once when the point is no longer in alarm — so the
   * excursion is reported, never lost. `revise` (under the point's lock) stores the hour's new value and
   * answers the sample when it turned from inside to outside, else null.
   */
  async lateExcursion(
    orgId: number,
    ref: PointRef,
    revise: (tx: Tx) => Promise<Sample | null>,
  ): Promise<void> {
    const after: Array<() => Promise<void>> = [];
    let committed: Tx | undefined;
    await this.db.transaction(async (tx) => {
      committed = tx;
      const point = await this.repo.lockPoint(tx, orgId, ref.rule.id, ref.source);
      const sample = await revise(tx);
      if (!sample) return;
      const now = this.clock.now();
      const note = { userId: null, userName: '', comment: '迟到数据修正了已结束小时的用量' };
      const active = await this.repo.activeAlarm(tx, ref.rule.id, ref.source);
      if (active) {
        const alarm = await this.repo.updateAlarm(tx, active.id, { occurrences: active.occurrences + 1 });
        await this.repo.addHistory(tx, [
          {
            alarmId: alarm.id,
            orgId,
            action: 'retrigger',
            state: alarm.state,
            at: now,
            value: sample.value,
            ...note,
          },
        ]);
        return;
      }
      const held = point.state.chattering || (!!point.shelvedUntil && point.shelvedUntil > now);
      const alarm = await this.repo.insertAlarm(tx, {
        ...this.newRecord(orgId, ref, sample, now, point.state.chattering),
        state: 3,
        clearedAt: now,
      });
      await this.repo.addHistory(tx, [
        { alarmId: alarm.id, orgId, action: 'raise', state: 1, at: now, value: sample.value, ...note },
        { alarmId: alarm.id, orgId, action: 'clear', state: 3, at: now, value: sample.value, ...note },
      ]);
      await this.notifier.plan(tx, alarm, 'raised', held);
      after.push(() => this.notifier.changed(alarm, 'raised'));
    });
    for (const fn of after)
      await fn().catch((err: Error) => this.log.warn({ err }, 'alarm after-commit step failed'));
    await this.notifier.flush(committed);
  }

  private newRecord(orgId: number, ref: PointRef, t: Sample, now: Date, chattering: boolean) {
    return {
      orgId,
      ruleId: ref.rule.id,
      definitionId: ref.rule.definitionId,
      source: ref.source,
      meterId: ref.meterId,
      machineId: ref.machineId,
      deviceUid: ref.deviceUid,
      type: ref.rule.def.type,
      level: ref.rule.def.level,
      notify: ref.rule.def.notify,
      alarmName: ref.rule.def.name,
      ruleName: ref.rule.name,
      meterName: ref.meterName,
      machineName: ref.machineName,
      param: ref.rule.param,
      lowerLimit: ref.rule.lowerLimit,
      upperLimit: ref.rule.upperLimit,
      value: t.value,
      lastValue: t.value,
      readingAt: new Date(t.ts),
      raisedAt: now,
      lastAt: now,
      state: 1,
      chattering,
      content: alarmContent(ref, t.value),
    };
  }

  private async evaluateLocked(
    orgId: number,
    ref: PointRef,
    samples: Sample[],
    cause?: Cause,
  ): Promise<void> {
    const after: Array<() => Promise<void>> = [];
    let committed: Tx | undefined;
    await this.db.transaction(async (tx) => {
      committed = tx;
      const point = await this.repo.lockPoint(tx, orgId, ref.rule.id, ref.source);
      const now = this.clock.now();
      const shelved = !!point.shelvedUntil && point.shelvedUntil > now;
      let s = point.state;
      const all: Transition[] = [];
      for (const sample of [...samples].sort((a, b) => a.ts - b.ts)) {
        const r = step(s, limitsOf(ref.rule), sample);
        s = r.state;
        all.push(...r.transitions);
      }
      const flags = { chattering: s.chattering, shelved };
      for (const t of all) await this.apply(tx, orgId, ref, t, flags, cause, after);
      await this.repo.savePoint(tx, ref.rule.id, ref.source, { state: s, updatedAt: now });
    });
    for (const fn of after)
      await fn().catch((err: Error) => this.log.warn({ err }, 'alarm after-commit step failed'));
    await this.notifier.flush(committed);
  }

  private async apply(
    tx: Tx,
    orgId: number,
    ref: PointRef,
    t: Transition,
    flags: { chattering: boolean; shelved: boolean },
    cause: Cause | undefined,
    after: Array<() => Promise<void>>,
  ): Promise<void> {
    const now = this.clock.now();
    const held = flags.chattering || flags.shelved;
    const active = await this.repo.activeAlarm(tx, ref.rule.id, ref.source);
    const history = (alarm: AlarmRow, action: string, value: number | null, by?: Cause) =>
      this.repo.addHistory(tx, [
        {
          alarmId: alarm.id,
          orgId,
          action,
          state: alarm.state,
          at: now,
          userId: by?.userId ?? null,
          userName: by?.userName ?? '',
          comment: by?.comment ?? '',
          value,
        },
      ]);
    if ((t.kind === 'raise' && !active) || (t.kind === 'retrigger' && !active)) {
      const alarm = await this.repo.insertAlarm(tx, this.newRecord(orgId, ref, t, now, flags.chattering));
      await history(alarm, 'raise', t.value);
      await this.notifier.plan(tx, alarm, 'raised', held);
      if (!held) await this.notifier.startTimers(tx, alarm);
      after.push(() => this.notifier.changed(alarm, 'raised'));
      return;
    }
    if (!active) return;
    if (t.kind === 'raise' || t.kind === 'retrigger') {
      const alarm = await this.repo.updateAlarm(tx, active.id, {
        occurrences: active.occurrences + 1,
        lastValue: t.value,
        lastAt: now,
      });
      await history(alarm, 'retrigger', t.value);
      after.push(() => this.notifier.changed(alarm, 'retrigger'));
    } else if (t.kind === 'clear') {
      const alarm = await this.repo.updateAlarm(tx, active.id, {
        state: cleared(active.state as 1 | 2 | 3 | 4),
        clearedAt: now,
        lastValue: t.value,
        lastAt: now,
      });
      await history(alarm, cause ? 'reset' : 'clear', t.value, cause);
      await this.notifier.plan(tx, alarm, 'cleared', held);
      after.push(() => this.notifier.stopTimers(alarm));
      after.push(() => this.notifier.changed(alarm, 'cleared'));
    } else if (t.kind === 'chattering') {
      const alarm = await this.repo.updateAlarm(tx, active.id, { chattering: true });
      await history(alarm, 'chattering', null);
    } else if (t.kind === 'chattering_end') {
      const alarm = await this.repo.updateAlarm(tx, active.id, { chattering: false });
      await history(alarm, 'chattering_end', null);
      await this.notifier.release(tx, alarm);
      after.push(() => this.notifier.changed(alarm, 'chattering_end'));
    }
  }
}
