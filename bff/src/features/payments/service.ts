import { DateTime } from 'luxon';
import { PAY_QR_PREFIX, type BillState, type DriverClaimBody, type PayOrderResult } from '@wattdesk/shared';
import { AppError, notFound } from '../../core/errors';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import type { DomainEvent, Events, Jobs, Tx } from '../../platform/contract';
import { WeChatPayApiError } from '../../adapters/wechatpay/client';
import type { Transaction } from '../../adapters/wechatpay/schemas';
import type { Driver } from './drivers';
import { DEMO_PAY_PATH, type PayGateway } from './gateway';
import type { BillRow, OrderRow, PaymentsRepository } from './repository';
import { newOutTradeNo } from './trade-no';

/** How long after its end a connector's QR code still finds a session's bill. */
const QR_CLAIM_WINDOW_MS = 2 * 3600_000;
/** When the query job asks WeChat Pay about an order no notification confirmed (s after ordering). */
export const QUERY_AFTER_S = [30, 120, 300, 600];
export const JOB_QUERY = 'payments.query';
export const JOB_CLOSE = 'payments.close';

const fen = (yuan: number) => Math.round(yuan * 100);

/** Bills, payment orders and the payment notification (issue 11 item 5). */
export class PaymentsService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly pay: PayGateway,
    private readonly events: Events,
    private readonly jobs: Jobs,
    private readonly clock: Clock,
    private readonly tz: string,
    private readonly log: Logger,
  ) {}

  /** Emits `payments.bill.changed` in the bill's transaction. */
  async changed(tx: Tx, b: BillRow): Promise<void> {
    await this.events.emit(tx, 'payments.bill.changed', b.orgId, {
      recordPk: b.recordPk,
      billId: String(b.id),
      state: b.state,
      amountFen: b.amountFen,
      refundedFen: b.refundedFen,
      paidAt: b.paidAt ? b.paidAt.toISOString() : null,
    });
  }

  /** Consumer of `charging.record.submitted`: one bill per record with an amount (idempotent by recordPk). */
  async onRecords(events: DomainEvent[]): Promise<void> {
    for (const ev of events) {
      if (ev.type !== 'charging.record.submitted' || ev.orgId === null) continue;
      const p = (ev as DomainEvent<'charging.record.submitted'>).payload;
      const amountFen = fen(p.totalMoney);
      if (!(amountFen > 0)) continue;
      const local = (t: string) => {
        const d = DateTime.fromFormat(t, 'yyyy-MM-dd HH:mm:ss', { zone: this.tz });
        return d.isValid ? d.toJSDate() : new Date(t);
      };
      await this.repo.db.transaction(async (tx) => {
        const bill = await this.repo.insertBill(tx, {
          orgId: ev.orgId!,
          recordPk: p.recordPk,
          operatorPk: p.operatorPk,
          operatorId: p.operatorId,
          recordId: p.recordId,
          stationId: p.stationId,
          stationName: p.stationName ?? '',
          equipmentId: p.equipmentId,
          cellId: p.cellId,
          startTime: local(p.startTime),
          endTime: local(p.endTime),
          totalPower: p.totalPower,
          amountFen,
          elecFen: Math.max(0, fen(p.elecMoney)),
          serviceFen: Math.max(0, fen(p.serviceMoney)),
          plateNo: (p.plateNo ?? '').trim(),
          phone: (p.phone ?? '').trim(),
        });
        if (bill) await this.changed(tx, bill);
      });
    }
  }

  /** Finds bills by the connector's QR code or by plate + phone and claims them for the driver. */
  async claim(driver: Driver, body: DriverClaimBody): Promise<BillRow[]> {
    const now = this.clock.now();
    return this.repo.db.transaction(async (tx) => {
      let found: BillRow[];
      if (body.Qr_Code !== undefined) {
        const m = new RegExp(`^${PAY_QR_PREFIX}([^:]{1,64}):([^:]{1,64})$`).exec(body.Qr_Code);
        if (!m)
          throw new AppError('validation', 'Qr_Code: 不是充电枪上的付款二维码', {
            field: 'Qr_Code',
            rule: `${PAY_QR_PREFIX}<运营商编号>:<充电枪编号>`,
          });
        found = await this.repo.claimableAtCell(
          tx,
          m[1]!,
          m[2]!,
          new Date(now.getTime() - QR_CLAIM_WINDOW_MS),
        );
      } else {
        found = await this.repo.claimableByPlate(tx, body.Plate_No!, body.Phone!);
      }
      const out: BillRow[] = [];
      for (const b of found)
        out.push(await this.repo.updateBill(tx, b.id, { driverId: driver.driverId }, now));
      if (!out.length)
        throw new AppError('not_found', '没有找到待支付的充电账单：请确认二维码或车牌号与手机号');
      return out;
    });
  }

  /** The driver's own bill (another driver's answers 404). */
  async driverBill(driver: Driver, billId: number): Promise<BillRow> {
    const b = await this.repo.findBill(this.repo.db, billId);
    if (!b || b.driverId !== driver.driverId) throw notFound('充电账单');
    return b;
  }

  /** JSAPI order for the driver's bill → signed wx.requestPayment parameters. */
  async order(driver: Driver, billId: number): Promise<PayOrderResult> {
    const client = this.pay.client();
    const now = this.clock.now();
    const ttl = this.pay.orderTtlSeconds * 1000;
    const order = await this.repo.db.transaction(async (tx) => {
      const bill = await this.repo.lockBill(tx, billId);
      if (!bill || bill.driverId !== driver.driverId) throw notFound('充电账单');
      if (!['unpaid', 'paying', 'closed'].includes(bill.state))
        throw new AppError('conflict', '该账单已支付，无需再次支付', {
          field: 'Bill_ID',
          rule: '待支付的账单',
        });
      const open = await this.repo.openOrder(tx, bill.id);
      // Reused while open for at least another minute (the same out_trade_no and parameters give a fresh prepay_id).
      if (open && open.expiresAt.getTime() - now.getTime() > 60_000) return open;
      if (open)
        throw new AppError('conflict', '上一笔支付订单即将关闭，请一分钟后再试', { field: 'Bill_ID' });
      const o = {
        outTradeNo: newOutTradeNo(bill.id),
        billId: bill.id,
        orgId: bill.orgId,
        amountFen: bill.amountFen,
        openid: driver.openid,
        // Whole seconds: time_expire is sent in seconds and must be the same on every re-order.
        expiresAt: new Date(Math.floor((now.getTime() + ttl) / 1000) * 1000),
      };
      await this.repo.insertOrder(tx, o, now);
      const b = await this.repo.updateBill(tx, bill.id, { state: 'paying', outTradeNo: o.outTradeNo }, now);
      await this.changed(tx, b);
      for (const s of QUERY_AFTER_S)
        await this.jobs.sendInTx(
          tx,
          JOB_QUERY,
          { outTradeNo: o.outTradeNo },
          {
            key: `${o.outTradeNo}:${s}`,
            startAfter: new Date(now.getTime() + s * 1000),
          },
        );
      await this.jobs.sendInTx(
        tx,
        JOB_CLOSE,
        { outTradeNo: o.outTradeNo },
        {
          key: o.outTradeNo,
          startAfter: o.expiresAt,
        },
      );
      return { ...o, state: 'open' as const, prepayId: null, transactionId: null, paidAt: null };
    });
    const bill = (await this.repo.findBill(this.repo.db, billId))!;
    let prepayId: string;
    try {
      ({ prepayId } = await client.jsapi({
        outTradeNo: order.outTradeNo,
        description: `充电费用 ${bill.stationName || bill.stationId} ${bill.cellId}`.slice(0, 127),
        amountFen: order.amountFen,
        openid: order.openid,
        notifyUrl: this.pay.notifyUrl('pay'),
        timeExpire: this.rfc3339(order.expiresAt),
        attach: String(bill.id),
      }));
    } catch (err) {
      throw this.upstream(err);
    }
    await this.repo.setPrepay(order.outTradeNo, prepayId);
    return {
      Bill_ID: bill.id,
      Out_Trade_No: order.outTradeNo,
      Amount_Fen: order.amountFen,
      Expires_At: order.expiresAt.toISOString(),
      Pay_Params: client.paymentParams(prepayId),
      ...(this.pay.demoPayUrl ? { Demo_Pay_Url: DEMO_PAY_PATH } : {}),
    };
  }

  /**
   * Applies a transaction state learnt from a verified notification or a query, idempotently by
   * out_trade_no / transaction_id: paid once, whatever the number of notifications and queries.
   * `notificationId` is recorded in the same transaction. Returns false when it was a duplicate.
   */
  async applyTransaction(t: Transaction, notificationId?: string): Promise<boolean> {
    const now = this.clock.now();
    return this.repo.db.transaction(async (tx) => {
      if (notificationId)
        await this.repo.recordNotification(
          tx,
          notificationId,
          `TRANSACTION.${t.trade_state}`,
          t.out_trade_no,
          now,
        );
      const order = await this.repo.lockOrder(tx, t.out_trade_no);
      if (!order) {
        this.log.warn({ outTradeNo: t.out_trade_no }, 'WeChat Pay transaction of an unknown order');
        return false;
      }
      if (t.trade_state !== 'SUCCESS') return false;
      if (order.state === 'paid') return false;
      if (t.amount?.total !== order.amountFen || !t.transaction_id) {
        this.log.error(
          { outTradeNo: order.outTradeNo, total: t.amount?.total },
          'paid amount differs from the order',
        );
        return false;
      }
      const paidAt = t.success_time ? new Date(t.success_time) : now;
      await this.repo.markOrderPaid(tx, order.outTradeNo, t.transaction_id, paidAt);
      const bill = (await this.repo.lockBill(tx, order.billId))!;
      if (bill.transactionId && bill.transactionId !== t.transaction_id) {
        // Paid twice through two orders: the second stays on its order for an admin refund.
        this.log.error({ billId: bill.id, outTradeNo: order.outTradeNo }, 'bill paid twice');
        return true;
      }
      const b = await this.repo.updateBill(
        tx,
        bill.id,
        { state: 'paid', outTradeNo: order.outTradeNo, transactionId: t.transaction_id, paidAt },
        now,
      );
      await this.changed(tx, b);
      return true;
    });
  }

  /** Query job: asks WeChat Pay about an order no notification confirmed yet. */
  async queryOrder(outTradeNo: string): Promise<void> {
    const order = await this.repo.findOrder(this.repo.db, outTradeNo);
    if (!order || order.state !== 'open') return;
    const t = await this.pay.client().query(outTradeNo);
    if (t) await this.applyTransaction(t);
  }

  /** Close job at the order's expiry: a last query, then close at WeChat Pay and here. */
  async closeOrder(outTradeNo: string): Promise<void> {
    const order = await this.repo.findOrder(this.repo.db, outTradeNo);
    if (!order || order.state !== 'open') return;
    const client = this.pay.client();
    const t = await client.query(outTradeNo);
    if (t?.trade_state === 'SUCCESS') {
      await this.applyTransaction(t);
      return;
    }
    if (t) {
      try {
        await client.close(outTradeNo);
      } catch (err) {
        // Paid in the meantime: the next query (this job's retry) applies it.
        if (err instanceof WeChatPayApiError && err.code === 'ORDERPAID') {
          const again = await client.query(outTradeNo);
          if (again) await this.applyTransaction(again);
          return;
        }
        throw err;
      }
    }
    await this.closeLocally(order);
  }

  private async closeLocally(order: OrderRow): Promise<void> {
    const now = this.clock.now();
    await this.repo.db.transaction(async (tx) => {
      const o = await this.repo.lockOrder(tx, order.outTradeNo);
      if (!o || o.state !== 'open') return;
      await this.repo.markOrderClosed(tx, o.outTradeNo, now);
      const bill = (await this.repo.lockBill(tx, o.billId))!;
      if (bill.state === 'paying' && bill.outTradeNo === o.outTradeNo) {
        const b = await this.repo.updateBill(tx, bill.id, { state: 'closed' as BillState }, now);
        await this.changed(tx, b);
      }
    });
  }

  /** RFC3339 with +08:00 (WeChat Pay's time format). */
  rfc3339(d: Date): string {
    return DateTime.fromJSDate(d).setZone('Asia/Shanghai').toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
  }

  upstream(err: unknown): unknown {
    if (err instanceof WeChatPayApiError) {
      this.log.warn({ status: err.status, code: err.code }, 'WeChat Pay refused');
      return new AppError('upstream_failed', '微信支付暂时无法下单，请稍后再试');
    }
    return err;
  }
}
