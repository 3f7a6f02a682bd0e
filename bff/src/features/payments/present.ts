import { DateTime } from 'luxon';
import {
  billStateNames,
  reconKindNames,
  refundStateNames,
  type AdminBillItem,
  type BillItem,
  type ReconItem,
  type RefundItem,
} from '@wattdesk/shared';
import type { BillRow, DiffRow, RefundRow } from './repository';

/** Bill and refund answers: local times, amounts in fen, the plate masked. */
export class PaymentsPresenter {
  constructor(private readonly tz: string) {}

  local(d: Date | null): string {
    return d ? DateTime.fromJSDate(d).setZone(this.tz).toFormat('yyyy-MM-dd HH:mm:ss') : '';
  }

  /** `粤B·***45`: enough for the driver to recognise the car, not to learn a stranger's plate. */
  maskPlate(p: string): string {
    const chars = [...p];
    if (chars.length <= 4) return chars.length ? `${chars[0]}***` : '';
    return `${chars.slice(0, 2).join('')}·***${chars.slice(-2).join('')}`;
  }

  bill(b: BillRow): BillItem {
    return {
      Bill_ID: b.id,
      Operator_ID: b.operatorId,
      Station_ID: b.stationId,
      Station_Name: b.stationName,
      Equipment_ID: b.equipmentId,
      Cell_ID: b.cellId,
      Start_Time: this.local(b.startTime),
      End_Time: this.local(b.endTime),
      Total_Power: b.totalPower,
      Amount_Fen: b.amountFen,
      Elec_Fen: b.elecFen,
      Service_Fen: b.serviceFen,
      Refunded_Fen: b.refundedFen,
      State: b.state,
      State_Name: billStateNames[b.state],
      Plate_No: this.maskPlate(b.plateNo),
      Paid_At: this.local(b.paidAt),
    };
  }

  adminBill(b: BillRow): AdminBillItem {
    return {
      ...this.bill(b),
      Record_ID: b.recordId,
      Out_Trade_No: b.outTradeNo ?? '',
      Transaction_ID: b.transactionId ?? '',
      Claimed: b.driverId !== null,
    };
  }

  refund(r: RefundRow): RefundItem {
    return {
      Bill_ID: r.billId,
      Refund_No: r.refundNo,
      Refund_Fen: r.amountFen,
      Reason: r.reason,
      State: r.state,
      State_Name: refundStateNames[r.state],
      Created_At: this.local(r.createdAt),
      Done_At: this.local(r.doneAt),
    };
  }

  diff(d: DiffRow): ReconItem {
    const kind = d.kind as ReconItem['Kind'];
    return {
      id: d.id,
      Bill_Date: d.billDate,
      Out_Trade_No: d.outTradeNo,
      Bill_ID: d.billId,
      Kind: kind,
      Kind_Name: reconKindNames[kind] ?? d.kind,
      Ours_Fen: d.oursFen,
      Theirs_Fen: d.theirsFen,
      Detail: d.detail,
      Found_At: this.local(d.foundAt),
    };
  }
}
