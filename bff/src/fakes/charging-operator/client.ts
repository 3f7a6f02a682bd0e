import crypto from 'node:crypto';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `yyyy-MM-dd HH:mm:ss` of an instant in a zone (what seed 004's Datetime header carries). */
export function operatorDatetime(d: Date, tz: string): string {
  let f = formatters.get(tz);
  if (!f)
    formatters.set(
      tz,
      (f = new Intl.DateTimeFormat('en-CA', {
        timeZone: tz,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      })),
    );
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** The seed 004 envelope. */
export interface OperatorAnswer<T = unknown> {
  httpStatus: number;
  status: number;
  message: string;
  data: T;
}

export interface OperatorClientOptions {
  baseUrl: string;
  operatorId: string;
  secret: string;
  timeZone?: string;
  now?: () => Date;
  /** Per-request timeout (ms). */
  timeoutMs?: number;
}

/**
 * An operator's (桩企) client of the platform, written from seed 004 alone: signs every call with
 * base64(HMAC-SHA256(secret, "datetime: …\noperatorid: …\ntoken: …")), fetches a token first and
 * renews it ten minutes before it expires (or when a call answers 401 with code 4002).
 */
export class OperatorClient {
  private token = '';
  private tokenUntil = 0;
  constructor(private readonly o: OperatorClientOptions) {}

  private now = () => (this.o.now ? this.o.now() : new Date());

  private headers(token: string): Record<string, string> {
    const datetime = operatorDatetime(this.now(), this.o.timeZone ?? 'Asia/Shanghai');
    const signature = crypto
      .createHmac('sha256', this.o.secret)
      .update(`datetime: ${datetime}\noperatorid: ${this.o.operatorId}\ntoken: ${token}`, 'utf8')
      .digest('base64');
    return {
      Datetime: datetime,
      OperatorId: this.o.operatorId,
      Signature: signature,
      ...(token ? { Token: token } : {}),
    };
  }

  private async send<T>(method: string, path: string, headers: Record<string, string>, body?: unknown) {
    const res = await fetch(new URL(path, this.o.baseUrl), {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
    });
    const json = (await res.json().catch(() => ({}))) as { status?: number; message?: string; data?: T };
    return {
      httpStatus: res.status,
      status: json.status ?? res.status,
      message: json.message ?? '',
      data: json.data as T,
    };
  }

  /** GET /platform/management/operatorAPIToken */
  async fetchToken(): Promise<string> {
    const a = await this.send<string>('GET', '/platform/management/operatorAPIToken', this.headers(''));
    if (a.status !== 200 || typeof a.data !== 'string')
      throw new Error(`token refused: ${a.status} ${a.message}`);
    const ttl = 7200_000;
    this.token = a.data;
    this.tokenUntil = this.now().getTime() + ttl - 600_000;
    return a.data;
  }

  /** A signed call with the current token (fetched or renewed as needed). */
  async call<T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<OperatorAnswer<T>> {
    if (!this.token || this.now().getTime() >= this.tokenUntil) await this.fetchToken();
    let a = await this.send<T>(method, path, this.headers(this.token), body);
    const code = (a.data as { code?: number } | null)?.code;
    if (a.httpStatus === 401 && code === 4002) {
      await this.fetchToken();
      a = await this.send<T>(method, path, this.headers(this.token), body);
    }
    return a;
  }
}
