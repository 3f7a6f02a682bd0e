/**
 * The charging feature's domain events (declared by merging into the platform's catalogue), and the
 * payments event it consumes. Other features import these payload types from here.
 */

/**
 * A kept (not out-of-order) real-time report of one cell, with the cell's rated limits — emitted only
 * when it may matter to the safety warnings (its only consumer), i.e. when at least one of:
 *   - it is the cell's first kept report, or the cell (its rated limits) was changed since the previous one;
 *   - `status` differs from the previous kept report's;
 *   - a reading moved between "not reported", "within" and "beyond its limit" compared with the previous
 *     kept report: voltage above `ratedVoltageUpperLimit` (or, while charging, status 3, below
 *     `ratedVoltageLowerLimit`), current above `ratedCurrent`, temperature above CHARGING_MAX_TEMPERATURE_C.
 * A report repeating the previous one's status and bands is stored but not emitted: a consumer has already
 * seen one with the same status and the same side of every limit. (Power, SOC and energy are not
 * compared; `ts` of the last event can therefore be older than the cell's last report.)
 */
export interface ChargingCellStatus {
  operatorPk: number;
  operatorId: string;
  stationId: string;
  equipmentId: string;
  cellId: string;
  /** T/CEC 102 status: 0 离网, 1 空闲, 2 占用未充电, 3 充电中, 4 预约锁定, 255 故障. */
  status: number;
  /** Report time, epoch ms. */
  ts: number;
  voltage: number | null;
  current: number | null;
  power: number | null;
  soc: number | null;
  temperature: number | null;
  ratedVoltageUpperLimit: number;
  ratedVoltageLowerLimit: number;
  ratedCurrent: number;
  ratedPower: number;
}

/** A charging record accepted for the first time (its operator record id never seen before). */
export interface ChargingRecordSubmitted {
  recordPk: number;
  operatorPk: number;
  operatorId: string;
  recordId: string;
  stationId: string;
  /** The station's name when the record was taken (absent in events written before it was added). */
  stationName?: string;
  equipmentId: string;
  cellId: string;
  /** `yyyy-MM-dd HH:mm:ss` as the operator sent it (site local time). */
  startTime: string;
  endTime: string;
  /** kWh */
  totalPower: number;
  /** 元 */
  totalMoney: number;
  elecMoney: number;
  serviceMoney: number;
  plateNo: string | null;
  phone: string | null;
}

/** One refused item of a list report, by position. */
export interface RefusedItem {
  index: number;
  /** The item's cellId / recordId, null when it had none. */
  id: string | null;
  field?: string;
  message: string;
}

/**
 * Items of an operator's list report (上报充电口实时信息列表, 提交充电记录信息列表) that were refused
 * while the request itself was taken (answered 200, item by item): the platform tells the operator's
 * 上报失败 callback. One event per request, written only once the refusals are final (in the transaction
 * that stores the list's accepted items, or in its own when nothing else was written). Single reports are
 * not told: their refusal is the HTTP answer itself.
 */
export interface ChargingReportRefused {
  operatorPk: number;
  operatorId: string;
  /** Which report: `cellStatus` (cellStatusList) or `chargeRecord` (chargeOrderList). */
  report: 'cellStatus' | 'chargeRecord';
  /** The request's identity (one call per refused request). */
  requestId: string;
  /** The refused items' ids (`#<index>` when an item had none). */
  ids: string[];
  items: RefusedItem[];
  /** A summary, e.g. `2 项上报被拒绝`. */
  reason: string;
  /** When the platform received the request (epoch ms). */
  ts: number;
}

/** A bill's payment state changed (produced by the payments feature). */
export interface PaymentsBillChanged {
  recordPk: number;
  billId: string;
  state: 'unpaid' | 'paying' | 'paid' | 'closed' | 'refunding' | 'refunded' | 'partially_refunded';
  amountFen: number;
  refundedFen: number;
  paidAt: string | null;
}

declare module '../../platform/contract' {
  interface DomainEventTypes {
    'charging.cell.status': ChargingCellStatus;
    'charging.record.submitted': ChargingRecordSubmitted;
    'payments.bill.changed': PaymentsBillChanged;
    'charging.report.refused': ChargingReportRefused;
  }
}
