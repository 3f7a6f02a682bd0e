import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  hexNonce,
  parseAuthorization,
  requestSigningString,
  responseSigningString,
  rsaSign,
  rsaVerify,
} from '../../adapters/wechatpay/crypto';
import { FakeNotifier, type SendOptions } from './notifier';
import { FakeWeChatPayState, rfc3339, type FakeOrder, type FakeWeChatPayOptions } from './state';
import { err, str, wechatPayApi, type Answer } from './api';
import { readBody } from '../wechat/server';

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
      const text = await readBody(req);
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
      else answer = wechatPayApi(state, method, url, checked.mchid, body);
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
