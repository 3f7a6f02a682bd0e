import crypto from 'node:crypto';
import { encryptResource } from '../../adapters/wechatpay/crypto';
import { tradeBillFile } from './bill';
import { rfc3339, type FakeOrder, type FakeWeChatPayState } from './state';

/** An answer: HTTP status and body (a string is sent as is; none = 204). */
export type Answer = [number, unknown?];
const OUT_NO = /^[0-9A-Za-z_\-|*@]{6,32}$/;
const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;
export const err = (status: number, code: string, message: string, detail?: unknown): Answer => [
  status,
  { code, message, ...(detail ? { detail } : {}) },
];

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** The v3 API (§2.4), after the signature check. */
export function wechatPayApi(
  state: FakeWeChatPayState,
  method: string,
  url: URL,
  mchid: string,
  body: Record<string, unknown>,
): Answer {
  const p = url.pathname;
  const injected = state.take(`${method} ${p.replace(/\/(out-trade-no|refunds|id)\/[^/]+/, '/$1/:no')}`);
  if (injected) return err(injected.status, injected.code, '注入的错误');
  const m = state.merchants.get(mchid)!;
  if (method === 'POST' && p === '/v3/pay/transactions/jsapi') {
    for (const k of ['appid', 'mchid', 'description', 'out_trade_no', 'notify_url'] as const)
      if (!str(body[k]))
        return err(400, 'PARAM_ERROR', `缺少参数 ${k}`, { field: `/${k}`, location: 'body' });
    if (body.mchid !== mchid) return err(400, 'APPID_MCHID_NOT_MATCH', 'mchid 与请求签名不符');
    if (body.appid !== m.appid) return err(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
    const outTradeNo = body.out_trade_no as string;
    if (!OUT_NO.test(outTradeNo))
      return err(400, 'PARAM_ERROR', 'out_trade_no 格式错误', { field: '/out_trade_no' });
    const notifyUrl = body.notify_url as string;
    if (!/^https:\/\//.test(notifyUrl) && !(state.allowHttpNotify && /^http:\/\//.test(notifyUrl)))
      return err(400, 'PARAM_ERROR', 'notify_url 必须是 https 地址', { field: '/notify_url' });
    if (notifyUrl.includes('?'))
      return err(400, 'PARAM_ERROR', 'notify_url 不能带参数', { field: '/notify_url' });
    const amount = body.amount as { total?: unknown; currency?: unknown } | undefined;
    if (!amount || !Number.isInteger(amount.total) || (amount.total as number) < 1)
      return err(400, 'PARAM_ERROR', 'amount.total 必须是正整数（分）', { field: '/amount/total' });
    if (amount.currency !== undefined && amount.currency !== 'CNY')
      return err(400, 'PARAM_ERROR', '参数错误', {
        field: '/amount/currency',
        issue: 'Currency code is invalid',
      });
    const openid = str((body.payer as { openid?: unknown } | undefined)?.openid);
    if (!openid) return err(400, 'PARAM_ERROR', '缺少参数 payer.openid', { field: '/payer/openid' });
    const timeExpire = str(body.time_expire);
    if (timeExpire && Date.parse(timeExpire) < state.now() + 60_000)
      return err(400, 'PARAM_ERROR', 'time_expire 至少在下单后 1 分钟', { field: '/time_expire' });
    const existing = state.orders.get(outTradeNo);
    if (existing) {
      if (existing.state === 'SUCCESS' || existing.state === 'REFUND')
        return err(400, 'ORDERPAID', '该订单已支付');
      if (existing.state === 'CLOSED') return err(400, 'ORDER_CLOSED', '订单已关闭');
      if (
        existing.amountFen !== amount.total ||
        existing.openid !== openid ||
        existing.timeExpire !== timeExpire
      )
        return err(403, 'OUT_TRADE_NO_USED', '商户订单号重复');
      return [200, { prepay_id: state.newPrepay(existing) }];
    }
    const o: FakeOrder = {
      appid: m.appid,
      mchid,
      description: body.description as string,
      outTradeNo,
      amountFen: amount.total as number,
      openid,
      notifyUrl,
      timeExpire,
      attach: str(body.attach),
      state: 'NOTPAY',
      prepayIds: [],
    };
    state.orders.set(outTradeNo, o);
    return [200, { prepay_id: state.newPrepay(o) }];
  }
  let hit = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/.exec(p);
  if (method === 'GET' && hit) {
    if (url.searchParams.get('mchid') !== mchid)
      return err(400, 'PARAM_ERROR', 'mchid 参数错误', { field: 'mchid', location: 'query' });
    const o = state.orders.get(decodeURIComponent(hit[1]!));
    return o && o.mchid === mchid ? [200, state.transaction(o)] : err(404, 'ORDER_NOT_EXIST', '订单不存在');
  }
  hit = /^\/v3\/pay\/transactions\/id\/([^/]+)$/.exec(p);
  if (method === 'GET' && hit) {
    const o = [...state.orders.values()].find((x) => x.transactionId === hit![1] && x.mchid === mchid);
    return o ? [200, state.transaction(o)] : err(404, 'ORDER_NOT_EXIST', '订单不存在');
  }
  hit = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/.exec(p);
  if (method === 'POST' && hit) {
    if (body.mchid !== mchid) return err(400, 'PARAM_ERROR', 'mchid 参数错误', { field: '/mchid' });
    const o = state.orders.get(decodeURIComponent(hit[1]!));
    if (!o || o.mchid !== mchid) return err(404, 'ORDER_NOT_EXIST', '订单不存在');
    if (o.state === 'SUCCESS' || o.state === 'REFUND') return err(400, 'ORDERPAID', '订单已支付');
    o.state = 'CLOSED';
    return [204];
  }
  if (method === 'POST' && p === '/v3/refund/domestic/refunds') {
    const outRefundNo = str(body.out_refund_no);
    if (!outRefundNo || !OUT_REFUND_NO.test(outRefundNo))
      return err(400, 'PARAM_ERROR', 'out_refund_no 格式错误', { field: '/out_refund_no' });
    const o =
      state.orders.get(str(body.out_trade_no) ?? '') ??
      [...state.orders.values()].find((x) => x.transactionId && x.transactionId === body.transaction_id);
    if (!o || o.mchid !== mchid) return err(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    const a = body.amount as { refund?: unknown; total?: unknown; currency?: unknown } | undefined;
    if (!a || !Number.isInteger(a.refund) || !Number.isInteger(a.total) || a.currency !== 'CNY')
      return err(400, 'PARAM_ERROR', 'amount 参数错误', { field: '/amount' });
    const same = state.refunds.get(outRefundNo);
    // Idempotent by out_refund_no: the same number answers the refund it made.
    if (same)
      return same.outTradeNo === o.outTradeNo && same.refundFen === a.refund
        ? [200, state.refundBody(same)]
        : err(400, 'INVALID_REQUEST', '同一退款单号参数不一致');
    if (o.state !== 'SUCCESS' && o.state !== 'REFUND') return err(400, 'TRADE_ERROR', '订单未支付');
    if (a.total !== o.amountFen) return err(400, 'PARAM_ERROR', '订单金额不符', { field: '/amount/total' });
    const refunded = [...state.refunds.values()]
      .filter((r) => r.outTradeNo === o.outTradeNo && r.status !== 'CLOSED' && r.status !== 'ABNORMAL')
      .reduce((s, r) => s + r.refundFen, 0);
    if ((a.refund as number) < 1 || refunded + (a.refund as number) > o.amountFen)
      return err(403, 'NOT_ENOUGH', '申请退款金额超过订单可退金额');
    const r = {
      refundId: state.newRefundId(),
      outRefundNo,
      outTradeNo: o.outTradeNo,
      transactionId: o.transactionId!,
      mchid,
      refundFen: a.refund as number,
      totalFen: o.amountFen,
      reason: str(body.reason),
      notifyUrl: str(body.notify_url),
      status: 'PROCESSING' as const,
      createTime: rfc3339(state.now()),
    };
    state.refunds.set(outRefundNo, r);
    return [200, state.refundBody(r)];
  }
  hit = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(p);
  if (method === 'GET' && hit) {
    const r = state.refunds.get(decodeURIComponent(hit[1]!));
    return r && r.mchid === mchid
      ? [200, state.refundBody(r)]
      : err(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
  }
  if (method === 'GET' && p === '/v3/certificates') {
    const cert = new crypto.X509Certificate(state.platform.certPem);
    return [
      200,
      {
        data: [
          {
            serial_no: state.platform.serialNo,
            effective_time: rfc3339(Date.parse(cert.validFrom)),
            expire_time: rfc3339(Date.parse(cert.validTo)),
            encrypt_certificate: encryptResource(
              state.platform.certPem,
              m.apiV3Key,
              state.gcmNonce(),
              'certificate',
            ),
          },
        ],
      },
    ];
  }
  if (method === 'GET' && p === '/v3/bill/tradebill') {
    const date = url.searchParams.get('bill_date') ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
      return err(400, 'PARAM_ERROR', 'bill_date 格式错误', { field: 'bill_date' });
    const file = tradeBillFile(state, mchid, date);
    const token = Buffer.from(JSON.stringify({ mchid, date })).toString('base64url');
    return [
      200,
      {
        hash_type: 'SHA1',
        hash_value: crypto.createHash('sha1').update(file, 'utf8').digest('hex'),
        download_url: `https://api.mch.weixin.qq.com/v3/billdownload/file?token=${token}`,
      },
    ];
  }
  if (method === 'GET' && p === '/v3/billdownload/file') {
    const t = JSON.parse(
      Buffer.from(url.searchParams.get('token') ?? '', 'base64url').toString() || '{}',
    ) as {
      mchid?: string;
      date?: string;
    };
    if (t.mchid !== mchid || !t.date) return err(400, 'PARAM_ERROR', 'token 无效');
    return [200, tradeBillFile(state, mchid, t.date)];
  }
  return err(404, 'NOT_FOUND', `no such API: ${method} ${p}`);
}
