import { z } from 'zod';

/** WeChat Pay answers the client relies on (external-apis.md §2.4), parsed, unknown keys kept out. */

export const errorBody = z.object({ code: z.string(), message: z.string() });

export const prepayBody = z.object({ prepay_id: z.string().min(1) });

export const tradeStates = [
  'SUCCESS',
  'REFUND',
  'NOTPAY',
  'CLOSED',
  'REVOKED',
  'USERPAYING',
  'PAYERROR',
] as const;

/** The `Transaction` of a query answer and of a decrypted TRANSACTION.* notification. */
export const transactionBody = z.object({
  appid: z.string(),
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string().optional(),
  trade_type: z.string().optional(),
  trade_state: z.enum(tradeStates),
  trade_state_desc: z.string().optional(),
  success_time: z.string().optional(),
  attach: z.string().optional(),
  payer: z.object({ openid: z.string() }).partial().optional(),
  amount: z
    .object({
      total: z.number().int(),
      payer_total: z.number().int().optional(),
      currency: z.string().optional(),
    })
    .optional(),
});
export type Transaction = z.infer<typeof transactionBody>;

export const refundStatuses = ['SUCCESS', 'CLOSED', 'PROCESSING', 'ABNORMAL'] as const;
export const refundBody = z.object({
  refund_id: z.string(),
  out_refund_no: z.string(),
  transaction_id: z.string().optional(),
  out_trade_no: z.string().optional(),
  status: z.enum(refundStatuses),
  success_time: z.string().optional(),
  create_time: z.string().optional(),
  amount: z.object({ total: z.number().int(), refund: z.number().int() }),
});
export type Refund = z.infer<typeof refundBody>;

/** The decrypted REFUND.* notification resource. */
export const refundNotice = z.object({
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string().optional(),
  out_refund_no: z.string(),
  refund_id: z.string(),
  refund_status: z.enum(refundStatuses),
  success_time: z.string().optional(),
  amount: z.object({ total: z.number().int(), refund: z.number().int() }),
});
export type RefundNotice = z.infer<typeof refundNotice>;

export const tradeBillBody = z.object({
  hash_type: z.literal('SHA1'),
  hash_value: z.string(),
  download_url: z.string().url(),
});

const encrypted = z.object({
  algorithm: z.string(),
  ciphertext: z.string(),
  nonce: z.string(),
  associated_data: z.string().optional(),
});

export const certificatesBody = z.object({
  data: z.array(
    z.object({
      serial_no: z.string(),
      effective_time: z.string(),
      expire_time: z.string(),
      encrypt_certificate: encrypted,
    }),
  ),
});

/** A notification's envelope (§2.6). */
export const notificationBody = z.object({
  id: z.string().min(1).max(64),
  create_time: z.string(),
  event_type: z.string(),
  resource_type: z.string(),
  summary: z.string().optional(),
  resource: encrypted.extend({ original_type: z.string() }),
});
export type Notification = z.infer<typeof notificationBody>;
