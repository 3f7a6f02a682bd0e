/** What the gateway answered, as the delivery worker needs it. */
export type SmsOutcome =
  { ok: true; messageId: string } | { ok: false; retryable: boolean; code: string; message: string };

export interface SmsMessage {
  phone: string;
  params: Record<string, string>;
}

export interface SmsClientOptions {
  baseUrl: string;
  apiKey: string;
  sign: string;
  template: string;
  timeoutMs?: number;
}

/** Gateway variable limit (Aliyun / Tencent: 35 characters per template parameter). */
export const SMS_PARAM_MAX = 35;
const cut = (v: string) =>
  [...v].length > SMS_PARAM_MAX ? [...v].slice(0, SMS_PARAM_MAX - 1).join('') + '…' : v;

/** Client of the SMS gateway contract in ./README.md: timeouts, parameter limits, answer → outcome. */
export class SmsClient {
  constructor(private readonly opts: SmsClientOptions) {}

  async send(msg: SmsMessage): Promise<SmsOutcome> {
    const params = Object.fromEntries(Object.entries(msg.params).map(([k, v]) => [k, cut(v)]));
    let res: Response;
    try {
      res = await fetch(`${this.opts.baseUrl.replace(/\/+$/, '')}/v1/sms/send`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${this.opts.apiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          phone: msg.phone,
          sign: this.opts.sign,
          template: this.opts.template,
          params,
        }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000),
      });
    } catch (err) {
      return { ok: false, retryable: true, code: 'TRANSPORT', message: (err as Error).message };
    }
    const body = (await res.json().catch(() => ({}))) as {
      code?: string;
      message?: string;
      message_id?: string;
    };
    if (res.ok && body.code === 'OK') return { ok: true, messageId: String(body.message_id ?? '') };
    return {
      ok: false,
      retryable: res.status === 429 || res.status >= 500,
      code: body.code ?? `HTTP_${res.status}`,
      message: body.message ?? '',
    };
  }
}
