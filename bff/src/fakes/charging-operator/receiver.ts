import http from 'node:http';
import type { AddressInfo } from 'node:net';
import crypto from 'node:crypto';

/**
 * Seed 004's signature, written here from the contract (not the app's code), so the fake catches a
 * platform that signs the wrong string: base64(HMAC-SHA256(secret, "datetime: …\noperatorid: …\ntoken: …")).
 */
function signatureMatches(
  secret: string,
  h: { datetime: string; operatorId: string; token: string; signature: string },
): boolean {
  const text = `datetime: ${h.datetime}\noperatorid: ${h.operatorId}\ntoken: ${h.token}`;
  const want = Buffer.from(crypto.createHmac('sha256', secret).update(text, 'utf8').digest('base64'));
  const got = Buffer.from(h.signature);
  return want.length === got.length && crypto.timingSafeEqual(want, got);
}

/** One call the fake operator received. */
export interface ReceivedCall {
  path: string;
  headers: { datetime: string; operatorId: string; token: string; signature: string };
  /** Whether `Signature` verified with the operator's secret. */
  signed: boolean;
  body: unknown;
}

/**
 * A charging operator's callback endpoints (seed 004 处理上报失败, 处理请求上报充电过程数据, 安全预警接口) as
 * an operator implements them: verifies the platform's signature with the operator's secret (401 and
 * `{status: 401}` when it does not match), answers `{status: 200, message, data}`, and can be told to
 * fail the next calls with HTTP 500.
 */
export class FakeOperatorReceiver {
  readonly calls: ReceivedCall[] = [];
  private failNext = 0;
  private readonly listeners: { path: string; fn: (call: ReceivedCall) => void }[] = [];
  private server?: http.Server;

  /** `keep`: how many calls to remember (the oldest are dropped; demo mode runs for days). */
  constructor(
    private readonly secret: string,
    private readonly keep = Infinity,
  ) {}

  /** Runs `fn` after a signed call to `path` was answered 200 (what the operator does next, e.g. re-report). */
  on(path: string, fn: (call: ReceivedCall) => void): void {
    this.listeners.push({ path, fn });
  }

  /** The next `n` calls answer HTTP 500 (still recorded). */
  fail(n: number): void {
    this.failNext = n;
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const h = (k: string) => String(req.headers[k] ?? '');
        const headers = {
          datetime: h('datetime'),
          operatorId: h('operatorid'),
          token: h('token'),
          signature: h('signature'),
        };
        let body: unknown = null;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = null;
        }
        const signed = signatureMatches(this.secret, headers);
        const call: ReceivedCall = { path: req.url ?? '', headers, signed, body };
        this.calls.push(call);
        if (this.calls.length > this.keep) this.calls.splice(0, this.calls.length - this.keep);
        res.setHeader('Content-Type', 'application/json');
        if (!signed) {
          res.statusCode = 401;
          return res.end(JSON.stringify({ status: 401, message: '签名错误', data: null }));
        }
        if (this.failNext > 0) {
          this.failNext -= 1;
          res.statusCode = 500;
          return res.end(JSON.stringify({ status: 500, message: '系统繁忙', data: null }));
        }
        res.end(JSON.stringify({ status: 200, message: '请求成功!', data: '处理成功!' }));
        const path = call.path.split('?')[0];
        for (const l of this.listeners) if (l.path === path) l.fn(call);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
