import crypto from 'node:crypto';
import { encryptResource, hexNonce, responseSigningString, rsaSign } from '../../adapters/wechatpay/crypto';
import { RESEND_SCHEDULE_S, rfc3339, type FakeWeChatPayState } from './state';

/** How one notification is sent: copies, delay, corruption, and whether re-sends follow. */
export interface SendOptions {
  /** Extra copies sent at once beside the first (duplicates). */
  duplicate?: number;
  /** Delay before the first attempt (ms, real time). */
  delayMs?: number;
  /** `signature`: a byte of the signature flipped; `tag`: a byte of the GCM ciphertext flipped. */
  corrupt?: 'signature' | 'tag';
  /** Stop after the first attempt (no re-send schedule). */
  once?: boolean;
  /** Send nothing now (a lost notification): only a replay or the merchant's query learns of it. */
  drop?: boolean;
}

interface Pending {
  id: string;
  url: string;
  outTradeNo: string;
  body: string;
  attempt: number;
  timer?: NodeJS.Timeout;
  done: boolean;
}

/**
 * Sends payment and refund notifications to the merchant's notify_url as WeChat Pay does (§2.6):
 * encrypted resource (AEAD_AES_256_GCM with the merchant's APIv3 key), signed with the current
 * signing key, re-sent on the 15 s … 6 h schedule (scaled by `scheduleScale`) until answered 2xx.
 */
export class FakeNotifier {
  private readonly pending = new Map<string, Pending>();
  private closed = false;

  constructor(private readonly state: FakeWeChatPayState) {}

  /** Builds a notification body for an event; returns its id. */
  build(
    eventType: string,
    originalType: 'transaction' | 'refund',
    resource: Record<string, unknown>,
    apiV3Key: string,
  ): { id: string; body: string } {
    const id = crypto.randomUUID();
    const enc = encryptResource(JSON.stringify(resource), apiV3Key, this.state.gcmNonce(), originalType);
    const summary =
      { 'TRANSACTION.SUCCESS': '支付成功', 'REFUND.SUCCESS': '退款成功' }[eventType] ?? eventType;
    const body = JSON.stringify({
      id,
      create_time: rfc3339(this.state.now()),
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary,
      resource: { original_type: originalType, ...enc },
    });
    return { id, body };
  }

  /** Queues a notification for delivery. */
  send(url: string, outTradeNo: string, n: { id: string; body: string }, opts: SendOptions = {}): void {
    const p: Pending = { id: n.id, url, outTradeNo, body: n.body, attempt: 0, done: false };
    this.pending.set(n.id, p);
    const start = () => {
      for (let i = 0; i < (opts.duplicate ?? 0); i++) void this.attempt(p, opts, true);
      void this.attempt(p, opts, false);
    };
    if (opts.drop) return;
    if (opts.delayMs) p.timer = setTimeout(start, opts.delayMs);
    else start();
  }

  /** Re-sends every notification of an order now (WeChat's re-send after our restart, on demand). */
  replay(outTradeNo: string, opts: SendOptions = {}): number {
    const ps = [...this.pending.values()].filter((p) => p.outTradeNo === outTradeNo);
    for (const p of ps) void this.attempt(p, { ...opts, once: true }, true);
    return ps.length;
  }

  /** Whether every notification of the order was acknowledged. */
  acknowledged(outTradeNo: string): boolean {
    const ps = [...this.pending.values()].filter((p) => p.outTradeNo === outTradeNo);
    return ps.length > 0 && ps.every((p) => p.done);
  }

  close(): void {
    this.closed = true;
    for (const p of this.pending.values()) clearTimeout(p.timer);
  }

  private async attempt(p: Pending, opts: SendOptions, extra: boolean): Promise<void> {
    if (this.closed) return;
    const attempt = ++p.attempt;
    let body = p.body;
    if (opts.corrupt === 'tag') {
      const parsed = JSON.parse(body) as { resource: { ciphertext: string } };
      const ct = Buffer.from(parsed.resource.ciphertext, 'base64');
      ct[ct.length - 1] = ct[ct.length - 1]! ^ 0x01;
      parsed.resource.ciphertext = ct.toString('base64');
      body = JSON.stringify(parsed);
    }
    const signer = this.state.signer();
    const ts = String(Math.floor(this.state.now() / 1000));
    const nonce = hexNonce();
    let signature = rsaSign(responseSigningString(ts, nonce, body), signer.keyPem);
    if (opts.corrupt === 'signature') {
      const sig = Buffer.from(signature, 'base64');
      sig[10] = sig[10]! ^ 0x01;
      signature = sig.toString('base64');
    }
    let status: number | 'error' = 'error';
    try {
      this.state.inFlight++;
      const res = await fetch(this.state.deliverTo(p.url), {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Wechatpay-Timestamp': ts,
          'Wechatpay-Nonce': nonce,
          'Wechatpay-Signature': signature,
          'Wechatpay-Serial': signer.serial,
          'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
          'Request-ID': crypto.randomUUID(),
        },
        body,
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer();
      status = res.status;
    } catch {
      status = 'error';
    } finally {
      this.state.inFlight--;
    }
    this.state.deliveries.push({
      notificationId: p.id,
      outTradeNo: p.outTradeNo,
      attempt,
      status,
      corrupted: opts.corrupt,
      at: Date.now(),
    });
    // Only the HTTP status counts: 2xx is success (a 200 with code FAIL too, as at WeChat Pay).
    if (typeof status === 'number' && status >= 200 && status < 300) {
      if (!opts.corrupt) p.done = true;
      return;
    }
    if (extra || opts.once || p.done || this.closed) return;
    const next = RESEND_SCHEDULE_S[attempt - 1];
    if (next === undefined) return;
    clearTimeout(p.timer);
    // Re-sends carry the genuine body and signature (a corrupted copy is a forgery, not WeChat's).
    p.timer = setTimeout(() => void this.attempt(p, {}, false), next * 1000 * this.state.scheduleScale);
  }
}
