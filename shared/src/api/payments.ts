import { z } from 'zod';
import { idLike, localDateTime, paging } from '../wire';

/**
 * Issue 11 item 5: paying a finished charging session's bill with WeChat Pay (extension endpoints in
 * the seed 002 envelope). Drivers are WeChat-only identities (`/api_3/driver_*`, a driver token of its
 * own kind, `Authorization: Bearer drv_…`); admins of the charging site's organization list bills,
 * refund them and read the daily reconciliation (`/api_3/charging_bill*`, `/api_3/pay_reconciliation`).
 * Amounts are integer fen (分); energy in kWh.
 */

/** A bill's payment state (what `payments.bill.changed` carries). */
export const billStates = [
  'unpaid',
  'paying',
  'paid',
  'closed',
  'refunding',
  'refunded',
  'partially_refunded',
] as const;
export type BillState = (typeof billStates)[number];
export const billState = z.enum(billStates, { error: `State 只能是 ${billStates.join(' / ')}` });

/** Chinese names of the states, for the screens. */
export const billStateNames: Record<BillState, string> = {
  unpaid: '待支付',
  paying: '支付中',
  paid: '已支付',
  closed: '订单已关闭（可重新支付）',
  refunding: '退款中',
  refunded: '已退款',
  partially_refunded: '部分退款',
};

/**
 * The connector's QR code content: `WDPAY:<OperatorId>:<CellId>` (the operator's id and the cell id
 * as registered through seed 004). Printed on the connector; scanned with `wx.scanCode`.
 */
export const PAY_QR_PREFIX = 'WDPAY:';
export const payQrCode = (operatorId: string, cellId: string): string =>
  `${PAY_QR_PREFIX}${operatorId}:${cellId}`;

// ---------------------------------------------------------------------------------------------------
// Driver
// ---------------------------------------------------------------------------------------------------

/** POST /api_3/driver_login — a `wx.login` code → a driver token (no organization account). */
export const driverLoginBody = z.strictObject({
  code: z.string().trim().min(1, 'code 不能为空').max(128, 'code 最多 128 个字符'),
});
export const driverSession = z.object({
  Driver_ID: z.string(),
  /** `Authorization: Bearer <Driver_Token>` on the driver endpoints only. */
  Driver_Token: z.string(),
  /** ISO 8601. */
  Token_Expires: z.string(),
});
export type DriverSession = z.infer<typeof driverSession>;

const plateNo = z.string().trim().min(1, 'Plate_No 不能为空').max(16, 'Plate_No 最多 16 个字符');
const phone = z
  .string()
  .trim()
  .regex(/^\+?\d{5,20}$/, 'Phone 必须是 5–20 位数字');

/**
 * POST /api_3/driver_bill_claim — finds the caller's bill and claims it: either the connector's QR
 * code (the latest unpaid, unclaimed bill of that connector that ended within 2 hours), or the plate
 * number AND the phone number the session was started with (every such unpaid, unclaimed bill).
 */
export const driverClaimBody = z
  .strictObject({
    Qr_Code: z.string().trim().min(1, 'Qr_Code 不能为空').max(128, 'Qr_Code 最多 128 个字符').optional(),
    Plate_No: plateNo.optional(),
    Phone: phone.optional(),
  })
  .superRefine((b, ctx) => {
    const rule = '需要 Qr_Code，或同时提供 Plate_No 与 Phone';
    if (b.Qr_Code !== undefined) {
      if (b.Plate_No !== undefined || b.Phone !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [b.Plate_No !== undefined ? 'Plate_No' : 'Phone'],
          message: `与 Qr_Code 二选一`,
        });
      return;
    }
    if (b.Plate_No === undefined) ctx.addIssue({ code: 'custom', path: ['Plate_No'], message: rule });
    else if (b.Phone === undefined) ctx.addIssue({ code: 'custom', path: ['Phone'], message: rule });
  });
export type DriverClaimBody = z.infer<typeof driverClaimBody>;

/** GET /api_3/driver_bills — the caller's bills, newest first. */
export const driverBillsQuery = z.strictObject({ ...paging, State: billState.optional() });
/** GET /api_3/driver_bill, POST /api_3/driver_bill_pay. */
export const billIdQuery = z.strictObject({ Bill_ID: idLike('Bill_ID') });
export const billIdBody = z.strictObject({ Bill_ID: idLike('Bill_ID') });

/** One bill as the driver sees it. */
export const billItem = z.object({
  Bill_ID: z.number().int(),
  Operator_ID: z.string(),
  Station_ID: z.string(),
  /** The station's name when the bill was made ('' for a bill older than the name). */
  Station_Name: z.string(),
  Equipment_ID: z.string(),
  Cell_ID: z.string(),
  /** `YYYY-MM-DD HH:mm:ss`, Asia/Shanghai. */
  Start_Time: z.string(),
  End_Time: z.string(),
  /** kWh. */
  Total_Power: z.number(),
  Amount_Fen: z.number().int(),
  Elec_Fen: z.number().int(),
  Service_Fen: z.number().int(),
  Refunded_Fen: z.number().int(),
  State: billState,
  State_Name: z.string(),
  /** Masked (`粤B·***45`). */
  Plate_No: z.string(),
  /** `YYYY-MM-DD HH:mm:ss` or ''. */
  Paid_At: z.string(),
});
export type BillItem = z.infer<typeof billItem>;

/** The parameters for `wx.requestPayment` (external-apis.md §2.5), signed by the BFF. */
export const requestPaymentParams = z.object({
  appId: z.string(),
  timeStamp: z.string(),
  nonceStr: z.string(),
  package: z.string(),
  signType: z.literal('RSA'),
  paySign: z.string(),
});
export type RequestPaymentParams = z.infer<typeof requestPaymentParams>;

/** POST /api_3/driver_bill_pay answer. */
export const payOrderResult = z.object({
  Bill_ID: z.number().int(),
  Out_Trade_No: z.string(),
  Amount_Fen: z.number().int(),
  /** ISO 8601: after this the order is closed (pay again for a new one). */
  Expires_At: z.string(),
  Pay_Params: requestPaymentParams,
  /**
   * Demo mode only: the fake WeChat Pay's "the payer paid" control URL. The H5 build has no
   * wx.requestPayment; it POSTs `{"prepay_id": "<package without prepay_id=>"}` there instead.
   */
  Demo_Pay_Url: z.string().optional(),
});
export type PayOrderResult = z.infer<typeof payOrderResult>;

// ---------------------------------------------------------------------------------------------------
// Admin of the charging site's organization
// ---------------------------------------------------------------------------------------------------

/** GET /api_3/charging_bills — the organization's bills (End_Time within the range when given). */
export const adminBillsQuery = z.strictObject({
  ...paging,
  State: billState.optional(),
  Time_Start: localDateTime().optional(),
  Time_End: localDateTime().optional(),
  Bill_ID: idLike('Bill_ID').optional(),
});
export const adminBillItem = billItem.extend({
  Record_ID: z.string(),
  Out_Trade_No: z.string(),
  Transaction_ID: z.string(),
  /** Whether a driver claimed it. */
  Claimed: z.boolean(),
});
export type AdminBillItem = z.infer<typeof adminBillItem>;

/**
 * POST /api_3/charging_bill_refund — idempotent by `Refund_No` (the client makes it once per refund
 * and sends the same one on every retry: one refund, whatever the number of calls).
 */
export const refundBody = z.strictObject({
  Bill_ID: idLike('Bill_ID'),
  Refund_No: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z_-]{6,40}$/, 'Refund_No 必须是 6–40 位字母、数字、_ 或 -'),
  Refund_Fen: idLike('Refund_Fen'),
  Reason: z.string().trim().min(1, 'Reason 不能为空').max(80, 'Reason 最多 80 个字符'),
});
export type RefundBody = z.infer<typeof refundBody>;

export const refundStates = ['processing', 'success', 'closed', 'abnormal'] as const;
export const refundStateNames: Record<(typeof refundStates)[number], string> = {
  processing: '退款处理中',
  success: '退款成功',
  closed: '退款关闭',
  abnormal: '退款异常',
};
export const refundItem = z.object({
  Bill_ID: z.number().int(),
  Refund_No: z.string(),
  Refund_Fen: z.number().int(),
  Reason: z.string(),
  State: z.enum(refundStates),
  State_Name: z.string(),
  Created_At: z.string(),
  Done_At: z.string(),
});
export type RefundItem = z.infer<typeof refundItem>;

/** GET /api_3/charging_bill_refunds */
export const refundsQuery = z.strictObject({ Bill_ID: idLike('Bill_ID') });

/** GET /api_3/pay_reconciliation — differences found by the daily reconciliation. */
export const reconQuery = z.strictObject({
  ...paging,
  Bill_Date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Bill_Date 格式必须为 "YYYY-MM-DD"')
    .optional(),
});
export const reconKinds = [
  'missing_ours',
  'missing_theirs',
  'amount_mismatch',
  'state_mismatch',
  'refund_mismatch',
] as const;
export const reconKindNames: Record<(typeof reconKinds)[number], string> = {
  missing_ours: '微信支付有、本系统无',
  missing_theirs: '本系统已支付、微信支付账单无',
  amount_mismatch: '金额不一致',
  state_mismatch: '状态不一致',
  refund_mismatch: '退款不一致',
};
export const reconItem = z.object({
  id: z.number().int(),
  Bill_Date: z.string(),
  Out_Trade_No: z.string(),
  Bill_ID: z.number().int().nullable(),
  Kind: z.enum(reconKinds),
  Kind_Name: z.string(),
  Ours_Fen: z.number().int().nullable(),
  Theirs_Fen: z.number().int().nullable(),
  Detail: z.string(),
  Found_At: z.string(),
});
export type ReconItem = z.infer<typeof reconItem>;
