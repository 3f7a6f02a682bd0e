import { DateTime } from 'luxon';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import type { PayGateway } from './gateway';
import type { NewDiff, PaymentsRepository } from './repository';
import { billIdOfOutTradeNo } from './trade-no';

export const JOB_RECONCILE = 'payments.reconcile';
/** WeChat Pay's bills of day D are ready from 10:00 Beijing time on D+1. */
export const RECONCILE_CRON = { expression: '30 10 * * *', tz: 'Asia/Shanghai' };
const BEIJING = 'Asia/Shanghai';

/** How many unattributed differences a run names one by one in the log (the rest as a count). */
const LOG_UNATTRIBUTED = 20;

/**
 * Daily reconciliation: WeChat Pay's ALL trade bill of a Beijing day against our paid orders and
 * successful refunds of that day. Each difference is recorded once (by day, out_trade_no, kind) for
 * the organization's admins; a re-run of the same day adds only new ones. A trade we have no order for
 * belongs to the organization of the bill its out_trade_no names (`WD<bill id>T…`, trade-no.ts); one in
 * no format of ours (another system on the same merchant account) belongs to no organization: it is
 * stored without one and logged, for the installation's operator (README "Charging platform … WeChat Pay").
 */
export class Reconciler {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly pay: PayGateway,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** The Beijing day before today (the cron's default). */
  yesterday(): string {
    return DateTime.fromJSDate(this.clock.now()).setZone(BEIJING).minus({ days: 1 }).toFormat('yyyy-MM-dd');
  }

  /** Reconciles one day; returns the number of new differences. */
  async run(billDate: string = this.yesterday()): Promise<number> {
    const day = DateTime.fromFormat(billDate, 'yyyy-MM-dd', { zone: BEIJING });
    const from = day.toJSDate();
    const to = day.plus({ days: 1 }).toJSDate();
    const theirs = await this.pay.client().tradeBill(billDate);
    const paid = await this.repo.paidOrdersIn(from, to);
    const refunds = await this.repo.refundsDoneIn(from, to);
    const diffs: NewDiff[] = [];
    const base = { billDate, billId: null as number | null, orgId: null as number | null };

    const ourPaid = new Map(paid.map((o) => [o.outTradeNo, o]));
    const theirPaid = new Map(theirs.filter((r) => r.state === 'SUCCESS').map((r) => [r.outTradeNo, r]));
    for (const [no, row] of theirPaid) {
      const ours = ourPaid.get(no) ?? (await this.repo.findOrder(this.repo.db, no));
      const at = ours ? { orgId: ours.orgId, billId: ours.billId } : await this.ownerOf(no);
      if (!ours) {
        diffs.push({
          ...base,
          ...at,
          outTradeNo: no,
          kind: 'missing_ours',
          oursFen: null,
          theirsFen: row.totalFen,
          detail: `微信支付订单号 ${row.transactionId}`,
        });
      } else if (ours.state !== 'paid') {
        diffs.push({
          ...base,
          ...at,
          outTradeNo: no,
          kind: 'state_mismatch',
          oursFen: ours.amountFen,
          theirsFen: row.totalFen,
          detail: `本系统状态 ${ours.state}，微信支付已支付`,
        });
      } else if (ours.amountFen !== row.totalFen) {
        diffs.push({
          ...base,
          ...at,
          outTradeNo: no,
          kind: 'amount_mismatch',
          oursFen: ours.amountFen,
          theirsFen: row.totalFen,
          detail: '',
        });
      }
    }
    for (const [no, o] of ourPaid)
      if (!theirPaid.has(no))
        diffs.push({
          ...base,
          orgId: o.orgId,
          billId: o.billId,
          outTradeNo: no,
          kind: 'missing_theirs',
          oursFen: o.amountFen,
          theirsFen: null,
          detail: '',
        });

    const ourRefunds = new Map(refunds.map((r) => [r.outRefundNo, r]));
    const theirRefunds = new Map(theirs.filter((r) => r.state === 'REFUND').map((r) => [r.outRefundNo, r]));
    for (const [no, row] of theirRefunds) {
      const ours = ourRefunds.get(no) ?? (await this.repo.findRefund(this.repo.db, no));
      if (!ours || ours.state !== 'success' || ours.amountFen !== row.refundFen)
        diffs.push({
          ...base,
          ...(ours ? { orgId: ours.orgId, billId: ours.billId } : await this.ownerOf(row.outTradeNo)),
          outTradeNo: row.outTradeNo,
          kind: 'refund_mismatch',
          oursFen: ours?.amountFen ?? null,
          theirsFen: row.refundFen,
          detail: `退款单号 ${no}：本系统${ours ? `状态 ${ours.state}` : '无此退款'}`,
        });
    }
    for (const [no, r] of ourRefunds)
      if (!theirRefunds.has(no))
        diffs.push({
          ...base,
          orgId: r.orgId,
          billId: r.billId,
          outTradeNo: r.outTradeNo,
          kind: 'refund_mismatch',
          oursFen: r.amountFen,
          theirsFen: null,
          detail: `退款单号 ${no}：微信支付账单无此退款`,
        });

    const added = await this.repo.saveRecon(billDate, theirs.length, diffs, this.clock.now());
    if (diffs.length)
      this.log.warn({ billDate, differences: diffs.length, added }, 'WeChat Pay reconciliation differences');
    const unattributed = diffs.filter((d) => d.orgId === null);
    for (const d of unattributed.slice(0, LOG_UNATTRIBUTED))
      this.log.warn(
        { billDate, outTradeNo: d.outTradeNo, kind: d.kind, theirsFen: d.theirsFen, detail: d.detail },
        'WeChat Pay trade of no organization (not an order of ours): see pay_recon_diffs where org_id is null',
      );
    if (unattributed.length > LOG_UNATTRIBUTED)
      this.log.warn(
        { billDate, more: unattributed.length - LOG_UNATTRIBUTED },
        'more WeChat Pay trades of no organization',
      );
    return added;
  }

  /**
   * The organization (and bill) of a trade we have no order for: its out_trade_no names one of our
   * bills (an order row lost, e.g. a database restored from an older backup), or nobody's.
   */
  private async ownerOf(outTradeNo: string): Promise<{ orgId: number | null; billId: number | null }> {
    const order = await this.repo.findOrder(this.repo.db, outTradeNo);
    if (order) return { orgId: order.orgId, billId: order.billId };
    const billId = billIdOfOutTradeNo(outTradeNo);
    const bill = billId === null ? null : await this.repo.findBill(this.repo.db, billId);
    return bill ? { orgId: bill.orgId, billId: bill.id } : { orgId: null, billId: null };
  }
}
