import type { RefundBody } from '@wattdesk/shared';
import { AppError, notFound } from '../../core/errors';
import type { Actor } from '../../core/auth/actor';
import type { Clock } from '../../infra/clock';
import type { Jobs, Tx } from '../../platform/contract';
import { WeChatPayApiError } from '../../adapters/wechatpay/client';
import type { PayGateway } from './gateway';
import type { PaymentsRepository, RefundRow } from './repository';
import type { PaymentsService } from './service';

export const JOB_REFUND = 'payments.refund';
export const JOB_REFUND_QUERY = 'payments.refund-query';
const REFUND_QUERY_AFTER_S = 60;

type WxRefundStatus = 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';
const STATE_OF: Record<WxRefundStatus, RefundRow['state']> = {
  SUCCESS: 'success',
  CLOSED: 'closed',
  PROCESSING: 'processing',
  ABNORMAL: 'abnormal',
};

/**
 * Refunds by an admin of the bill's organization, with a reason, idempotent by out_refund_no
 * (`<org id>-<Refund_No>`): the row is written first, then a job asks WeChat Pay (itself idempotent
 * by out_refund_no), and the outcome arrives by notification or by the refund query job.
 */
export class RefundsService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly payments: PaymentsService,
    private readonly pay: PayGateway,
    private readonly jobs: Jobs,
    private readonly clock: Clock,
  ) {}

  async request(actor: Actor, cmd: RefundBody): Promise<RefundRow> {
    this.pay.client();
    const now = this.clock.now();
    const outRefundNo = `${actor.orgId}-${cmd.Refund_No}`;
    const { refund, jobId } = await this.repo.db.transaction(async (tx) => {
      const bill = await this.repo.lockBill(tx, cmd.Bill_ID);
      if (!bill || bill.orgId !== actor.orgId) throw notFound('充电账单');
      const existing = await this.repo.findRefund(tx, outRefundNo);
      if (existing) {
        if (existing.billId !== bill.id || existing.amountFen !== cmd.Refund_Fen)
          throw new AppError('conflict', 'Refund_No: 该退款单号已用于另一笔退款', {
            field: 'Refund_No',
            rule: '每笔退款一个新的 Refund_No；重试时不变',
          });
        return { refund: existing, jobId: null };
      }
      if (!['paid', 'partially_refunded', 'refunding'].includes(bill.state) || !bill.outTradeNo)
        throw new AppError('conflict', '该账单尚未支付，不能退款', {
          field: 'Bill_ID',
          rule: '已支付的账单',
        });
      const pending = (await this.repo.refundsOfBill(tx, bill.id))
        .filter((r) => r.state === 'processing')
        .reduce((s, r) => s + r.amountFen, 0);
      const left = bill.amountFen - bill.refundedFen - pending;
      if (cmd.Refund_Fen > left)
        throw new AppError('validation', `Refund_Fen: 最多还可退 ${left} 分`, {
          field: 'Refund_Fen',
          rule: `不超过 ${left} 分`,
        });
      const r = await this.repo.insertRefund(
        tx,
        {
          outRefundNo,
          refundNo: cmd.Refund_No,
          billId: bill.id,
          orgId: bill.orgId,
          outTradeNo: bill.outTradeNo,
          amountFen: cmd.Refund_Fen,
          reason: cmd.Reason,
          requestedBy: actor.userId,
        },
        now,
      );
      if (!r) throw new AppError('conflict', 'Refund_No: 该退款单号正在处理', { field: 'Refund_No' });
      const b = await this.repo.updateBill(tx, bill.id, { state: 'refunding' }, now);
      await this.payments.changed(tx, b);
      const id = await this.jobs.sendInTx(tx, JOB_REFUND, { outRefundNo }, { key: outRefundNo });
      return { refund: r, jobId: id };
    });
    // Sent at once rather than at the next poll; a crash here leaves the committed job to a worker.
    if (jobId) await this.jobs.runNow(JOB_REFUND, jobId).catch(() => false);
    return (await this.repo.findRefund(this.repo.db, refund.outRefundNo)) ?? refund;
  }

  /** Job: asks WeChat Pay for the refund (same out_refund_no on every retry). */
  async send(outRefundNo: string): Promise<void> {
    const r = await this.repo.findRefund(this.repo.db, outRefundNo);
    if (!r || r.state !== 'processing') return;
    const order = await this.repo.findOrder(this.repo.db, r.outTradeNo);
    if (!order) return;
    let answer;
    try {
      answer = await this.pay.client().refund({
        outTradeNo: r.outTradeNo,
        outRefundNo,
        reason: r.reason,
        refundFen: r.amountFen,
        totalFen: order.amountFen,
        notifyUrl: this.pay.notifyUrl('refund'),
      });
    } catch (err) {
      // A refusal that no retry changes (over the refundable amount, unpaid order): the refund is closed.
      if (err instanceof WeChatPayApiError && err.status >= 400 && err.status < 500 && err.status !== 429) {
        await this.applyRefund(outRefundNo, 'CLOSED', null);
        return;
      }
      throw err;
    }
    await this.repo.setRefundId(outRefundNo, answer.refund_id);
    if (answer.status !== 'PROCESSING') await this.applyRefund(outRefundNo, answer.status, answer.refund_id);
    else
      await this.jobs.send(
        JOB_REFUND_QUERY,
        { outRefundNo },
        {
          key: `${outRefundNo}:q`,
          startAfter: new Date(this.clock.now().getTime() + REFUND_QUERY_AFTER_S * 1000),
        },
      );
  }

  /** Job: the refund's outcome when no notification told it; asks again until it is final. */
  async query(outRefundNo: string): Promise<void> {
    const r = await this.repo.findRefund(this.repo.db, outRefundNo);
    if (!r || r.state !== 'processing') return;
    const answer = await this.pay.client().queryRefund(outRefundNo);
    if (!answer) return this.send(outRefundNo);
    if (answer.status !== 'PROCESSING') return this.applyRefund(outRefundNo, answer.status, answer.refund_id);
    throw new Error(`refund ${outRefundNo} still processing`); // retried with backoff by the job runner
  }

  /** A refund's final state, once (notification, query or answer): the bill's refunded amount and state follow. */
  async applyRefund(
    outRefundNo: string,
    status: WxRefundStatus,
    refundId: string | null,
    notificationId?: string,
  ): Promise<void> {
    if (status === 'PROCESSING') return;
    const now = this.clock.now();
    await this.repo.db.transaction(async (tx: Tx) => {
      const r = await this.repo.lockRefund(tx, outRefundNo);
      if (notificationId && r)
        await this.repo.recordNotification(tx, notificationId, `REFUND.${status}`, r.outTradeNo, now);
      if (!r || r.state !== 'processing') return;
      const state = STATE_OF[status];
      await this.repo.finishRefund(tx, outRefundNo, state, refundId, now);
      const bill = (await this.repo.lockBill(tx, r.billId))!;
      const refundedFen = bill.refundedFen + (state === 'success' ? r.amountFen : 0);
      const others = (await this.repo.refundsOfBill(tx, bill.id)).some(
        (x) => x.state === 'processing' && x.outRefundNo !== outRefundNo,
      );
      const next = others
        ? 'refunding'
        : refundedFen >= bill.amountFen
          ? 'refunded'
          : refundedFen > 0
            ? 'partially_refunded'
            : 'paid';
      const b = await this.repo.updateBill(tx, bill.id, { state: next, refundedFen }, now);
      await this.payments.changed(tx, b);
    });
  }

  async list(actor: Actor, billId: number): Promise<RefundRow[]> {
    const bill = await this.repo.findBill(this.repo.db, billId);
    if (!bill || bill.orgId !== actor.orgId) throw notFound('充电账单');
    return this.repo.refundsOfBill(this.repo.db, billId);
  }
}
