import type { Clock } from '../../infra/clock';
import type { DomainEvent, DomainEventTypes } from '../../platform/contract';
import type { AlarmConfigRepository, RuleWithDefinition } from './config-repository';
import type { AlarmEngine, Cause, PointRef, Sample } from './engine';
import { limitsOf } from './engine';
import { zoneOf } from './lifecycle';
import type { AlarmRepository } from './repository';
import { CHARGING_DEVICE_UID, chargingItems } from './charging-source';
import type { AlarmSources } from './sources';

const HOUR = 3_600_000;
/** An hour counts as closed this long after its end (late readings of the last minutes still count). */
export const HOUR_GRACE_MS = 5 * 60_000;
/**
 * Instantaneous values older than this when they arrive (a backfill, a year of history) are history, not
 * alarms: type-2 rules look at readings of the last day only.
 */
export const PARAM_MAX_AGE_MS = 24 * HOUR;
/** The hourly job catches up at most this many hours after downtime. */
const CATCH_UP_HOURS = 48;

/** Each (meter, hour) once. */
const uniqueHours = (hours: { meterId: number; hourStart: number }[]) => [
  ...new Map(hours.map((h) => [`${h.meterId}|${h.hourStart}`, h])).values(),
];

/**
 * Turns events into samples: instantaneous parameters (type 2) from every committed reading, hourly
 * consumption (type 1) when an hour closes or late data changes a closed one, and BMS alarm counts
 * (type 3) from telemetry, syncs and fault resets.
 */
export class AlarmEvaluation {
  constructor(
    private readonly config: AlarmConfigRepository,
    private readonly repo: AlarmRepository,
    private readonly sources: AlarmSources,
    private readonly engine: AlarmEngine,
    private readonly clock: Clock,
  ) {}

  private async meterRefs(orgId: number, rules: RuleWithDefinition[]): Promise<Map<number, PointRef>> {
    const meters = await this.sources.meters(orgId, [...new Set(rules.map((r) => r.meterId!))]);
    const out = new Map<number, PointRef>();
    for (const rule of rules) {
      const m = meters.get(rule.meterId!);
      if (!m) continue;
      out.set(rule.id, {
        rule,
        source: `m:${m.id}`,
        meterId: m.id,
        meterName: m.name,
        machineId: m.machineId,
        machineName: m.machineName,
        deviceUid: '',
      });
    }
    return out;
  }

  /**
   * `readings.ingested`: type 2 on every reading's params; type 1 re-checks closed hours that changed.
   * A batch of events is evaluated per organization at once — the rules, meters and points are loaded
   * once for all its readings (a backlog costs a few queries per batch, not per event); the engine
   * steps each point's samples in data-time order, whichever event brought them.
   */
  async onReadings(events: DomainEvent[]): Promise<void> {
    type Payload = DomainEventTypes['readings.ingested'];
    const byOrg = new Map<number, { readings: Payload['readings']; hours: Payload['hours'] }>();
    for (const e of events) {
      if (e.orgId === null) continue;
      const p = e.payload as Payload;
      const acc = byOrg.get(e.orgId) ?? { readings: [], hours: [] };
      for (const r of p.readings) acc.readings.push(r);
      for (const h of p.hours) acc.hours.push(h);
      byOrg.set(e.orgId, acc);
    }
    for (const [orgId, acc] of byOrg) {
      await this.parameters(orgId, acc.readings);
      if (acc.hours.length) await this.lateHours(orgId, uniqueHours(acc.hours));
    }
  }

  private async parameters(orgId: number, readings: DomainEventTypes['readings.ingested']['readings']) {
    const horizon = this.clock.now().getTime() - PARAM_MAX_AGE_MS;
    const withParams = readings.filter((r) => r.ts >= horizon && r.params && Object.keys(r.params).length);
    if (!withParams.length) return;
    const rules = await this.config.rulesForMeters(
      orgId,
      [...new Set(withParams.map((r) => r.meterId))],
      [2],
    );
    if (!rules.length) return;
    const refs = await this.meterRefs(orgId, rules);
    const byMeter = new Map<number, typeof withParams>();
    for (const r of withParams) {
      const list = byMeter.get(r.meterId);
      if (list) list.push(r);
      else byMeter.set(r.meterId, [r]);
    }
    const items: { ref: PointRef; samples: Sample[] }[] = [];
    for (const rule of rules) {
      const ref = refs.get(rule.id);
      if (!ref) continue;
      const samples: Sample[] = [];
      for (const r of byMeter.get(rule.meterId!) ?? []) {
        const value = r.params![rule.param];
        if (typeof value === 'number') samples.push({ ts: r.ts, value });
      }
      samples.sort((a, b) => a.ts - b.ts);
      if (samples.length) items.push({ ref, samples });
    }
    if (items.length) await this.engine.evaluate(orgId, items);
  }

  /** Closed hours whose consumption changed after they were evaluated (late data). */
  private async lateHours(orgId: number, hours: { meterId: number; hourStart: number }[]): Promise<void> {
    const closedBefore = this.clock.now().getTime() - HOUR_GRACE_MS;
    const closed = hours.filter((h) => h.hourStart + HOUR <= closedBefore);
    if (!closed.length) return;
    const rules = await this.config.rulesForMeters(orgId, [...new Set(closed.map((h) => h.meterId))], [1]);
    if (!rules.length) return;
    const refs = await this.meterRefs(orgId, rules);
    const points = await this.repo.points(rules.map((r) => ({ ruleId: r.id, source: `m:${r.meterId}` })));
    for (const rule of rules) {
      const ref = refs.get(rule.id);
      if (!ref) continue;
      const lastTs = points.get(`${rule.id}|${ref.source}`)?.state.lastTs ?? null;
      for (const h of closed.filter((x) => x.meterId === rule.meterId)) {
        // Not evaluated yet: the hourly job takes it in order. Evaluated: a revision.
        if (lastTs === null || h.hourStart > lastTs) continue;
        await this.reviseHour(orgId, ref, h.hourStart);
      }
    }
  }

  private async reviseHour(orgId: number, ref: PointRef, hourStart: number): Promise<void> {
    const limits = limitsOf(ref.rule);
    await this.engine.lateExcursion(orgId, ref, async (tx) => {
      const value = await this.sources.hourConsumption(ref.meterId!, hourStart, tx);
      if (value === null) return null;
      const before = await this.repo.hourValue(tx, ref.rule.id, ref.meterId!, hourStart);
      if (before && before.value === value) return null;
      const outside = zoneOf(value, limits) === 'outside';
      await this.repo.saveHourValue(tx, {
        ruleId: ref.rule.id,
        meterId: ref.meterId!,
        hourStart: new Date(hourStart),
        value,
        outside,
      });
      return outside && !(before?.outside ?? false) ? { ts: hourStart, value } : null;
    });
  }

  /** `alarms.hourly` (cron): each type-1 rule's closed hours since it last evaluated, in order. */
  async closedHours(): Promise<void> {
    const now = this.clock.now().getTime();
    const lastClosed = Math.floor((now - HOUR_GRACE_MS) / HOUR) * HOUR - HOUR;
    const rules = await this.config.hourlyRules();
    const byOrg = new Map<number, RuleWithDefinition[]>();
    for (const r of rules) byOrg.set(r.orgId, [...(byOrg.get(r.orgId) ?? []), r]);
    for (const [orgId, list] of byOrg) {
      const refs = await this.meterRefs(orgId, list);
      const points = await this.repo.points(list.map((r) => ({ ruleId: r.id, source: `m:${r.meterId}` })));
      const items: { ref: PointRef; samples: Sample[] }[] = [];
      for (const rule of list) {
        const ref = refs.get(rule.id);
        if (!ref) continue;
        const lastTs = points.get(`${rule.id}|${ref.source}`)?.state.lastTs ?? null;
        const from = Math.max(
          lastTs === null ? lastClosed : lastTs + HOUR,
          lastClosed - (CATCH_UP_HOURS - 1) * HOUR,
        );
        const samples: Sample[] = [];
        for (let h = from; h <= lastClosed; h += HOUR) {
          const v = await this.sources.hourConsumption(rule.meterId!, h);
          if (v === null) continue;
          samples.push({ ts: h, value: v });
          await this.repo.db.transaction((tx) =>
            this.repo.saveHourValue(tx, {
              ruleId: rule.id,
              meterId: rule.meterId!,
              hourStart: new Date(h),
              value: v,
              outside: zoneOf(v, limitsOf(rule)) === 'outside',
            }),
          );
        }
        if (samples.length) items.push({ ref, samples });
      }
      if (items.length) await this.engine.evaluate(orgId, items);
    }
  }

  /** `device.telemetry`: a BMS alarm count above the rule's limits raises; back to 0 clears. */
  async onTelemetry(events: DomainEvent[]): Promise<void> {
    const rules = this.deviceRulesOfBatch();
    for (const e of events) {
      const p = e.payload as DomainEventTypes['device.telemetry'];
      const count = p.bms?.alarm_status;
      if (e.orgId === null || typeof count !== 'number') continue;
      await this.device(e.orgId, p.deviceUid, { ts: p.ts, value: count }, undefined, rules);
    }
  }

  /** `device.command.completed`: a fault reset whose read-back shows 0 alarms clears the device alarm. */
  async onCommand(events: DomainEvent[]): Promise<void> {
    const rules = this.deviceRulesOfBatch();
    for (const e of events) {
      const p = e.payload as DomainEventTypes['device.command.completed'];
      const count = p.readback?.alarm_status;
      if (e.orgId === null || typeof count !== 'number') continue;
      const cause: Cause | undefined =
        p.method === 'bms.command' && p.outcome === 'succeeded'
          ? { userId: p.userId, userName: '', comment: `故障复位成功，读回报警数 ${count}` }
          : undefined;
      await this.device(
        e.orgId,
        p.deviceUid,
        { ts: e.occurredAt.getTime(), value: count },
        count === 0 ? cause : undefined,
        rules,
      );
    }
  }

  /**
   * `charging.safety.warning`: a charging safety warning is a device alarm (type 3) of the rules for
   * `Device_Uid` "charging" (or for every device): value 1 while raised, 0 when cleared, one alarm per
   * (connector, warning kind), worded by the warning itself.
   */
  async onChargingWarning(events: DomainEvent[]): Promise<void> {
    for (const e of events) {
      if (e.orgId === null) continue;
      const p = e.payload as DomainEventTypes['charging.safety.warning'];
      const rules = await this.config.rulesForDevice(e.orgId, CHARGING_DEVICE_UID);
      if (!rules.length) continue;
      await this.engine.evaluate(e.orgId, chargingItems(rules, p));
    }
  }

  /**
   * Device (type 3) rules by organization, read once per batch of events: a fleet's telemetry is many
   * events of few organizations, and one query per event was most of what a batch cost.
   */
  private deviceRulesOfBatch(): (orgId: number, uid: string) => Promise<RuleWithDefinition[]> {
    const byOrg = new Map<number, Promise<RuleWithDefinition[]>>();
    return async (orgId, uid) => {
      if (!byOrg.has(orgId)) byOrg.set(orgId, this.config.deviceRules(orgId));
      return (await byOrg.get(orgId)!).filter((r) => r.deviceUid === uid || r.deviceUid === '');
    };
  }

  private async device(
    orgId: number,
    uid: string,
    sample: Sample,
    cause: Cause | undefined,
    rulesOf: (orgId: number, uid: string) => Promise<RuleWithDefinition[]>,
  ): Promise<void> {
    const rules = await rulesOf(orgId, uid);
    if (!rules.length) return;
    const device = await this.sources.device(orgId, uid);
    if (!device) return;
    const items = rules.map((rule) => ({
      ref: {
        rule,
        source: `d:${uid}`,
        meterId: null,
        meterName: device.name,
        machineId: null,
        machineName: '',
        deviceUid: uid,
      },
      samples: [sample],
    }));
    await this.engine.evaluate(orgId, items, cause);
  }
}
