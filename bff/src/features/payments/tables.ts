import { doublePrecision, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Drivers: WeChat-only identities (migration 0670). */
export const payDrivers = pgTable('pay_drivers', {
  id: serial('id').primaryKey(),
  appid: text('appid').notNull(),
  openid: text('openid').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  lastLoginAt: ts('last_login_at').notNull().defaultNow(),
});

/** Driver tokens, SHA-256 only (migration 0670). */
export const payDriverSessions = pgTable('pay_driver_sessions', {
  tokenHash: text('token_hash').primaryKey(),
  driverId: integer('driver_id').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
});

/** Bills of charging records (migration 0670). */
export const payBills = pgTable('pay_bills', {
  id: serial('id').primaryKey(),
  orgId: integer('org_id').notNull(),
  recordPk: integer('record_pk').notNull(),
  operatorPk: integer('operator_pk').notNull(),
  operatorId: text('operator_id').notNull(),
  recordId: text('record_id').notNull(),
  stationId: text('station_id').notNull(),
  /** The station's name when the bill was made (migration 0671). */
  stationName: text('station_name').notNull().default(''),
  equipmentId: text('equipment_id').notNull(),
  cellId: text('cell_id').notNull(),
  startTime: ts('start_time').notNull(),
  endTime: ts('end_time').notNull(),
  totalPower: doublePrecision('total_power').notNull(),
  amountFen: integer('amount_fen').notNull(),
  elecFen: integer('elec_fen').notNull(),
  serviceFen: integer('service_fen').notNull(),
  plateNo: text('plate_no').notNull().default(''),
  phone: text('phone').notNull().default(''),
  driverId: integer('driver_id'),
  claimedAt: ts('claimed_at'),
  state: text('state').notNull().default('unpaid'),
  outTradeNo: text('out_trade_no'),
  transactionId: text('transaction_id'),
  paidAt: ts('paid_at'),
  refundedFen: integer('refunded_fen').notNull().default(0),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** WeChat Pay orders (migration 0670). */
export const payOrders = pgTable('pay_orders', {
  outTradeNo: text('out_trade_no').primaryKey(),
  billId: integer('bill_id').notNull(),
  orgId: integer('org_id').notNull(),
  amountFen: integer('amount_fen').notNull(),
  openid: text('openid').notNull(),
  state: text('state').notNull().default('open'),
  prepayId: text('prepay_id'),
  expiresAt: ts('expires_at').notNull(),
  transactionId: text('transaction_id'),
  paidAt: ts('paid_at'),
  closedAt: ts('closed_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** Verified notifications, once each (migration 0670). */
export const payNotifications = pgTable('pay_notifications', {
  id: text('id').primaryKey(),
  eventType: text('event_type').notNull(),
  outTradeNo: text('out_trade_no').notNull(),
  receivedAt: ts('received_at').notNull().defaultNow(),
});

/** Refunds (migration 0670). */
export const payRefunds = pgTable('pay_refunds', {
  outRefundNo: text('out_refund_no').primaryKey(),
  refundNo: text('refund_no').notNull(),
  billId: integer('bill_id').notNull(),
  orgId: integer('org_id').notNull(),
  outTradeNo: text('out_trade_no').notNull(),
  amountFen: integer('amount_fen').notNull(),
  reason: text('reason').notNull(),
  state: text('state').notNull().default('processing'),
  refundId: text('refund_id'),
  requestedBy: integer('requested_by').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  doneAt: ts('done_at'),
});

/** Reconciliation runs (migration 0670). */
export const payReconRuns = pgTable('pay_recon_runs', {
  billDate: text('bill_date').primaryKey(),
  ranAt: ts('ran_at').notNull(),
  trades: integer('trades').notNull(),
  differences: integer('differences').notNull(),
});

/** Reconciliation differences (migration 0670). */
export const payReconDiffs = pgTable('pay_recon_diffs', {
  id: serial('id').primaryKey(),
  billDate: text('bill_date').notNull(),
  orgId: integer('org_id'),
  outTradeNo: text('out_trade_no').notNull(),
  billId: integer('bill_id'),
  kind: text('kind').notNull(),
  oursFen: integer('ours_fen'),
  theirsFen: integer('theirs_fen'),
  detail: text('detail').notNull().default(''),
  foundAt: ts('found_at').notNull(),
});
