import { AppError, invalid } from '../../core/errors';
import { validationError } from '../../core/http/route';
import type { Db } from '../../infra/db/client';
import type { Clock } from '../../infra/clock';
import type { Events, Tx } from '../../platform/contract';
import type { ChargingOperator } from './operator-auth';
import { parseOpTime } from './op-time';
import { emitRefusedItems } from './refusals';
import { cellStatusBody, type CellStatusBody } from './schemas';
import type { CellRef, PreviousStatus, StatusRepository, StatusWrite } from './status-repository';

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

/** A checked report, ready to store. */
interface Prepared {
  cell: CellRef;
  write: StatusWrite;
}

const nul = (v: number | null | undefined) => v ?? null;

/** Where one reading stands against its limit: not reported, within, above, or (voltage) below. */
type Band = 'none' | 'ok' | 'high' | 'low';
const band = (v: number | null, high: number, low?: number): Band =>
  v === null ? 'none' : v > high ? 'high' : low !== undefined && v < low ? 'low' : 'ok';

/**
 * Whether a kept report is emitted as `charging.cell.status` (the rule is documented on the event in
 * events.ts): the cell's first report, a cell changed since the previous report, a status change, or a
 * voltage / current / temperature reading that appeared, disappeared or crossed its limit.
 */
export function worthEmitting(
  cell: Pick<CellRef, 'ratedVoltageUpper' | 'ratedVoltageLower' | 'ratedCurrent' | 'updatedAt'>,
  w: Pick<StatusWrite, 'status' | 'voltage' | 'current' | 'temperature'>,
  prev: PreviousStatus | null,
  maxTemperature: number,
): boolean {
  if (!prev || prev.status !== w.status) return true;
  if (cell.updatedAt.getTime() >= prev.receivedAt.getTime()) return true;
  // Same status on both sides, so "below the lower limit while charging" compares alike.
  const low = w.status === 3 ? cell.ratedVoltageLower : undefined;
  return (
    band(prev.voltage, cell.ratedVoltageUpper, low) !== band(w.voltage, cell.ratedVoltageUpper, low) ||
    band(prev.current, cell.ratedCurrent) !== band(w.current, cell.ratedCurrent) ||
    band(prev.temperature, maxTemperature) !== band(w.temperature, maxTemperature)
  );
}

/** The cell changed after the copy a report was checked against was read: read it again. */
class StaleCell extends Error {}

/** Cells kept in memory per process (a few hundred bytes each); the map starts over when full. */
const CELL_CACHE_MAX = 100_000;

/** Real-time cell status (seed 004 实时数据上报). */
export class StatusService {
  /** `operatorPk\ncellId` → the cell and the kept state this process last read or wrote. */
  private readonly cells = new Map<string, CellRef>();

  constructor(
    private readonly db: Db,
    private readonly repo: StatusRepository,
    private readonly events: Events,
    private readonly clock: Clock,
    private readonly tzOf: (orgId: number) => Promise<string>,
    /** How far in the future a report may be (the operator's clock may run a little ahead). */
    private readonly futureMs: number,
    /** The temperature limit of the safety warnings (CHARGING_MAX_TEMPERATURE_C), for the emission rule. */
    private readonly maxTemperature: number,
  ) {}

  /** Checks a report against its cell; throws a 4xx naming the field. */
  private prepare(cell: CellRef | undefined, body: CellStatusBody, tz: string): Prepared {
    if (!cell) throw new AppError('not_found', '充电口不存在', { field: 'cellId' });
    if (body.equipmentId !== undefined && body.equipmentId !== cell.equipmentId)
      throw invalid('equipmentId', '与充电口所属充电设施不一致');
    if (body.stationId !== undefined && body.stationId !== cell.stationId)
      throw invalid('stationId', '与充电口所属充电站不一致');
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
    return {
      cell,
      write: {
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
      },
    };
  }

  /**
   * Keeps the report unless an equal-or-newer one is kept; when kept and `worthEmitting`, emits
   * `charging.cell.status` in `tx`. Throws `StaleCell` (rolling `tx` back) when the cell changed after
   * `cell` was read.
   */
  private async store(tx: Tx, op: ChargingOperator, { cell, write: w }: Prepared): Promise<boolean> {
    const { kept, previous, cellSame } = await this.repo.keepIfNewer(tx, w, cell.version);
    if (!cellSame) throw new StaleCell();
    this.remember(op.pk, cell, kept ? w : null);
    if (kept && worthEmitting(cell, w, previous, this.maxTemperature))
      await this.events.emit(tx, 'charging.cell.status', cell.orgId, {
        operatorPk: op.pk,
        operatorId: op.operatorId,
        stationId: cell.stationId,
        equipmentId: cell.equipmentId,
        cellId: cell.cellId,
        status: w.status,
        ts: w.ts.getTime(),
        voltage: w.voltage,
        current: w.current,
        power: w.power,
        soc: w.soc,
        temperature: w.temperature,
        ratedVoltageUpperLimit: cell.ratedVoltageUpper,
        ratedVoltageLowerLimit: cell.ratedVoltageLower,
        ratedCurrent: cell.ratedCurrent,
        ratedPower: cell.ratedPower,
      });
    return kept;
  }

  /** The cell as last read or written by this process (refreshed when a statement finds it changed). */
  private async cached(op: ChargingOperator, cellId: string): Promise<{ ref?: CellRef; fromCache: boolean }> {
    const hit = this.cells.get(`${op.pk}\n${cellId}`);
    if (hit) return { ref: hit, fromCache: true };
    const [ref] = await this.repo.cellRefs(op.pk, [cellId]);
    if (ref) this.remember(op.pk, ref, null);
    return { ref, fromCache: false };
  }

  /** Caches `cell`, with `written` as its kept state when this process just kept it. */
  private remember(operatorPk: number, cell: CellRef, written: StatusWrite | null): void {
    if (this.cells.size >= CELL_CACHE_MAX) this.cells.clear();
    const kept = written
      ? {
          ts: written.ts,
          status: written.status,
          voltage: written.voltage,
          current: written.current,
          temperature: written.temperature,
          receivedAt: written.receivedAt,
        }
      : cell.kept;
    this.cells.set(`${operatorPk}\n${cell.cellId}`, { ...cell, kept });
  }

  private forgetCell(operatorPk: number, cellId: string): void {
    this.cells.delete(`${operatorPk}\n${cellId}`);
  }

  /**
   * One report. The cell comes from this process's cache when it has it (every statement below checks
   * that the cell and its kept state are still the ones read, and a refusal is decided on a fresh read).
   * A steady report (nothing the event's consumer needs changed) is one compare-and-set statement;
   * otherwise the report is stored, and its event emitted, in one transaction.
   */
  async report(op: ChargingOperator, body: CellStatusBody): Promise<{ cellId: string; kept: boolean }> {
    const tz = await this.tzOf(op.orgId);
    let { ref, fromCache } = await this.cached(op, body.cellId);
    let stale = 0;
    for (;;) {
      let prepared: Prepared;
      try {
        prepared = this.prepare(ref, body, tz);
      } catch (err) {
        if (!fromCache) throw err;
        this.forgetCell(op.pk, body.cellId);
        ({ ref, fromCache } = await this.cached(op, body.cellId));
        continue;
      }
      const { write: w, cell } = prepared;
      const seen = cell.kept;
      if (seen && seen.ts.getTime() < w.ts.getTime() && !worthEmitting(cell, w, seen, this.maxTemperature)) {
        if (await this.repo.replaceIfUnchanged(w, seen.ts, cell.version)) {
          this.remember(op.pk, cell, w);
          return { cellId: cell.cellId, kept: true };
        }
        // The row or the cell moved since it was read: read both again, then take the locked path.
        this.forgetCell(op.pk, body.cellId);
        ({ ref, fromCache } = await this.cached(op, body.cellId));
        prepared = this.prepare(ref, body, tz); // a fresh read: a refusal here is final
      }
      try {
        const kept = await this.db.transaction((tx) => this.store(tx, op, prepared));
        return { cellId: prepared.cell.cellId, kept };
      } catch (err) {
        if (!(err instanceof StaleCell)) throw err;
        if (++stale > 3)
          throw new AppError('conflict', '充电口信息正在被修改，请稍后重新上报', { field: 'cellId' });
        this.forgetCell(op.pk, body.cellId);
        ({ ref, fromCache } = await this.cached(op, body.cellId));
      }
    }
  }

  /**
   * A list of reports: each checked on its own and answered by position; the accepted ones are stored
   * together in one transaction (in list order, so a later item of the same cell wins when newer), with
   * `charging.report.refused` for the refused ones.
   */
  async reportList(op: ChargingOperator, items: unknown[]): Promise<ListOutcome[]> {
    const receivedAt = this.clock.now();
    const parsed = items.map((item) => cellStatusBody.safeParse(item));
    const ids = [...new Set(parsed.flatMap((p) => (p.success ? [p.data.cellId] : [])))];
    const cells = new Map((await this.repo.cellRefs(op.pk, ids)).map((c) => [c.cellId, c]));
    const tz = await this.tzOf(op.orgId);
    const out: ListOutcome[] = [];
    const accepted: { index: number; prepared: Prepared }[] = [];
    for (const [index, p] of parsed.entries()) {
      const item = items[index];
      const cellId =
        item && typeof item === 'object' && typeof (item as { cellId?: unknown }).cellId === 'string'
          ? (item as { cellId: string }).cellId.slice(0, 64)
          : null;
      try {
        if (!p.success) throw validationError(p.error, 'body');
        accepted.push({ index, prepared: this.prepare(cells.get(p.data.cellId), p.data, tz) });
        out.push({ index, cellId, accepted: true, message: '' });
      } catch (err) {
        if (!(err instanceof AppError) || err.reportable) throw err;
        out.push({ index, cellId, accepted: false, message: err.message, field: err.details?.field });
      }
    }
    // The refused items are told to the operator's 上报失败 callback by an event in the same transaction
    // as the accepted ones: it exists exactly if this answer's outcomes are final.
    if (accepted.length || out.some((o) => !o.accepted))
      await this.storeList(op, accepted, out, receivedAt, 0);
    return out;
  }

  /**
   * Stores a list's accepted reports and the refusals' event in one transaction; read again and retried
   * if a cell changed meanwhile.
   */
  private async storeList(
    op: ChargingOperator,
    accepted: { index: number; prepared: Prepared }[],
    out: ListOutcome[],
    receivedAt: Date,
    attempt: number,
  ): Promise<void> {
    try {
      await this.db.transaction(async (tx) => {
        for (const a of accepted) {
          const kept = await this.store(tx, op, a.prepared);
          out[a.index] = {
            ...out[a.index]!,
            kept,
            message: kept ? '上报成功' : '已有更新的状态，本条未覆盖',
          };
        }
        const outcomes = out.map((o) => ({ ...o, id: o.cellId }));
        await emitRefusedItems(tx, this.events, op, 'cellStatus', outcomes, receivedAt);
      });
    } catch (err) {
      if (!(err instanceof StaleCell) || attempt >= 3) throw err;
      const fresh = new Map(
        (
          await this.repo.cellRefs(
            op.pk,
            accepted.map((a) => a.prepared.cell.cellId),
          )
        ).map((c) => [c.cellId, c]),
      );
      const again: { index: number; prepared: Prepared }[] = [];
      for (const a of accepted) {
        const cell = fresh.get(a.prepared.cell.cellId);
        if (cell)
          again.push({
            index: a.index,
            prepared: { cell, write: { ...a.prepared.write, cellPk: cell.cellPk } },
          });
        else out[a.index] = { ...out[a.index]!, accepted: false, message: '充电口不存在', field: 'cellId' };
      }
      await this.storeList(op, again, out, receivedAt, attempt + 1);
    }
  }
}
