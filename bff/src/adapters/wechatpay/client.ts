import crypto from 'node:crypto';
import WxPay from 'wechatpay-node-v3';
import type { IPayRequest } from 'wechatpay-node-v3/dist/lib/pay-request.interface';
import type { Output } from 'wechatpay-node-v3/dist/lib/interface-v2';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import { authorizationHeader, hexNonce, paySignString, requestSigningString, rsaSign } from './crypto';
import { certificateFromDownload, WeChatPaySignatureError, WeChatPayVerifier } from './verifier';
import { parseTradeBill, type TradeBillRow } from './tradebill';
import {
  certificatesBody,
  errorBody,
  prepayBody,
  refundBody,
  tradeBillBody,
  transactionBody,
  type Refund,
  type Transaction,
} from './schemas';

/** The host wechatpay-node-v3 hard-codes (external-apis.md §3.4); rewritten to `baseUrl`. */
const WECHATPAY_HOST = 'https://api.mch.weixin.qq.com';

export interface WeChatPayConfig {
  /** https://api.mch.weixin.qq.com, or a fake's URL. */
  baseUrl: string;
  appid: string;
  mchid: string;
  /** Merchant API certificate serial (upper-case hex). */
  merchantSerial: string;
  /** Merchant API private key (apiclient_key.pem). */
  privateKeyPem: string;
  /** APIv3 key (32 characters): decrypts notifications and certificates. */
  apiV3Key: string;
  /** Public-key mode: `PUB_KEY_ID_…` and pub_key.pem; without it, platform certificates are downloaded. */
  publicKey?: { id: string; pem: string };
}

/** Why a call failed, for the service to switch on (never the message text). */
export class WeChatPayApiError extends Error {
  constructor(
    readonly status: number,
    /** WeChat Pay's `code` (ORDER_NOT_EXIST, ORDERPAID, …) or TRANSPORT / BAD_SIGNATURE / BAD_BODY. */
    readonly code: string,
    message: string,
  ) {
    super(`WeChat Pay ${status} ${code}: ${message}`);
    this.name = 'WeChatPayApiError';
  }
}

export interface JsapiOrder {
  outTradeNo: string;
  description: string;
  amountFen: number;
  openid: string;
  notifyUrl: string;
  /** RFC3339 with +08:00. */
  timeExpire: string;
  attach?: string;
}

/**
 * The wechatpay-node-v3 transport, replaced (`createHttp`, §3.4): rewrites the hard-coded host to
 * `baseUrl`, sends exactly the JSON bytes the library signed, applies a timeout, and verifies every
 * response's WeChat Pay signature (the library cannot: it never sees the headers) — a response that
 * fails verification is reported as status 0 / BAD_SIGNATURE, never handed on.
 */
class VerifyingTransport implements IPayRequest {
  constructor(
    private readonly target: () => { baseUrl: string },
    private readonly verifier: () => WeChatPayVerifier,
    private readonly timeoutMs: number,
  ) {}

  upload(): Promise<Output> {
    return Promise.resolve({ status: 0, error: 'upload is not used' });
  }
  post(url: string, params: Record<string, unknown>, headers: Record<string, string>): Promise<Output> {
    return this.send('POST', url, headers, JSON.stringify(params));
  }
  get(url: string, headers: Record<string, string>): Promise<Output> {
    return this.send('GET', url, headers);
  }

  private async send(method: string, url: string, headers: Record<string, string>, body?: string) {
    const target = url.startsWith(WECHATPAY_HOST)
      ? this.target().baseUrl + url.slice(WECHATPAY_HOST.length)
      : url;
    const { 'Accept-Encoding': _gzip, ...rest } = headers;
    let res: Response;
    try {
      res = await fetch(target, { method, headers: rest, body, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      return { status: 0, error: `TRANSPORT: ${(err as Error).message}` };
    }
    const text = await res.text();
    // The bill file download is not signed (its hash is checked instead, §tradebill).
    if (!new URL(target).pathname.startsWith('/v3/billdownload/')) {
      try {
        await this.verifier().verify(
          {
            'wechatpay-timestamp': res.headers.get('wechatpay-timestamp') ?? undefined,
            'wechatpay-nonce': res.headers.get('wechatpay-nonce') ?? undefined,
            'wechatpay-signature': res.headers.get('wechatpay-signature') ?? undefined,
            'wechatpay-serial': res.headers.get('wechatpay-serial') ?? undefined,
          },
          text,
        );
      } catch (err) {
        if (err instanceof WeChatPaySignatureError)
          return { status: 0, error: `BAD_SIGNATURE: ${err.reason}` };
        throw err;
      }
    }
    if (res.status >= 200 && res.status < 300) {
      let data: unknown = text;
      if (text && (res.headers.get('content-type') ?? '').includes('json')) data = JSON.parse(text);
      return { status: res.status, data };
    }
    return { status: res.status, error: text };
  }
}

/**
 * WeChat Pay API v3 client (external-apis.md §2) over wechatpay-node-v3 (§3) for the requests and
 * their signatures; response and notification signatures (both key modes), the GCM tag and paySign
 * are done here with node:crypto, because the library does neither.
 */
export class WeChatPayClient {
  readonly verifier: WeChatPayVerifier;
  private pay: WxPay;

  constructor(
    private cfg: WeChatPayConfig,
    private readonly deps: { clock: Clock; log?: Logger; timeoutMs?: number },
  ) {
    this.verifier = this.makeVerifier();
    this.pay = this.makeLibrary();
  }

  get appid(): string {
    return this.cfg.appid;
  }
  get mchid(): string {
    return this.cfg.mchid;
  }
  get apiV3Key(): string {
    return this.cfg.apiV3Key;
  }
  get baseUrl(): string {
    return this.cfg.baseUrl;
  }

  /** Points the client at another server and credentials (demo mode's in-process fake). */
  pointAt(cfg: WeChatPayConfig): void {
    this.cfg = { ...cfg, baseUrl: cfg.baseUrl.replace(/\/+$/, '') };
    (this as { verifier: WeChatPayVerifier }).verifier = this.makeVerifier();
    this.pay = this.makeLibrary();
  }

  private makeVerifier(): WeChatPayVerifier {
    return new WeChatPayVerifier({
      publicKey: this.cfg.publicKey,
      nowSeconds: () => Math.floor(this.deps.clock.now().getTime() / 1000),
      refresh: () => this.downloadCertificates(),
    });
  }

  private makeLibrary(): WxPay {
    const publicPem = crypto.createPublicKey(this.cfg.privateKeyPem).export({ type: 'spki', format: 'pem' });
    const pay = new WxPay({
      appid: this.cfg.appid,
      mchid: this.cfg.mchid,
      serial_no: this.cfg.merchantSerial,
      // Only used for the serial, which is given: the library requires a value.
      publicKey: Buffer.from(publicPem),
      privateKey: Buffer.from(this.cfg.privateKeyPem),
      key: this.cfg.apiV3Key,
      userAgent: 'WattDesk-BFF/1.0 (wechatpay-node-v3)',
    });
    pay.createHttp(
      new VerifyingTransport(
        () => this.cfg,
        () => this.verifier,
        this.deps.timeoutMs ?? 5000,
      ),
    );
    return pay;
  }

  /** POST /v3/pay/transactions/jsapi → prepay_id (the library's requestPayment params are ignored: see paymentParams). */
  async jsapi(order: JsapiOrder): Promise<{ prepayId: string }> {
    const out = await this.pay.transactions_jsapi({
      description: order.description,
      out_trade_no: order.outTradeNo,
      time_expire: order.timeExpire,
      attach: order.attach,
      notify_url: order.notifyUrl,
      amount: { total: order.amountFen, currency: 'CNY' },
      payer: { openid: order.openid },
    });
    const data = this.ok(out, 200);
    // With a prepay_id the library replaces the answer by its requestPayment params (`package`).
    const pkg = (data as { package?: unknown }).package;
    if (typeof pkg === 'string' && pkg.startsWith('prepay_id=')) return { prepayId: pkg.slice(10) };
    return { prepayId: prepayBody.parse(data).prepay_id };
  }

  /** The signed `wx.requestPayment` parameters for a prepay_id (§2.5), on our clock. */
  paymentParams(prepayId: string): {
    appId: string;
    timeStamp: string;
    nonceStr: string;
    package: string;
    signType: 'RSA';
    paySign: string;
  } {
    const timeStamp = String(Math.floor(this.deps.clock.now().getTime() / 1000));
    const nonceStr = hexNonce();
    const pkg = `prepay_id=${prepayId}`;
    const paySign = rsaSign(paySignString(this.cfg.appid, timeStamp, nonceStr, pkg), this.cfg.privateKeyPem);
    return { appId: this.cfg.appid, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
  }

  /** GET /v3/pay/transactions/out-trade-no/{no}?mchid= ; null when WeChat Pay has no such order. */
  async query(outTradeNo: string): Promise<Transaction | null> {
    const out = await this.pay.query({ out_trade_no: outTradeNo });
    if (out.status === 404) return null;
    return transactionBody.parse(this.ok(out, 200));
  }

  /** POST …/close (204). An order already paid gives ORDERPAID (thrown). */
  async close(outTradeNo: string): Promise<void> {
    this.ok(await this.pay.close(outTradeNo), 204);
  }

  /** POST /v3/refund/domestic/refunds — idempotent at WeChat Pay by out_refund_no. */
  async refund(r: {
    outTradeNo: string;
    outRefundNo: string;
    reason: string;
    refundFen: number;
    totalFen: number;
    notifyUrl?: string;
  }): Promise<Refund> {
    const out = await this.pay.refunds({
      out_trade_no: r.outTradeNo,
      out_refund_no: r.outRefundNo,
      reason: r.reason,
      notify_url: r.notifyUrl,
      amount: { refund: r.refundFen, total: r.totalFen, currency: 'CNY' },
    });
    return refundBody.parse(this.ok(out, 200));
  }

  /** GET /v3/refund/domestic/refunds/{out_refund_no}; null when unknown. */
  async queryRefund(outRefundNo: string): Promise<Refund | null> {
    const out = await this.pay.find_refunds(outRefundNo);
    if (out.status === 404) return null;
    return refundBody.parse(this.ok(out, 200));
  }

  /** The trade bill of a day (`YYYY-MM-DD`, ALL): GET /v3/bill/tradebill, then the file, its SHA1 checked. */
  async tradeBill(billDate: string): Promise<TradeBillRow[]> {
    const out = await this.pay.tradebill({ bill_date: billDate, bill_type: 'ALL' });
    if (out.status === 400 && /NO_STATEMENT_EXIST|bill.*not.*exist/i.test(String(out.error))) return [];
    const meta = tradeBillBody.parse(this.ok(out, 200));
    const file = await this.pay.downloadBill(meta.download_url);
    const text = String(this.ok(file, 200));
    const hash = crypto.createHash('sha1').update(text, 'utf8').digest('hex');
    if (hash.toLowerCase() !== meta.hash_value.toLowerCase())
      throw new WeChatPayApiError(0, 'BAD_BODY', 'trade bill hash mismatch');
    return parseTradeBill(text);
  }

  /** GET /v3/certificates, each certificate decrypted with the APIv3 key (tag checked). */
  async downloadCertificates(): Promise<{ serialNo: string; pem: string; expireTime: string }[]> {
    // Signed by hand: the library's get_certificates skips the GCM tag. The answer is verified with
    // the certificates it carries (the bootstrap trust step of wechatpay-go's downloader).
    const path = '/v3/certificates';
    const timestamp = String(Math.floor(this.deps.clock.now().getTime() / 1000));
    const nonce = hexNonce();
    const signature = rsaSign(
      requestSigningString('GET', path, timestamp, nonce, ''),
      this.cfg.privateKeyPem,
    );
    const res = await fetch(this.cfg.baseUrl + path, {
      headers: {
        Accept: 'application/json',
        'User-Agent': 'WattDesk-BFF/1.0',
        Authorization: authorizationHeader({
          mchid: this.cfg.mchid,
          serialNo: this.cfg.merchantSerial,
          nonce,
          timestamp,
          signature,
        }),
      },
      signal: AbortSignal.timeout(this.deps.timeoutMs ?? 5000),
    });
    const text = await res.text();
    if (res.status !== 200) throw this.failure({ status: res.status, error: text });
    const body = certificatesBody.parse(JSON.parse(text));
    const certs = body.data.map((c) => certificateFromDownload(c, this.cfg.apiV3Key));
    const headers = {
      'wechatpay-timestamp': res.headers.get('wechatpay-timestamp') ?? undefined,
      'wechatpay-nonce': res.headers.get('wechatpay-nonce') ?? undefined,
      'wechatpay-signature': res.headers.get('wechatpay-signature') ?? undefined,
      'wechatpay-serial': res.headers.get('wechatpay-serial') ?? undefined,
    };
    // During the switch-over the answer may be signed with the public key (verified as any answer).
    if (headers['wechatpay-serial']?.startsWith('PUB_KEY_ID_')) await this.verifier.verify(headers, text);
    else {
      const check = new WeChatPayVerifier({
        nowSeconds: () => Math.floor(this.deps.clock.now().getTime() / 1000),
      });
      check.addCertificates(certs);
      await check.verify(headers, text);
    }
    return certs;
  }

  private ok(out: Output, expected: number): unknown {
    if (out.status !== expected) throw this.failure(out);
    return out.data;
  }

  private failure(out: Output): WeChatPayApiError {
    const raw = String(out.error ?? '');
    if (out.status === 0) {
      const code = raw.startsWith('BAD_SIGNATURE') ? 'BAD_SIGNATURE' : 'TRANSPORT';
      this.deps.log?.warn({ code, detail: raw.slice(0, 200) }, 'WeChat Pay call failed');
      return new WeChatPayApiError(0, code, raw.slice(0, 200));
    }
    let code = 'UNKNOWN';
    let message = raw.slice(0, 200);
    try {
      const e = errorBody.parse(JSON.parse(raw));
      code = e.code;
      message = e.message;
    } catch {
      // not a WeChat Pay error body
    }
    this.deps.log?.warn({ status: out.status, code }, 'WeChat Pay call failed');
    return new WeChatPayApiError(out.status, code, message);
  }
}
