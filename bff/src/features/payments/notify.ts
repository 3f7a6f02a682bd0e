import type { Context } from 'koa';
import type { Logger } from '../../infra/logger';
import { decryptResource, GcmError } from '../../adapters/wechatpay/crypto';
import { WeChatPaySignatureError } from '../../adapters/wechatpay/verifier';
import { notificationBody, refundNotice, transactionBody } from '../../adapters/wechatpay/schemas';
import type { PayGateway } from './gateway';
import type { PaymentsService } from './service';
import type { RefundsService } from './refunds';

const MAX_NOTIFY_BYTES = 64 * 1024;

/** Reads the raw request body (the signature covers these exact bytes). */
async function rawBody(ctx: Context): Promise<string | null> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_NOTIFY_BYTES) return null;
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** WeChat Pay's failure answer: only the 4xx/5xx status counts (it re-sends). */
const fail = (ctx: Context, status: number, message: string) => {
  ctx.status = status;
  ctx.body = { code: 'FAIL', message };
};

/**
 * The notification endpoints (external-apis.md §2.6): signature verified in either key mode, the
 * resource decrypted with its GCM tag checked, then applied in one transaction; 204 only after that
 * commit (durable before acknowledged). Anything refused changes nothing and is answered 4xx, so
 * WeChat Pay re-sends the genuine notification on its schedule.
 */
export class NotificationHandler {
  constructor(
    private readonly gateway: PayGateway,
    private readonly payments: PaymentsService,
    private readonly refunds: RefundsService,
    private readonly log: Logger,
  ) {}

  async handle(ctx: Context, kind: 'pay' | 'refund'): Promise<void> {
    const raw = await rawBody(ctx);
    if (raw === null) return fail(ctx, 413, '请求体过大');
    if (!this.gateway.configured) return fail(ctx, 503, '微信支付未配置');
    const client = this.gateway.client();
    try {
      await client.verifier.verify(
        {
          'wechatpay-timestamp': ctx.get('wechatpay-timestamp') || undefined,
          'wechatpay-nonce': ctx.get('wechatpay-nonce') || undefined,
          'wechatpay-signature': ctx.get('wechatpay-signature') || undefined,
          'wechatpay-serial': ctx.get('wechatpay-serial') || undefined,
        },
        raw,
      );
    } catch (err) {
      if (!(err instanceof WeChatPaySignatureError)) throw err;
      this.log.warn({ reason: err.reason, kind }, 'WeChat Pay notification refused: signature');
      return fail(ctx, 401, '签名验证失败');
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return fail(ctx, 400, '请求体不是 JSON');
    }
    const n = notificationBody.safeParse(json);
    if (!n.success) return fail(ctx, 400, '通知格式错误');
    let plain: unknown;
    try {
      plain = JSON.parse(decryptResource(n.data.resource, client.apiV3Key));
    } catch (err) {
      this.log.warn(
        { reason: err instanceof GcmError ? err.message : 'json', kind },
        'WeChat Pay notification refused: resource',
      );
      return fail(ctx, 400, '通知解密失败');
    }
    if (kind === 'pay' && n.data.resource.original_type === 'transaction') {
      const t = transactionBody.safeParse(plain);
      if (!t.success || t.data.mchid !== client.mchid || t.data.appid !== client.appid)
        return fail(ctx, 400, '通知内容与本商户不符');
      await this.payments.applyTransaction(t.data, n.data.id);
    } else if (kind === 'refund' && n.data.resource.original_type === 'refund') {
      const r = refundNotice.safeParse(plain);
      if (!r.success || r.data.mchid !== client.mchid) return fail(ctx, 400, '通知内容与本商户不符');
      await this.refunds.applyRefund(r.data.out_refund_no, r.data.refund_status, r.data.refund_id, n.data.id);
    } else {
      return fail(ctx, 400, '不是本接口的通知类型');
    }
    ctx.status = 204;
  }
}
