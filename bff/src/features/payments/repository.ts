import { sql, type SQL } from 'drizzle-orm';
import type { BillState } from '@wattdesk/shared';
import type { Db } from '../../infra/db/client';
import type { Tx } from '../../platform/contract';

type Conn = Db | Tx;

async function rows<T>(db: Conn, q: SQL): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}
const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

export interface BillRow {
  id: number;
  orgId: number;
  recordPk: number;
  operatorPk: number;
  operatorId: string;
  recordId: string;
  stationId: string;
  stationName: string;
  equipmentId: string;
  cellId: string;
  startTime: Date;
  endTime: Date;
  totalPower: number;
  amountFen: number;
  elecFen: number;
  serviceFen: number;
  plateNo: string;
  phone: string;
  driverId: number | null;
  state: BillState;
  outTradeNo: string | null;
  transactionId: string | null;
  paidAt: Date | null;
  refundedFen: number;
}
export type NewBill = Omit<
  BillRow,
  'id' | 'driverId' | 'state' | 'outTradeNo' | 'transactionId' | 'paidAt' | 'refundedFen'
>;

const billOf = (r: Record<string, unknown>): BillRow => ({
  id: Number(r.id),
  orgId: Number(r.org_id),
  recordPk: Number(r.record_pk),
  operatorPk: Number(r.operator_pk),
  operatorId: String(r.operator_id),
  recordId: String(r.record_id),
  stationId: String(r.station_id),
  stationName: String(r.station_name ?? ''),
  equipmentId: String(r.equipment_id),
  cellId: String(r.cell_id),
  startTime: date(r.start_time)!,
  endTime: date(r.end_time)!,
  totalPower: Number(r.total_power),
  amountFen: Number(r.amount_fen),
  elecFen: Number(r.elec_fen),
  serviceFen: Number(r.service_fen),
  plateNo: String(r.plate_no),
  phone: String(r.phone),
  driverId: r.driver_id === null ? null : Number(r.driver_id),
  state: r.state as BillState,
  outTradeNo: (r.out_trade_no as string | null) ?? null,
  transactionId: (r.transaction_id as string | null) ?? null,
  paidAt: date(r.paid_at),
  refundedFen: Number(r.refunded_fen),
});

export interface OrderRow {
  outTradeNo: string;
  billId: number;
  orgId: number;
  amountFen: number;
  openid: string;
  state: 'open' | 'paid' | 'closed';
  prepayId: string | null;
  expiresAt: Date;
  transactionId: string | null;
  paidAt: Date | null;
}
const orderOf = (r: Record<string, unknown>): OrderRow => ({
  outTradeNo: String(r.out_trade_no),
  billId: Number(r.bill_id),
  orgId: Number(r.org_id),
  amountFen: Number(r.amount_fen),
  openid: String(r.openid),
  state: r.state as OrderRow['state'],
  prepayId: (r.prepay_id as string | null) ?? null,
  expiresAt: date(r.expires_at)!,
  transactionId: (r.transaction_id as string | null) ?? null,
  paidAt: date(r.paid_at),
});

export interface RefundRow {
  outRefundNo: string;
  refundNo: string;
  billId: number;
  orgId: number;
  outTradeNo: string;
  amountFen: number;
  reason: string;
  state: 'processing' | 'success' | 'closed' | 'abnormal';
  refundId: string | null;
  createdAt: Date;
  doneAt: Date | null;
}
const refundOf = (r: Record<string, unknown>): RefundRow => ({
  outRefundNo: String(r.out_refund_no),
  refundNo: String(r.refund_no),
  billId: Number(r.bill_id),
  orgId: Number(r.org_id),
  outTradeNo: String(r.out_trade_no),
  amountFen: Number(r.amount_fen),
  reason: String(r.reason),
  state: r.state as RefundRow['state'],
  refundId: (r.refund_id as string | null) ?? null,
  createdAt: date(r.created_at)!,
  doneAt: date(r.done_at),
});

export interface DiffRow {
  id: number;
  billDate: string;
  orgId: number | null;
  outTradeNo: string;
  billId: number | null;
  kind: string;
  oursFen: number | null;
  theirsFen: number | null;
  detail: string;
  foundAt: Date;
}
export type NewDiff = Omit<DiffRow, 'id' | 'foundAt'>;

/** Bill filters of the admin and driver lists. */
export interface BillFilter {
  orgId?: number;
  driverId?: number;
  state?: BillState;
  from?: Date;
  to?: Date;
  billId?: number;
}

/** The only code that touches the payments tables. */
export class PaymentsRepository {
  constructor(readonly db: Db) {}

  // --- drivers ------------------------------------------------------------------------------------

  async upsertDriver(tx: Conn, appid: string, openid: string, now: Date): Promise<number> {
    const [r] = await rows<{ id: number }>(
      tx,
      sql`insert into pay_drivers (appid, openid, created_at, last_login_at) values (${appid}, ${openid}, ${at(now)}, ${at(now)})
        on conflict (appid, openid) do update set last_login_at = excluded.last_login_at returning id`,
    );
    return Number(r!.id);
  }

  async saveSession(tx: Conn, tokenHash: string, driverId: number, expiresAt: Date): Promise<void> {
    await tx.execute(
      sql`insert into pay_driver_sessions (token_hash, driver_id, expires_at) values (${tokenHash}, ${driverId}, ${at(expiresAt)})`,
    );
  }

  async findSession(tokenHash: string, now: Date): Promise<{ driverId: number; openid: string } | null> {
    const [r] = await rows<{ driver_id: number; openid: string }>(
      this.db,
      sql`select s.driver_id, d.openid from pay_driver_sessions s join pay_drivers d on d.id = s.driver_id
        where s.token_hash = ${tokenHash} and s.expires_at > ${at(now)}`,
    );
    return r ? { driverId: Number(r.driver_id), openid: r.openid } : null;
  }

  async driverOpenid(tx: Conn, driverId: number): Promise<string | null> {
    const [r] = await rows<{ openid: string }>(
      tx,
      sql`select openid from pay_drivers where id = ${driverId}`,
    );
    return r?.openid ?? null;
  }

  // --- bills --------------------------------------------------------------------------------------

  /** Inserts the bill of a record once (by record_pk); null when it existed. */
  async insertBill(tx: Conn, b: NewBill): Promise<BillRow | null> {
    const [r] = await rows<Record<string, unknown>>(
      tx,
      sql`insert into pay_bills (org_id, record_pk, operator_pk, operator_id, record_id, station_id, station_name,
          equipment_id, cell_id, start_time, end_time, total_power, amount_fen, elec_fen, service_fen, plate_no, phone)
        values (${b.orgId}, ${b.recordPk}, ${b.operatorPk}, ${b.operatorId}, ${b.recordId}, ${b.stationId},
          ${b.stationName}, ${b.equipmentId}, ${b.cellId}, ${at(b.startTime)}, ${at(b.endTime)}, ${b.totalPower}, ${b.amountFen},
          ${b.elecFen}, ${b.serviceFen}, ${b.plateNo}, ${b.phone})
        on conflict (record_pk) do nothing returning *`,
    );
    return r ? billOf(r) : null;
  }

  /** A bill, locked for the caller's transaction. */
  async lockBill(tx: Tx, id: number): Promise<BillRow | null> {
    const [r] = await rows<Record<string, unknown>>(
      tx,
      sql`select * from pay_bills where id = ${id} for update`,
    );
    return r ? billOf(r) : null;
  }

  async findBill(conn: Conn, id: number): Promise<BillRow | null> {
    const [r] = await rows<Record<string, unknown>>(conn, sql`select * from pay_bills where id = ${id}`);
    return r ? billOf(r) : null;
  }

  async findBillByRecord(recordPk: number): Promise<BillRow | null> {
    const [r] = await rows<Record<string, unknown>>(
      this.db,
      sql`select * from pay_bills where record_pk = ${recordPk}`,
    );
    return r ? billOf(r) : null;
  }

  async updateBill(
    tx: Tx,
    id: number,
    set: Partial<
      Pick<BillRow, 'state' | 'outTradeNo' | 'transactionId' | 'paidAt' | 'refundedFen' | 'driverId'>
    >,
    now: Date,
  ): Promise<BillRow> {
    const parts: SQL[] = [sql`updated_at = ${at(now)}`];
    if (set.state !== undefined) parts.push(sql`state = ${set.state}`);
    if (set.outTradeNo !== undefined) parts.push(sql`out_trade_no = ${set.outTradeNo}`);
    if (set.transactionId !== undefined) parts.push(sql`transaction_id = ${set.transactionId}`);
    if (set.paidAt !== undefined) parts.push(sql`paid_at = ${set.paidAt ? at(set.paidAt) : null}`);
    if (set.refundedFen !== undefined) parts.push(sql`refunded_fen = ${set.refundedFen}`);
    if (set.driverId !== undefined) parts.push(sql`driver_id = ${set.driverId}, claimed_at = ${at(now)}`);
    const [r] = await rows<Record<string, unknown>>(
      tx,
      sql`update pay_bills set ${sql.join(parts, sql`, `)} where id = ${id} returning *`,
    );
    return billOf(r!);
  }

  /** Unclaimed unpaid bills of a connector that ended after `since`, newest first, locked. */
  async claimableAtCell(tx: Tx, operatorId: string, cellId: string, since: Date): Promise<BillRow[]> {
    return (
      await rows<Record<string, unknown>>(
        tx,
        sql`select * from pay_bills where operator_id = ${operatorId} and cell_id = ${cellId}
          and driver_id is null and state = 'unpaid' and end_time >= ${at(since)}
          order by end_time desc, id desc limit 1 for update`,
      )
    ).map(billOf);
  }

  /** Unclaimed unpaid bills of a plate and phone, locked. */
  async claimableByPlate(tx: Tx, plateNo: string, phone: string): Promise<BillRow[]> {
    return (
      await rows<Record<string, unknown>>(
        tx,
        sql`select * from pay_bills where plate_no = ${plateNo} and phone = ${phone}
          and driver_id is null and state = 'unpaid' order by end_time desc, id desc limit 20 for update`,
      )
    ).map(billOf);
  }

  async listBills(
    f: BillFilter,
    limit: number,
    offset: number,
  ): Promise<{ items: BillRow[]; total: number }> {
    const where: SQL[] = [sql`true`];
    if (f.orgId !== undefined) where.push(sql`org_id = ${f.orgId}`);
    if (f.driverId !== undefined) where.push(sql`driver_id = ${f.driverId}`);
    if (f.state) where.push(sql`state = ${f.state}`);
    if (f.from) where.push(sql`end_time >= ${at(f.from)}`);
    if (f.to) where.push(sql`end_time < ${at(f.to)}`);
    if (f.billId !== undefined) where.push(sql`id = ${f.billId}`);
    const cond = sql.join(where, sql` and `);
    const [count] = await rows<{ n: number }>(
      this.db,
      sql`select count(*)::int as n from pay_bills where ${cond}`,
    );
    const items = await rows<Record<string, unknown>>(
      this.db,
      sql`select * from pay_bills where ${cond} order by end_time desc, id desc limit ${limit} offset ${offset}`,
    );
    return { items: items.map(billOf), total: Number(count!.n) };
  }

  // --- orders -------------------------------------------------------------------------------------

  async openOrder(tx: Tx, billId: number): Promise<OrderRow | null> {
    const [r] = await rows<Record<string, unknown>>(
      tx,
      sql`select * from pay_orders where bill_id = ${billId} and state = 'open' for update`,
    );
    return r ? orderOf(r) : null;
  }

  async insertOrder(tx: Tx, o: Omit<OrderRow, 'state' | 'prepayId' | 'transactionId' | 'paidAt'>, now: Date) {
    await tx.execute(
      sql`insert into pay_orders (out_trade_no, bill_id, org_id, amount_fen, openid, expires_at, created_at)
        values (${o.outTradeNo}, ${o.billId}, ${o.orgId}, ${o.amountFen}, ${o.openid}, ${at(o.expiresAt)}, ${at(now)})`,
    );
  }

  async setPrepay(outTradeNo: string, prepayId: string): Promise<void> {
    await this.db.execute(
      sql`update pay_orders set prepay_id = ${prepayId} where out_trade_no = ${outTradeNo}`,
    );
  }

  async lockOrder(tx: Tx, outTradeNo: string): Promise<OrderRow | null> {
    const [r] = await rows<Record<string, unknown>>(
      tx,
      sql`select * from pay_orders where out_trade_no = ${outTradeNo} for update`,
    );
    return r ? orderOf(r) : null;
  }

  async findOrder(conn: Conn, outTradeNo: string): Promise<OrderRow | null> {
    const [r] = await rows<Record<string, unknown>>(
      conn,
      sql`select * from pay_orders where out_trade_no = ${outTradeNo}`,
    );
    return r ? orderOf(r) : null;
  }

  async markOrderPaid(tx: Tx, outTradeNo: string, transactionId: string, paidAt: Date): Promise<void> {
    await tx.execute(
      sql`update pay_orders set state = 'paid', transaction_id = ${transactionId}, paid_at = ${at(paidAt)}
        where out_trade_no = ${outTradeNo}`,
    );
  }

  async markOrderClosed(tx: Tx, outTradeNo: string, now: Date): Promise<void> {
    await tx.execute(
      sql`update pay_orders set state = 'closed', closed_at = ${at(now)} where out_trade_no = ${outTradeNo}`,
    );
  }

  /** Records a verified notification once; false when it was seen (and applied) before. */
  async recordNotification(
    tx: Tx,
    id: string,
    eventType: string,
    outTradeNo: string,
    now: Date,
  ): Promise<boolean> {
    const r = await rows<{ id: string }>(
      tx,
      sql`insert into pay_notifications (id, event_type, out_trade_no, received_at) values (${id}, ${eventType}, ${outTradeNo}, ${at(now)})
        on conflict (id) do nothing returning id`,
    );
    return r.length > 0;
  }

  /** Paid orders whose payment time falls in [from, to) (reconciliation). */
  async paidOrdersIn(from: Date, to: Date): Promise<OrderRow[]> {
    return (
      await rows<Record<string, unknown>>(
        this.db,
        sql`select * from pay_orders where paid_at >= ${at(from)} and paid_at < ${at(to)} and transaction_id is not null`,
      )
    ).map(orderOf);
  }

  // --- refunds ------------------------------------------------------------------------------------

  /** Inserts a refund once by out_refund_no; null when that number exists. */
  async insertRefund(
    tx: Tx,
    r: Omit<RefundRow, 'state' | 'refundId' | 'createdAt' | 'doneAt'> & { requestedBy: number },
    now: Date,
  ) {
    const [row] = await rows<Record<string, unknown>>(
      tx,
      sql`insert into pay_refunds (out_refund_no, refund_no, bill_id, org_id, out_trade_no, amount_fen, reason, requested_by, created_at)
        values (${r.outRefundNo}, ${r.refundNo}, ${r.billId}, ${r.orgId}, ${r.outTradeNo}, ${r.amountFen}, ${r.reason}, ${r.requestedBy}, ${at(now)})
        on conflict (out_refund_no) do nothing returning *`,
    );
    return row ? refundOf(row) : null;
  }

  async findRefund(conn: Conn, outRefundNo: string): Promise<RefundRow | null> {
    const [r] = await rows<Record<string, unknown>>(
      conn,
      sql`select * from pay_refunds where out_refund_no = ${outRefundNo}`,
    );
    return r ? refundOf(r) : null;
  }

  async lockRefund(tx: Tx, outRefundNo: string): Promise<RefundRow | null> {
    const [r] = await rows<Record<string, unknown>>(
      tx,
      sql`select * from pay_refunds where out_refund_no = ${outRefundNo} for update`,
    );
    return r ? refundOf(r) : null;
  }

  async refundsOfBill(conn: Conn, billId: number): Promise<RefundRow[]> {
    return (
      await rows<Record<string, unknown>>(
        conn,
        sql`select * from pay_refunds where bill_id = ${billId} order by created_at, out_refund_no`,
      )
    ).map(refundOf);
  }

  async setRefundId(outRefundNo: string, refundId: string): Promise<void> {
    await this.db.execute(
      sql`update pay_refunds set refund_id = ${refundId} where out_refund_no = ${outRefundNo}`,
    );
  }

  async finishRefund(
    tx: Tx,
    outRefundNo: string,
    state: RefundRow['state'],
    refundId: string | null,
    now: Date,
  ) {
    await tx.execute(
      sql`update pay_refunds set state = ${state}, refund_id = coalesce(${refundId}, refund_id), done_at = ${at(now)}
        where out_refund_no = ${outRefundNo}`,
    );
  }

  /** Successful refunds finished in [from, to) (reconciliation). */
  async refundsDoneIn(from: Date, to: Date): Promise<RefundRow[]> {
    return (
      await rows<Record<string, unknown>>(
        this.db,
        sql`select * from pay_refunds where state = 'success' and done_at >= ${at(from)} and done_at < ${at(to)}`,
      )
    ).map(refundOf);
  }

  // --- reconciliation -----------------------------------------------------------------------------

  async saveRecon(billDate: string, trades: number, diffs: NewDiff[], now: Date): Promise<number> {
    return this.db.transaction(async (tx) => {
      let added = 0;
      for (const d of diffs) {
        const r = await rows<{ id: number }>(
          tx,
          sql`insert into pay_recon_diffs (bill_date, org_id, out_trade_no, bill_id, kind, ours_fen, theirs_fen, detail, found_at)
            values (${d.billDate}, ${d.orgId}, ${d.outTradeNo}, ${d.billId}, ${d.kind}, ${d.oursFen}, ${d.theirsFen}, ${d.detail}, ${at(now)})
            on conflict (bill_date, out_trade_no, kind) do nothing returning id`,
        );
        added += r.length;
      }
      await tx.execute(
        sql`insert into pay_recon_runs (bill_date, ran_at, trades, differences) values (${billDate}, ${at(now)}, ${trades}, ${diffs.length})
          on conflict (bill_date) do update set ran_at = excluded.ran_at, trades = excluded.trades, differences = excluded.differences`,
      );
      return added;
    });
  }

  async listDiffs(orgId: number, billDate: string | undefined, limit: number, offset: number) {
    const cond = billDate ? sql`org_id = ${orgId} and bill_date = ${billDate}` : sql`org_id = ${orgId}`;
    const [count] = await rows<{ n: number }>(
      this.db,
      sql`select count(*)::int as n from pay_recon_diffs where ${cond}`,
    );
    const items = await rows<Record<string, unknown>>(
      this.db,
      sql`select * from pay_recon_diffs where ${cond} order by bill_date desc, id desc limit ${limit} offset ${offset}`,
    );
    return {
      total: Number(count!.n),
      items: items.map((r): DiffRow => ({
        id: Number(r.id),
        billDate: String(r.bill_date),
        orgId: r.org_id === null ? null : Number(r.org_id),
        outTradeNo: String(r.out_trade_no),
        billId: r.bill_id === null ? null : Number(r.bill_id),
        kind: String(r.kind),
        oursFen: r.ours_fen === null ? null : Number(r.ours_fen),
        theirsFen: r.theirs_fen === null ? null : Number(r.theirs_fen),
        detail: String(r.detail),
        foundAt: date(r.found_at)!,
      })),
    };
  }
}
