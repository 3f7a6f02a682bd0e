import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gcmNonce, hexNonce } from '../../adapters/wechatpay/crypto';

/** A merchant the fake knows: its API certificate serial, its public key, its APIv3 key. */
export interface FakeMerchant {
  mchid: string;
  appid: string;
  serialNo: string;
  publicKeyPem: string;
  apiV3Key: string;
}

/** Which key signs answers and notifications: a platform certificate, the public key, or either at random. */
export type SigningMode = 'certificate' | 'public_key' | 'mixed';

export interface FakeOrder {
  appid: string;
  mchid: string;
  description: string;
  outTradeNo: string;
  amountFen: number;
  openid: string;
  notifyUrl: string;
  timeExpire?: string;
  attach?: string;
  state: 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';
  transactionId?: string;
  successTime?: string;
  prepayIds: string[];
}

export interface FakeRefund {
  refundId: string;
  outRefundNo: string;
  outTradeNo: string;
  transactionId: string;
  mchid: string;
  refundFen: number;
  totalFen: number;
  reason?: string;
  notifyUrl?: string;
  status: 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL';
  createTime: string;
  successTime?: string;
}

/** One delivery attempt of a notification, as the fake saw it. */
export interface DeliveryLog {
  notificationId: string;
  outTradeNo: string;
  attempt: number;
  status: number | 'error';
  corrupted?: 'signature' | 'tag';
  at: number;
}

export interface FakeWeChatPayOptions {
  merchants?: FakeMerchant[];
  mode?: SigningMode;
  /** The clock answers and notifications are stamped with (ms). Default Date.now. */
  now?: () => number;
  /** Multiplies WeChat's re-send schedule (1 = 15 s … 6 h; 0.001 = 15 ms … 21.6 s). */
  scheduleScale?: number;
  /** Allows http:// notify URLs (the real service wants https); on by default for local use. */
  allowHttpNotify?: boolean;
}

/** WeChat Pay's re-send schedule for an unanswered notification (external-apis.md §2.6), seconds. */
export const RESEND_SCHEDULE_S = [
  15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
];

const keysDir = path.join(__dirname, 'keys');

/** Time in RFC3339 +08:00 (what WeChat Pay writes). */
export function rfc3339(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  return `${d.toISOString().slice(0, 19)}+08:00`;
}

/** The fake's memory: merchants, keys, orders, refunds, what was delivered. */
export class FakeWeChatPayState {
  readonly merchants = new Map<string, FakeMerchant>();
  readonly orders = new Map<string, FakeOrder>();
  readonly prepay = new Map<string, string>();
  readonly refunds = new Map<string, FakeRefund>();
  readonly deliveries: DeliveryLog[] = [];
  /** Trades planted in the bill only (reconciliation tests): out_trade_no → amount override / extra row. */
  readonly billOverrides = new Map<string, { totalFen?: number; extra?: { successTime: string } }>();
  /** Injected failures: api → answers to give instead of the real one. */
  readonly failures = new Map<string, { status: number; code: string; times: number }>();
  readonly calls: Record<string, number> = {};
  mode: SigningMode;
  scheduleScale: number;
  /** Notifications being sent right now (a crash test kills the merchant while one is in flight). */
  inFlight = 0;
  /**
   * Delivers notifications to this base URL instead of the notify_url's own (the path is kept): what a
   * tunnel does for a merchant whose notify_url is not reachable from here, e.g. a test app on port 0.
   */
  redirectNotify: string | undefined;
  readonly allowHttpNotify: boolean;
  readonly now: () => number;

  /** Platform certificate (committed fake, keys/README.md) and the public-key-mode key (made here). */
  readonly platform = {
    certPem: fs.readFileSync(path.join(keysDir, 'platform_cert.pem'), 'utf8'),
    keyPem: fs.readFileSync(path.join(keysDir, 'platform_key.pem'), 'utf8'),
    serialNo: '',
  };
  readonly publicKeyMode: { id: string; publicPem: string; privatePem: string };

  constructor(opts: FakeWeChatPayOptions = {}) {
    for (const m of opts.merchants ?? []) this.merchants.set(m.mchid, m);
    this.mode = opts.mode ?? 'mixed';
    this.scheduleScale = opts.scheduleScale ?? 1;
    this.allowHttpNotify = opts.allowHttpNotify ?? true;
    this.now = opts.now ?? Date.now;
    this.platform.serialNo = new crypto.X509Certificate(this.platform.certPem).serialNumber.toUpperCase();
    const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.publicKeyMode = {
      id: `PUB_KEY_ID_01${crypto.randomInt(10 ** 9, 10 ** 10 - 1)}${crypto.randomInt(10 ** 9, 10 ** 10 - 1)}`,
      publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  }

  deliverTo(notifyUrl: string): string {
    if (!this.redirectNotify) return notifyUrl;
    const u = new URL(notifyUrl);
    return `${this.redirectNotify.replace(/\/+$/, '')}${u.pathname}`;
  }

  addMerchant(m: FakeMerchant): void {
    this.merchants.set(m.mchid, m);
  }

  /** The key to sign with: the one the caller named in Wechatpay-Serial, else by mode. */
  signer(requested?: string): { serial: string; keyPem: string } {
    const cert = { serial: this.platform.serialNo, keyPem: this.platform.keyPem };
    const pub = { serial: this.publicKeyMode.id, keyPem: this.publicKeyMode.privatePem };
    if (requested === pub.serial) return pub;
    if (requested?.toUpperCase() === cert.serial) return cert;
    if (this.mode === 'certificate') return cert;
    if (this.mode === 'public_key') return pub;
    return crypto.randomInt(2) ? pub : cert;
  }

  /** Takes one injected failure for an api, if any. */
  take(api: string): { status: number; code: string } | undefined {
    this.calls[api] = (this.calls[api] ?? 0) + 1;
    const f = this.failures.get(api);
    if (!f) return undefined;
    if (--f.times <= 0) this.failures.delete(api);
    return f;
  }

  newPrepay(order: FakeOrder): string {
    const id = `wx${Date.now().toString(36)}${hexNonce().slice(0, 18).toLowerCase()}`;
    order.prepayIds.push(id);
    this.prepay.set(id, order.outTradeNo);
    return id;
  }

  /** The payer paid (what the phone does after wx.requestPayment). */
  pay(order: FakeOrder): void {
    order.state = 'SUCCESS';
    order.transactionId = `4200${String(this.now()).slice(-10)}${crypto.randomInt(10 ** 9, 10 ** 10 - 1)}`;
    order.successTime = rfc3339(this.now());
  }

  /** The Transaction body of a query or notification. */
  transaction(o: FakeOrder): Record<string, unknown> {
    const desc = { NOTPAY: '订单未支付', SUCCESS: '支付成功', CLOSED: '订单已关闭', REFUND: '转入退款' };
    return {
      appid: o.appid,
      mchid: o.mchid,
      out_trade_no: o.outTradeNo,
      ...(o.transactionId ? { transaction_id: o.transactionId } : {}),
      trade_type: 'JSAPI',
      trade_state: o.state,
      trade_state_desc: desc[o.state],
      ...(o.transactionId ? { bank_type: 'OTHERS', success_time: o.successTime } : {}),
      attach: o.attach ?? '',
      payer: { openid: o.openid },
      amount:
        o.state === 'NOTPAY' || o.state === 'CLOSED'
          ? { total: o.amountFen, currency: 'CNY' }
          : { total: o.amountFen, payer_total: o.amountFen, currency: 'CNY', payer_currency: 'CNY' },
    };
  }

  refundBody(r: FakeRefund): Record<string, unknown> {
    return {
      refund_id: r.refundId,
      out_refund_no: r.outRefundNo,
      transaction_id: r.transactionId,
      out_trade_no: r.outTradeNo,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      ...(r.successTime ? { success_time: r.successTime } : {}),
      create_time: r.createTime,
      status: r.status,
      funds_account: 'AVAILABLE',
      amount: {
        total: r.totalFen,
        refund: r.refundFen,
        payer_total: r.totalFen,
        payer_refund: r.refundFen,
        settlement_refund: r.refundFen,
        settlement_total: r.totalFen,
        discount_refund: 0,
        currency: 'CNY',
        from: [],
      },
      promotion_detail: [],
    };
  }

  newRefundId(): string {
    return `5030${String(this.now()).slice(-10)}${crypto.randomInt(10 ** 9, 10 ** 10 - 1)}`;
  }

  /** A fresh GCM nonce (12 ASCII characters). */
  gcmNonce(): string {
    return gcmNonce();
  }
}
