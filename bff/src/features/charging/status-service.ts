import { AppError, invalid } from '../../core/errors';
import { validationError } from '../../core/http/route';
import type { Db } from '../../infra/db/client';
import type { Clock } from '../../infra/clock';
import type { Events } from '../../platform/contract';
import type { ChargingOperator } from './operator-auth';
import { parseOpTime } from './op-time';
import { cellStatusBody, type CellStatusBody } from './schemas';
import type { StatusRepository } from './status-repository';

/** One item's outcome in a list report, by position. */
export interface ListOutcome {
  index: number;
  cellId: string | null;
  accepted: boolean;
  /** Accepted but older than (or as old as) the kept state: nothing changed. */
  kept?: boolean;
  message: string;
  field?: string;
}

/** Real-time cell status (seed 004 实时数据上报). */
export class StatusService {
  constructor(
    private readonly db: Db,
    private readonly repo: StatusRepository,
    private readonly events: Events,
    private readonly clock: Clock,
    private readonly tzOf: (orgId: number) => Promise<string>,
    /** How far in the future a report may be (the operator's clock may run a little ahead). */
    private readonly futureMs: number,
  ) {}

  /**
   * Stores one report unless an equal-or-newer one is kept, and emits `charging.cell.status` in the
   * same transaction when it is kept. Returns whether it was kept.
   */
  async report(op: ChargingOperator, body: CellStatusBody): Promise<{ cellId: string; kept: boolean }> {
    const cell = await this.repo.cellRef(op.pk, body.cellId);
    if (!cell) throw new AppError('not_found', '充电口不存在', { field: 'cellId' });
    if (body.equipmentId !== undefined && body.equipmentId !== cell.equipmentId)
      throw invalid('equipmentId', '与充电口所属充电设施不一致');
    if (body.stationId !== undefined && body.stationId !== cell.stationId)
      throw invalid('stationId', '与充电口所属充电站不一致');
    const tz = await this.tzOf(op.orgId);
    const ts = parseOpTime(body.statusTime, tz);
    if (!ts) throw invalid('statusTime', '不是有效的时间');
    const now = this.clock.now();
    if (ts.getTime() > now.getTime() + this.futureMs) throw invalid('statusTime', '不能晚于服务器时间');
    let startAt: Date | null = null;
    if (body.startTime) {
      startAt = parseOpTime(body.startTime, tz);
      if (!startAt) throw invalid('startTime', '不是有效的时间');
      if (startAt.getTime() > ts.getTime()) throw invalid('startTime', '不能晚于 statusTime');
    }
    const charging = body.status === 3;
    const nul = (v: number | null | undefined) => v ?? null;
    const kept = await this.db.transaction(async (tx) => {
      const ok = await this.repo.keepIfNewer(tx, {
        cellPk: cell.cellPk,
        orgId: cell.orgId,
        status: body.status,
        ts,
        voltage: nul(body.voltage),
        current: nul(body.current),
        power: nul(body.power),
        soc: nul(body.soc),
        temperature: nul(body.temperature),
        sessionEnergy: charging ? nul(body.totalPower) : null,
        startAt: charging ? startAt : null,
        receivedAt: now,
      });
      if (ok)
        await this.events.emit(tx, 'charging.cell.status', cell.orgId, {
          operatorPk: op.pk,
          operatorId: op.operatorId,
          stationId: cell.stationId,
          equipmentId: cell.equipmentId,
          cellId: cell.cellId,
          status: body.status,
          ts: ts.getTime(),
          voltage: nul(body.voltage),
          current: nul(body.current),
          power: nul(body.power),
          soc: nul(body.soc),
          temperature: nul(body.temperature),
          ratedVoltageUpperLimit: cell.ratedVoltageUpper,
          ratedVoltageLowerLimit: cell.ratedVoltageLower,
          ratedCurrent: cell.ratedCurrent,
          ratedPower: cell.ratedPower,
        });
      return ok;
    });
    return { cellId: cell.cellId, kept };
  }

  /** A list of reports, each checked and stored on its own; answered by position. */
  async reportList(op: ChargingOperator, items: unknown[]): Promise<ListOutcome[]> {
    const out: ListOutcome[] = [];
    for (const [index, item] of items.entries()) {
      const cellId =
        item && typeof item === 'object' && typeof (item as { cellId?: unknown }).cellId === 'string'
          ? String((item as { cellId: string }).cellId).slice(0, 64)
          : null;
      try {
        const parsed = cellStatusBody.safeParse(item);
        if (!parsed.success) throw validationError(parsed.error, 'body');
        const { kept } = await this.report(op, parsed.data);
        out.push({
          index,
          cellId,
          accepted: true,
          kept,
          message: kept ? '上报成功' : '已有更新的状态，本条未覆盖',
        });
      } catch (err) {
        if (!(err instanceof AppError) || err.reportable) throw err;
        out.push({ index, cellId, accepted: false, message: err.message, field: err.details?.field });
      }
    }
    return out;
  }
}
