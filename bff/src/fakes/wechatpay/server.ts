import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  encryptResource,
  hexNonce,
  parseAuthorization,
  requestSigningString,
  responseSigningString,
  rsaSign,
  rsaVerify,
} from '../../adapters/wechatpay/crypto';
import { FakeNotifier, type SendOptions } from './notifier';
import { FakeWeChatPayState, rfc3339, type FakeOrder, type FakeWeChatPayOptions } from './state';
import { tradeBillFile } from './bill';
import { readBody } from '../read-body';

export interface FakeWeChatPay {
  /** Base URL to give the WeChat Pay client (instead of https://api.mch.weixin.qq.com). */
  url: string;
  state: FakeWeChatPayState;
  notifier: FakeNotifier;
  /** The payer pays an order (what wx.requestPayment does): SUCCESS + its notification. */
  pay(outTradeNoOrPrepayId: string, opts?: SendOptions): FakeOrder;
  /** Finishes a PROCESSING refund (SUCCESS by default) and sends its notification when it has a notify_url. */
  completeRefund(outRefundNo: string, status?: 'SUCCESS' | 'ABNORMAL' | 'CLOSED'): void;
  close(): Promise<void>;
}

type Answer = [number, unknown?];
const OUT_NO = /^[0-9A-Za-z_\-|*@]{6,32}$/;
const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;
const err = (status: number, code: string, message: string, detail?: unknown): Answer => [
  status,
  { code, message, ...(detail ? { detail } : {}) },
];

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** Checks the merchant's request signature (§2.2): the signed string is rebuilt from what arrived. */
function checkSignature(
  state: FakeWeChatPayState,
  req: http.IncomingMessage,
  pathWithQuery: string,
  body: string,
): Answer | { mchid: string } {
  const auth = parseAuthorization(req.headers.authorization);
  if (!auth) return err(401, 'SIGN_ERROR', '签名错误：Authorization 格式不正确');
  const m = state.merchants.get(auth.mchid);
  if (!m) return err(400, 'MCH_NOT_EXISTS', '商户号不存在');
  if (auth.serialNo.toUpperCase() !== m.serialNo.toUpperCase())
    return err(500, 'SYSTEM_ERROR', '系统繁忙,请稍后重试');
  // wechatpay-node-v3 stamps requests with the wall clock; the fake's own clock may be a test's.
  const ts = Number(auth.timestamp) * 1000;
  const fresh = [Date.now(), state.now()].some((t) => Math.abs(t - ts) < 300_000);
  if (!fresh) return err(401, 'SIGN_ERROR', '签名错误：时间戳过期');
  const text = requestSigningString(req.method ?? 'GET', pathWithQuery, auth.timestamp, auth.nonce, body);
  if (!rsaVerify(text, auth.signature, m.publicKeyPem)) return err(401, 'SIGN_ERROR', '签名错误');
  return { mchid: m.mchid };
}

/** Starts the fake WeChat Pay server (external-apis.md §2). See README.md here. */
export async function startFakeWeChatPay(
  opts: FakeWeChatPayOptions & { port?: number; host?: string } = {},
): Promise<FakeWeChatPay> {
  const state = new FakeWeChatPayState(opts);
  const notifier = new FakeNotifier(state);
  let baseUrl = '';

  const notifyPaid = (o: FakeOrder, sendOpts?: SendOptions) => {
    const m = state.merchants.get(o.mchid)!;
    notifier.send(
      o.notifyUrl,
      o.outTradeNo,
      notifier.build('TRANSACTION.SUCCESS', 'transaction', state.transaction(o), m.apiV3Key),
      sendOpts,
    );
  };
  const findOrder = (key: string) => state.orders.get(key) ?? state.orders.get(state.prepay.get(key) ?? '');

  const pay = (key: string, sendOpts?: SendOptions): FakeOrder => {
    const o = findOrder(key);
    if (!o) throw new Error(`no such order or prepay_id: ${key}`);
    if (o.state !== 'NOTPAY') throw new Error(`order ${o.outTradeNo} is ${o.state}`);
    if (o.timeExpire && Date.parse(o.timeExpire) <= state.now())
      throw new Error(`order ${o.outTradeNo} expired`);
    state.pay(o);
    notifyPaid(o, sendOpts);
    return o;
  };

  const completeRefund = (no: string, status: 'SUCCESS' | 'ABNORMAL' | 'CLOSED' = 'SUCCESS') => {
    const r = state.refunds.get(no);
    if (!r) throw new Error(`no such refund ${no}`);
    r.status = status;
    if (status === 'SUCCESS') r.successTime = rfc3339(state.now());
    const o = state.orders.get(r.outTradeNo);
    if (o && status === 'SUCCESS') o.state = 'REFUND';
    if (r.notifyUrl) {
      const m = state.merchants.get(r.mchid)!;
      const resource = {
        mchid: r.mchid,
        out_trade_no: r.outTradeNo,
        transaction_id: r.transactionId,
        out_refund_no: r.outRefundNo,
        refund_id: r.refundId,
        refund_status: status,
        ...(r.successTime ? { success_time: r.successTime } : {}),
        user_received_account: '支付用户零钱',
        amount: {
          total: r.totalFen,
          refund: r.refundFen,
          payer_total: r.totalFen,
          payer_refund: r.refundFen,
        },
      };
      notifier.send(
        r.notifyUrl,
        r.outTradeNo,
        notifier.build(`REFUND.${status}`, 'refund', resource, m.apiV3Key),
      );
    }
  };

  /** The v3 API (§2.4), after the signature check. */
  function api(method: string, url: URL, mchid: string, body: Record<string, unknown>): Answer {
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

  /** Test-control endpoints (`/__fake/...`): what the payer and the platform do. See README.md. */
  function control(method: string, p: string, body: Record<string, unknown>): Answer {
    const sendOpts: SendOptions = {
      duplicate: typeof body.duplicate === 'number' ? body.duplicate : undefined,
      delayMs: typeof body.delay_ms === 'number' ? body.delay_ms : undefined,
      corrupt: body.corrupt === 'signature' || body.corrupt === 'tag' ? body.corrupt : undefined,
      once: body.once === true,
      drop: body.drop === true,
    };
    try {
      switch (`${method} ${p}`) {
        case 'POST /__fake/pay': {
          const key = str(body.prepay_id) ?? str(body.out_trade_no);
          if (!key) return [400, { error: 'prepay_id or out_trade_no is required' }];
          return [200, state.transaction(pay(key, sendOpts))];
        }
        case 'POST /__fake/notify/replay': {
          const no = str(body.out_trade_no);
          if (!no) return [400, { error: 'out_trade_no is required' }];
          return [200, { replayed: notifier.replay(no, sendOpts) }];
        }
        case 'POST /__fake/refund/complete': {
          const no = str(body.out_refund_no);
          if (!no) return [400, { error: 'out_refund_no is required' }];
          const status = body.status === 'ABNORMAL' || body.status === 'CLOSED' ? body.status : 'SUCCESS';
          completeRefund(no, status);
          return [200, state.refundBody(state.refunds.get(no)!)];
        }
        case 'POST /__fake/mode':
          if (body.mode !== 'certificate' && body.mode !== 'public_key' && body.mode !== 'mixed')
            return [400, { error: 'mode: certificate | public_key | mixed' }];
          state.mode = body.mode;
          return [200, { mode: state.mode }];
        case 'POST /__fake/fail': {
          const apiName = str(body.api);
          if (!apiName || typeof body.status !== 'number' || !str(body.code))
            return [400, { error: 'api ("POST /v3/…"), status and code are required' }];
          state.failures.set(apiName, {
            status: body.status,
            code: body.code as string,
            times: Number(body.times ?? 1),
          });
          return [200, { ok: true }];
        }
        case 'POST /__fake/bill/plant': {
          const no = str(body.out_trade_no);
          if (!no) return [400, { error: 'out_trade_no is required' }];
          state.billOverrides.set(no, {
            totalFen: typeof body.total === 'number' ? body.total : undefined,
            extra: str(body.success_time) ? { successTime: body.success_time as string } : undefined,
          });
          return [200, { ok: true }];
        }
        case 'GET /__fake/orders':
          return [200, { orders: [...state.orders.values()] }];
        case 'GET /__fake/refunds':
          return [200, { refunds: [...state.refunds.values()] }];
        case 'GET /__fake/deliveries':
          return [200, { deliveries: state.deliveries }];
        case 'GET /__fake/info':
          return [
            200,
            {
              merchants: [...state.merchants.keys()],
              mode: state.mode,
              platformSerial: state.platform.serialNo,
              publicKeyId: state.publicKeyMode.id,
              publicKeyPem: state.publicKeyMode.publicPem,
            },
          ];
        default:
          return [404, { error: `no such control endpoint: ${method} ${p}` }];
      }
    } catch (e) {
      return [409, { error: (e as Error).message }];
    }
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const method = req.method ?? 'GET';
      if (method === 'OPTIONS') {
        res.writeHead(204, {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': 'Content-Type',
        });
        return res.end();
      }
      const text = await readBody(req, 64 * 1024);
      let body: Record<string, unknown> = {};
      let parsed = true;
      try {
        if (text) body = JSON.parse(text) as Record<string, unknown>;
        if (!body || typeof body !== 'object' || Array.isArray(body)) parsed = false;
      } catch {
        parsed = false;
      }
      let answer: Answer;
      if (url.pathname.startsWith('/__fake/')) {
        answer = parsed ? control(method, url.pathname, body) : [400, { error: 'JSON object body expected' }];
        res.writeHead(answer[0], {
          'Content-Type': 'application/json; charset=utf-8',
          'Access-Control-Allow-Origin': '*',
        });
        return res.end(JSON.stringify(answer[1] ?? {}));
      }
      const checked = checkSignature(state, req, url.pathname + url.search, text);
      if (Array.isArray(checked)) answer = checked;
      else if (!parsed) answer = err(400, 'PARAM_ERROR', '请求体不是 JSON 对象');
      else answer = api(method, url, checked.mchid, body);
      // Every answer is signed (the key chosen by the Wechatpay-Serial the caller sent, else by mode).
      const out =
        answer[1] === undefined ? '' : typeof answer[1] === 'string' ? answer[1] : JSON.stringify(answer[1]);
      // The certificate download is signed with the platform certificate it carries (unless asked otherwise).
      const asked = req.headers['wechatpay-serial'] as string | undefined;
      const signer = state.signer(
        asked ?? (url.pathname === '/v3/certificates' ? state.platform.serialNo : undefined),
      );
      const ts = String(Math.floor(state.now() / 1000));
      const nonce = hexNonce();
      const isFile = url.pathname === '/v3/billdownload/file' && answer[0] === 200;
      res.writeHead(answer[0], {
        ...(out
          ? { 'Content-Type': isFile ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8' }
          : {}),
        'Request-ID': crypto.randomUUID(),
        'Wechatpay-Timestamp': ts,
        'Wechatpay-Nonce': nonce,
        'Wechatpay-Serial': signer.serial,
        'Wechatpay-Signature': rsaSign(responseSigningString(ts, nonce, out), signer.keyPem),
      });
      res.end(out);
    })().catch((e: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ code: 'SYSTEM_ERROR', message: e.message }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1'}:${port}`;
  return {
    url: baseUrl,
    state,
    notifier,
    pay,
    completeRefund,
    close: () =>
      new Promise((resolve) => {
        notifier.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
