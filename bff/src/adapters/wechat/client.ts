import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import { fetchJson } from '../http-json';
import { WeChatApiError, WeChatTransportError } from './errors';
import {
  errorBody,
  phoneBody,
  sendBody,
  sessionBody,
  tokenBody,
  type Code2Session,
  type PhoneInfo,
} from './schemas';

/** Where the client sends requests and with which mini-program credentials. */
export interface WeChatTarget {
  baseUrl: string;
  appid: string;
  secret: string;
}

export interface WeChatClientOptions extends WeChatTarget {
  redis: Redis;
  clock: Clock;
  log?: Logger;
  /** Per-request timeout (default 5 s). */
  timeoutMs?: number;
  /** Refresh the access token this long before it expires (default 300 s, WeChat's own overlap). */
  refreshMarginSec?: number;
}

/** A subscribe message (§1(d)); `data` maps keys such as `thing1` to their values. */
export interface SubscribeMessage {
  touser: string;
  templateId: string;
  data: Record<string, string>;
  page?: string;
  miniprogramState?: 'developer' | 'trial' | 'formal';
  lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW';
}

type CachedToken = { token: string; refreshAt: number; expiresAt: number };

const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Client for the WeChat mini-program server APIs (external-apis.md §1). Owns timeouts, one retry on
 * "system busy", response parsing with zod, and the access token: cached in Redis, refreshed before it
 * expires, by one caller at a time across every instance (a Redis lock) and every request (one promise).
 */
export class WeChatClient {
  private target: WeChatTarget;
  private refreshing?: Promise<string>;

  constructor(private readonly opts: WeChatClientOptions) {
    this.target = { baseUrl: opts.baseUrl, appid: opts.appid, secret: opts.secret };
  }

  /** The mini-program's appid (checked against every decrypted watermark). */
  get appid(): string {
    return this.target.appid;
  }

  /** The server the client talks to (WeChat, or demo mode's fake). */
  get baseUrl(): string {
    return this.target.baseUrl;
  }

  /** Points the client at another server and credentials (demo mode's in-process fake). */
  pointAt(target: WeChatTarget): void {
    this.target = { ...target, baseUrl: target.baseUrl.replace(/\/+$/, '') };
    this.refreshing = undefined;
  }

  /** §1(a): exchanges a `wx.login` code for the user's openid and session_key. */
  async code2Session(jsCode: string): Promise<Code2Session> {
    const { appid, secret } = this.target;
    const body = await this.call('jscode2session', 'GET', '/sns/jscode2session', sessionBody, {
      query: { appid, secret, js_code: jsCode, grant_type: 'authorization_code' },
    });
    return { openid: body.openid, sessionKey: body.session_key, unionid: body.unionid };
  }

  /** §1(e): the phone number behind a getPhoneNumber button code. */
  async getPhoneNumber(code: string, openid?: string): Promise<PhoneInfo> {
    const body = await this.withToken((token) =>
      this.call('getuserphonenumber', 'POST', '/wxa/business/getuserphonenumber', phoneBody, {
        query: { access_token: token },
        json: { code, ...(openid ? { openid } : {}) },
      }),
    );
    const p = body.phone_info;
    return { phoneNumber: p.phoneNumber, purePhoneNumber: p.purePhoneNumber, countryCode: p.countryCode };
  }

  /** §1(d): sends a subscribe message (alarm push). */
  async sendSubscribeMessage(msg: SubscribeMessage): Promise<void> {
    const data = Object.fromEntries(Object.entries(msg.data).map(([k, value]) => [k, { value }]));
    await this.withToken((token) =>
      this.call('subscribe.send', 'POST', '/cgi-bin/message/subscribe/send', sendBody, {
        query: { access_token: token },
        json: {
          touser: msg.touser,
          template_id: msg.templateId,
          data,
          ...(msg.page ? { page: msg.page } : {}),
          ...(msg.miniprogramState ? { miniprogram_state: msg.miniprogramState } : {}),
          ...(msg.lang ? { lang: msg.lang } : {}),
        },
      }),
    );
  }

  /** §1(c): a valid access token (getStableAccessToken), from the Redis cache when it is not due for refresh. */
  async accessToken(): Promise<string> {
    const cached = await this.readToken();
    if (cached && cached.refreshAt > this.now()) return cached.token;
    this.refreshing ??= this.refreshToken().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** Runs an API call with the access token; a token WeChat calls invalid is dropped and the call retried once. */
  private async withToken<T>(fn: (token: string) => Promise<T>): Promise<T> {
    const token = await this.accessToken();
    try {
      return await fn(token);
    } catch (err) {
      if (!(err instanceof WeChatApiError) || err.reason !== 'token_invalid') throw err;
      await this.dropToken(token);
      return fn(await this.accessToken());
    }
  }

  private now = () => this.opts.clock.now().getTime();
  private tokenKey = () => `wechat:token:${this.target.appid}`;

  private async readToken(): Promise<CachedToken | null> {
    const raw = await this.opts.redis.get(this.tokenKey());
    if (!raw) return null;
    const t = JSON.parse(raw) as CachedToken;
    return t.expiresAt > this.now() ? t : null;
  }

  private async dropToken(token: string): Promise<void> {
    const cached = await this.readToken();
    if (cached?.token === token) await this.opts.redis.del(this.tokenKey());
  }

  /** One refresh at a time across instances: whoever holds the lock fetches; the others wait for its result. */
  private async refreshToken(): Promise<string> {
    const lockKey = `${this.tokenKey()}:lock`;
    const owner = crypto.randomUUID();
    const deadline = Date.now() + (this.opts.timeoutMs ?? 5000) * 3;
    while (Date.now() < deadline) {
      if (await this.opts.redis.set(lockKey, owner, 'PX', (this.opts.timeoutMs ?? 5000) * 2, 'NX')) {
        try {
          const again = await this.readToken();
          if (again && again.refreshAt > this.now()) return again.token;
          return await this.fetchToken();
        } finally {
          await this.opts.redis.eval(RELEASE_LOCK, 1, lockKey, owner);
        }
      }
      await sleep(50);
      const fresh = await this.readToken();
      if (fresh && fresh.refreshAt > this.now()) return fresh.token;
    }
    throw new WeChatTransportError('stable_token', 'timed out waiting for the access token refresh', true);
  }

  private async fetchToken(): Promise<string> {
    const { appid, secret } = this.target;
    const body = await this.call('stable_token', 'POST', '/cgi-bin/stable_token', tokenBody, {
      json: { grant_type: 'client_credential', appid, secret, force_refresh: false },
      retryTransport: true,
    });
    const now = this.now();
    const ttlMs = body.expires_in * 1000;
    const margin = (this.opts.refreshMarginSec ?? 300) * 1000;
    // A token handed out inside WeChat's own overlap window is used for half its remaining life.
    const value: CachedToken = {
      token: body.access_token,
      refreshAt: now + Math.max(ttlMs - margin, ttlMs / 2),
      expiresAt: now + ttlMs,
    };
    await this.opts.redis.set(this.tokenKey(), JSON.stringify(value), 'PX', ttlMs);
    this.opts.log?.info({ api: 'stable_token', expiresIn: body.expires_in }, 'wechat access token refreshed');
    return value.token;
  }

  /** One HTTP call: timeout, one retry on -1 (and on transport errors when asked), errcode → typed error, zod parse. */
  private async call<S extends z.ZodType>(
    api: string,
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    req: { query?: Record<string, string>; json?: unknown; retryTransport?: boolean },
  ): Promise<z.output<S>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(api, method, path, schema, req);
      } catch (err) {
        const retry =
          attempt === 1 &&
          ((err instanceof WeChatApiError && err.reason === 'busy') ||
            (err instanceof WeChatTransportError && req.retryTransport));
        if (!retry) throw err;
        await sleep(100);
      }
    }
  }

  private async once<S extends z.ZodType>(
    api: string,
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    req: { query?: Record<string, string>; json?: unknown },
  ): Promise<z.output<S>> {
    const url = new URL(this.target.baseUrl.replace(/\/+$/, '') + path);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const started = Date.now();
    const json = await fetchJson(
      url,
      {
        method,
        headers: req.json !== undefined ? { 'Content-Type': 'application/json' } : undefined,
        body: req.json !== undefined ? JSON.stringify(req.json) : undefined,
      },
      {
        api,
        service: 'wechat',
        timeoutMs: this.opts.timeoutMs ?? 5000,
        log: this.opts.log,
        fail: (message, timedOut) => new WeChatTransportError(api, message, timedOut),
      },
    );
    const failed = errorBody.safeParse(json);
    if (failed.success && failed.data.errcode !== 0) {
      this.opts.log?.warn({ api, errcode: failed.data.errcode, ms: Date.now() - started }, 'wechat error');
      throw new WeChatApiError(api, failed.data.errcode, failed.data.errmsg ?? '');
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new WeChatTransportError(
        api,
        `unexpected answer: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
      );
    }
    return parsed.data;
  }
}
