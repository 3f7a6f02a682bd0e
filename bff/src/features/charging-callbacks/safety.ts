import type { Clock } from '../../infra/clock';
import type { Db } from '../../infra/db/client';
import { seedDatetime } from '../../adapters/operator-callback/signing';
import type { DomainEvent, DomainEventTypes, Events, Jobs, Tx } from '../../platform/contract';
import type { CallbackService } from './callbacks';
import type { SafetyKind } from './events';
import type { SafetyRepository } from './safety-repository';
import { excursions, measured, warningName, warningText } from './safety-rules';
import type { CellSafetyRow, SafetyWarningRow } from './tables';

export const JOB_FAULT_CHECK = 'charging-callbacks.fault-check';
const MIN = 60_000;
const FAULT = 255;

type CellStatus = DomainEventTypes['charging.cell.status'];
/** What the delayed fault check needs (the connector and when its 255 began). */
export interface FaultCheck {
  orgId: number;
  operatorPk: number;
  operatorId: string;
  stationId: string;
  equipmentId: string;
  cellId: string;
  since: number;
}

/**
 * Safety warnings from connector status reports: a connector in 255 (故障) for more than N minutes (a
 * delayed job per fault start, cancelled when the status changes and doing nothing if it runs anyway), and voltage, current or
 * temperature beyond the rated limits (raised once per excursion, cleared when a report is back within).
 * Each warning is raised once per (connector, kind, start of the condition), and raising and clearing
 * emit `charging.safety.warning` and queue the operator's 安全预警 callback in the same transaction.
 * Reports older than the connector's last one are ignored (out of order or delivered twice).
 */
export class SafetyService {
  constructor(
    private readonly db: Db,
    private readonly repo: SafetyRepository,
    private readonly callbacks: CallbackService,
    private readonly events: Events,
    private readonly jobs: Jobs,
    private readonly clock: Clock,
    private readonly opts: { faultMinutes: number; maxTemperature: number },
  ) {}

  /**
   * `charging.cell.status` consumer: a batch in one transaction (thousands of connectors report every
   * few seconds), its connectors locked in (operator, cell, ts) order so two batches never deadlock.
   */
  async onCellStatus(events: DomainEvent[]): Promise<void> {
    const reports = events
      .filter((e) => e.orgId !== null)
      .map((e) => ({ orgId: e.orgId!, p: e.payload as CellStatus }))
      .sort(
        (a, b) => a.p.operatorPk - b.p.operatorPk || a.p.cellId.localeCompare(b.p.cellId) || a.p.ts - b.p.ts,
      );
    if (!reports.length) return;
    const stale: string[] = [];
    await this.db.transaction(async (tx) => {
      stale.length = 0;
      for (const r of reports) await this.report(tx, r.orgId, r.p, stale);
    });
    // Fault checks of faults that ended: cancelled after the commit (one that runs anyway finds the
    // status changed and does nothing).
    for (const id of stale) await this.jobs.cancel(JOB_FAULT_CHECK, id).catch(() => undefined);
  }

  private async report(tx: Tx, orgId: number, p: CellStatus, stale: string[]): Promise<void> {
    const at = new Date(p.ts);
    const { row, created } = await this.repo.lockCell(
      tx,
      { operatorPk: p.operatorPk, cellId: p.cellId, orgId },
      { status: p.status, at },
    );
    if (!created && row.lastTs.getTime() >= p.ts) return;
    const changed = created || row.status !== p.status;
    const next: CellSafetyRow = {
      ...row,
      status: p.status,
      statusSince: changed ? at : row.statusSince,
      lastTs: at,
      active: { ...row.active },
    };
    if (changed && p.status === FAULT) {
      const check: FaultCheck = {
        orgId,
        operatorPk: p.operatorPk,
        operatorId: p.operatorId,
        stationId: p.stationId,
        equipmentId: p.equipmentId,
        cellId: p.cellId,
        since: p.ts,
      };
      next.faultJob = await this.jobs.sendInTx(tx, JOB_FAULT_CHECK, check, {
        key: `${p.operatorPk}|${p.cellId}|${p.ts}`,
        startAfter: new Date(p.ts + this.opts.faultMinutes * MIN),
      });
    }
    if (changed && p.status !== FAULT && next.faultJob) {
      stale.push(next.faultJob);
      next.faultJob = null;
    }
    if (changed && p.status !== FAULT && next.active.fault !== undefined) {
      await this.clear(tx, next.active.fault, p.ts);
      delete next.active.fault;
    }
    const found = excursions(p, this.opts.maxTemperature);
    for (const x of found) {
      if (next.active[x.kind] !== undefined) continue;
      const w = await this.raise(tx, { orgId, ...p }, x.kind, p.ts, x.value, x.limit);
      if (w) next.active[x.kind] = w.id;
    }
    for (const [kind, id] of Object.entries(next.active)) {
      if (kind === 'fault' || found.some((x) => x.kind === kind) || !measured(kind as SafetyKind, p))
        continue;
      await this.clear(tx, id, p.ts);
      delete next.active[kind];
    }
    await this.repo.saveCell(tx, next);
  }

  /** `charging-callbacks.fault-check`: raises the fault warning if the connector is still in that 255. */
  async faultCheck(d: FaultCheck): Promise<void> {
    await this.db.transaction(async (tx) => {
      const key = { operatorPk: d.operatorPk, cellId: d.cellId, orgId: d.orgId };
      const { row } = await this.repo.lockCell(tx, key, { status: FAULT, at: new Date(d.since) });
      if (row.status !== FAULT || row.statusSince.getTime() !== d.since) return;
      const minutes = (Math.max(this.clock.now().getTime(), row.lastTs.getTime()) - d.since) / MIN;
      const w = await this.raise(
        tx,
        d,
        'fault',
        d.since,
        Math.max(minutes, this.opts.faultMinutes),
        this.opts.faultMinutes,
      );
      if (w) await this.repo.saveCell(tx, { ...row, faultJob: null, active: { ...row.active, fault: w.id } });
    });
  }

  private async raise(
    tx: Tx,
    c: Omit<FaultCheck, 'since'>,
    kind: SafetyKind,
    startedAt: number,
    value: number | null,
    limit: number | null,
  ): Promise<SafetyWarningRow | null> {
    const w = await this.repo.insertWarning(tx, {
      orgId: c.orgId,
      operatorPk: c.operatorPk,
      operatorId: c.operatorId,
      stationId: c.stationId,
      equipmentId: c.equipmentId,
      cellId: c.cellId,
      kind,
      startedAt: new Date(startedAt),
      raisedAt: this.clock.now(),
      value,
      limitValue: limit,
    });
    if (w) await this.announce(tx, w, 'raised', startedAt);
    return w;
  }

  private async clear(tx: Tx, id: number, ts: number): Promise<void> {
    const w = await this.repo.clearWarning(tx, id, new Date(ts));
    if (w) await this.announce(tx, w, 'cleared', ts);
  }

  /** The event for the alarms feature and the operator's 安全预警 callback, in the warning's transaction. */
  private async announce(tx: Tx, w: SafetyWarningRow, state: 'raised' | 'cleared', ts: number) {
    const kind = w.kind as SafetyKind;
    const text = warningText({ ...w, kind, limit: w.limitValue }, state);
    await this.events.emit(tx, 'charging.safety.warning', w.orgId, {
      warningId: w.id,
      state,
      operatorPk: w.operatorPk,
      operatorId: w.operatorId,
      stationId: w.stationId,
      equipmentId: w.equipmentId,
      cellId: w.cellId,
      kind,
      startedAt: w.startedAt.getTime(),
      ts,
      value: w.value,
      limit: w.limitValue,
      text,
    });
    await this.callbacks.enqueue(tx, {
      orgId: w.orgId,
      operatorPk: w.operatorPk,
      operatorId: w.operatorId,
      kind: 'safetyWarning',
      key: `warning:${w.id}:${state}`,
      payload: {
        operatorId: w.operatorId,
        stationId: w.stationId,
        equipmentId: w.equipmentId,
        cellId: w.cellId,
        warningId: String(w.id),
        warningType: kind,
        warningName: warningName(kind),
        warningStatus: state === 'raised' ? 1 : 0,
        warningTime: seedDatetime(w.startedAt),
        reportTime: seedDatetime(new Date(ts)),
        value: w.value,
        limit: w.limitValue,
        warningDesc: text,
      },
    });
  }
}
