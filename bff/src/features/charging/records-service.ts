import { and, eq } from 'drizzle-orm';
import { AppError, invalid } from '../../core/errors';
import { validationError } from '../../core/http/route';
import type { Db } from '../../infra/db/client';
import type { Clock } from '../../infra/clock';
import type { DomainEvent, Events } from '../../platform/contract';
import { ownOperatorId, pageWindow, type PageQuery } from './assets-service';
import type { ChargingOperator } from './operator-auth';
import { parseOpTime } from './op-time';
import { emitRefusedItems } from './refusals';
import { endedIn, type RecordsRepository, type RecordRow } from './records-repository';
import { chargeRecordBody, type ChargeRecordBody } from './schemas';
import type { StatusRepository } from './status-repository';
import { chargingRecords } from './tables';

/** 1 分: money may differ from energy × price by this, plus the energy's last digit (0.01 kWh) × price / 2. */
const CENT = 0.01;
const EPS = 1e-9;
const near = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol + EPS;
const moneyTol = (price: number) => CENT + 0.005 * price;

/** Checks the record's figures; throws a 400 naming the first wrong field. */
export function checkRecordFigures(b: ChargeRecordBody): void {
  if (!near(b.totalMoney, b.elecMoney + b.serviceMoney, CENT))
    throw invalid('totalMoney', '必须等于 elecMoney + serviceMoney（误差不超过 0.01 元）');
  if (b.chargeDetails) {
    let power = 0;
    let elec = 0;
    let service = 0;
    for (const [i, d] of b.chargeDetails.entries()) {
      if (d.detailStartTime >= d.detailEndTime)
        throw invalid(`chargeDetails.${i}.detailEndTime`, '必须晚于 detailStartTime');
      if (!near(d.detailElecMoney, d.detailPower * d.elecPrice, moneyTol(d.elecPrice)))
        throw invalid(
          `chargeDetails.${i}.detailElecMoney`,
          '必须等于 detailPower × elecPrice（误差在舍入范围内）',
        );
      if (!near(d.detailServiceMoney, d.detailPower * d.servicePrice, moneyTol(d.servicePrice)))
        throw invalid(
          `chargeDetails.${i}.detailServiceMoney`,
          '必须等于 detailPower × servicePrice（误差在舍入范围内）',
        );
      power += d.detailPower;
      elec += d.detailElecMoney;
      service += d.detailServiceMoney;
    }
    const n = b.chargeDetails.length;
    if (!near(power, b.totalPower, 0.01 * n)) throw invalid('totalPower', '必须等于各时段 detailPower 之和');
    if (!near(elec, b.elecMoney, CENT * n)) throw invalid('elecMoney', '必须等于各时段 detailElecMoney 之和');
    if (!near(service, b.serviceMoney, CENT * n))
      throw invalid('serviceMoney', '必须等于各时段 detailServiceMoney 之和');
    return;
  }
  if (b.elecPrice === undefined)
    throw invalid('elecPrice', 'elecPrice 与 servicePrice，或 chargeDetails，必须给出其一');
  if (b.servicePrice === undefined)
    throw invalid('servicePrice', 'elecPrice 与 servicePrice，或 chargeDetails，必须给出其一');
  if (!near(b.elecMoney, b.totalPower * b.elecPrice, moneyTol(b.elecPrice)))
    throw invalid('elecMoney', '必须等于 totalPower × elecPrice（误差在舍入范围内）');
  if (!near(b.serviceMoney, b.totalPower * b.servicePrice, moneyTol(b.servicePrice)))
    throw invalid('serviceMoney', '必须等于 totalPower × servicePrice（误差在舍入范围内）');
}

export interface RecordOutcome {
  index?: number;
  recordId: string | null;
  accepted: boolean;
  /** Accepted earlier already (idempotent on recordId): nothing changed. */
  duplicate?: boolean;
  message: string;
  field?: string;
}

/** Charging records (seed 004 运营数据管理 / 充电记录管理). */
export class RecordsService {
  constructor(
    private readonly db: Db,
    private readonly repo: RecordsRepository,
    private readonly cells: StatusRepository,
    private readonly events: Events,
    private readonly clock: Clock,
    private readonly tzOf: (orgId: number) => Promise<string>,
    private readonly futureMs: number,
  ) {}

  /** Stores a record once per (operator, recordId) and emits `charging.record.submitted` the first time. */
  async submit(op: ChargingOperator, b: ChargeRecordBody): Promise<RecordOutcome> {
    ownOperatorId(op, b.operatorId);
    if (await this.repo.find(op.pk, b.recordId))
      return {
        recordId: b.recordId,
        accepted: true,
        duplicate: true,
        message: '该充电记录已提交（按 recordId 幂等）',
      };
    const cell = await this.cells.cellRef(op.pk, b.cellId);
    if (!cell) throw invalid('cellId', '充电口不存在');
    if (b.equipmentId !== cell.equipmentId) throw invalid('equipmentId', '与充电口所属充电设施不一致');
    if (b.stationId !== cell.stationId) throw invalid('stationId', '与充电口所属充电站不一致');
    const tz = await this.tzOf(op.orgId);
    const startAt = parseOpTime(b.startTime, tz);
    if (!startAt) throw invalid('startTime', '不是有效的时间');
    const endAt = parseOpTime(b.endTime, tz);
    if (!endAt) throw invalid('endTime', '不是有效的时间');
    if (startAt.getTime() >= endAt.getTime()) throw invalid('endTime', '必须晚于 startTime');
    if (endAt.getTime() > this.clock.now().getTime() + this.futureMs)
      throw invalid('endTime', '不能晚于服务器时间');
    checkRecordFigures(b);
    const id = await this.db.transaction(async (tx) => {
      const recordPk = await this.repo.insertNew(tx, {
        orgId: op.orgId,
        operatorPk: op.pk,
        recordId: b.recordId,
        stationPk: cell.stationPk,
        stationId: b.stationId,
        equipmentId: b.equipmentId,
        cellId: b.cellId,
        startAt,
        endAt,
        startTime: b.startTime,
        endTime: b.endTime,
        totalPower: b.totalPower,
        elecMoney: b.elecMoney,
        serviceMoney: b.serviceMoney,
        totalMoney: b.totalMoney,
        plateNo: b.plateNo ?? null,
        phone: b.phone ?? null,
        stopReason: b.stopReason ?? null,
        info: { ...b, operatorId: op.operatorId },
      });
      if (recordPk !== null)
        await this.events.emit(tx, 'charging.record.submitted', op.orgId, {
          recordPk,
          operatorPk: op.pk,
          operatorId: op.operatorId,
          recordId: b.recordId,
          stationId: b.stationId,
          stationName: cell.stationName,
          equipmentId: b.equipmentId,
          cellId: b.cellId,
          startTime: b.startTime,
          endTime: b.endTime,
          totalPower: b.totalPower,
          totalMoney: b.totalMoney,
          elecMoney: b.elecMoney,
          serviceMoney: b.serviceMoney,
          plateNo: b.plateNo ?? null,
          phone: b.phone ?? null,
        });
      return recordPk;
    });
    return id === null
      ? {
          recordId: b.recordId,
          accepted: true,
          duplicate: true,
          message: '该充电记录已提交（按 recordId 幂等）',
        }
      : { recordId: b.recordId, accepted: true, duplicate: false, message: '提交成功' };
  }

  /**
   * A list of records, each checked and stored on its own; answered by position. The refused ones are
   * told to the operator's 上报失败 callback (`charging.report.refused`, in a transaction of its own:
   * a refusal writes nothing else).
   */
  async submitList(op: ChargingOperator, items: unknown[]): Promise<RecordOutcome[]> {
    const receivedAt = this.clock.now();
    const out: RecordOutcome[] = [];
    for (const [index, item] of items.entries()) {
      const recordId =
        item && typeof item === 'object' && typeof (item as { recordId?: unknown }).recordId === 'string'
          ? (item as { recordId: string }).recordId.slice(0, 64)
          : null;
      try {
        const parsed = chargeRecordBody.safeParse(item);
        if (!parsed.success) throw validationError(parsed.error, 'body');
        out.push({ index, ...(await this.submit(op, parsed.data)) });
      } catch (err) {
        if (!(err instanceof AppError) || err.reportable) throw err;
        out.push({ index, recordId, accepted: false, message: err.message, field: err.details?.field });
      }
    }
    if (out.some((o) => !o.accepted)) {
      const outcomes = out.map((o) => ({ ...o, id: o.recordId }));
      await this.db.transaction((tx) =>
        emitRefusedItems(tx, this.events, op, 'chargeRecord', outcomes, receivedAt),
      );
    }
    return out;
  }

  async list(
    op: ChargingOperator,
    q: PageQuery & {
      recordId?: string;
      stationId?: string;
      cellId?: string;
      startTime?: string;
      endTime?: string;
    },
  ) {
    const tz = await this.tzOf(op.orgId);
    const from = q.startTime ? parseOpTime(q.startTime, tz) : null;
    if (q.startTime && !from) throw invalid('startTime', '不是有效的时间');
    const to = q.endTime ? parseOpTime(q.endTime, tz) : null;
    if (q.endTime && !to) throw invalid('endTime', '不是有效的时间');
    const filter = and(
      q.recordId ? eq(chargingRecords.recordId, q.recordId) : undefined,
      q.stationId ? eq(chargingRecords.stationId, q.stationId) : undefined,
      q.cellId ? eq(chargingRecords.cellId, q.cellId) : undefined,
      endedIn(from ?? undefined, to ?? undefined),
    );
    const { limit, offset } = pageWindow(q);
    const { rows, total } = await this.repo.page(op.pk, filter, limit, offset);
    return { total, list: rows.map((r) => ({ ...r.info, payState: r.payState })) };
  }

  async payState(op: ChargingOperator, recordId: string) {
    const r: RecordRow | undefined = await this.repo.find(op.pk, recordId);
    if (!r) throw new AppError('not_found', '充电记录不存在', { field: 'recordId' });
    return {
      recordId: r.recordId,
      payState: r.payState,
      billId: r.billId,
      amountFen: r.payAmountFen,
      refundedFen: r.refundedFen,
      paidAt: r.paidAt,
    };
  }

  /** Consumer of `payments.bill.changed`: keeps the newest state per record (idempotent by event id order). */
  async onBillChanged(events: DomainEvent[]): Promise<void> {
    for (const e of events) {
      if (e.type !== 'payments.bill.changed') continue;
      await this.repo.applyBill(
        e.orgId,
        BigInt(e.id),
        e.payload as DomainEvent<'payments.bill.changed'>['payload'],
      );
    }
  }
}
