import crypto from 'node:crypto';
import { encryptOpenData, randomKey16 } from '../../adapters/wechat/crypto';
import { checkSubscribeData } from './subscribe-values';
import { FakeTokens } from './tokens';
import { wxError, type WxBody } from './wx-error';

export { wxError, type WxBody };

/** Which API an injected failure applies to. */
export type FakeApi = 'jscode2session' | 'token' | 'stable_token' | 'send' | 'phone';

export interface FakeWeChatOptions {
  /** Mini-programs the fake knows (appid → secret). */
  apps?: Record<string, string>;
  /** Template ids `subscribe/send` accepts; others get 40037. */
  templates?: string[];
  /** Milliseconds since the epoch; tests pass a manual clock. */
  now?: () => number;
  /** access_token lifetime (WeChat: 7200). */
  tokenTtlSec?: number;
}

interface FakeUser {
  openid: string;
  unionid?: string;
  sessionKey: string;
  blocked: boolean;
  minute: number;
  exchangesThisMinute: number;
  /** template id → remaining one-time authorisations (Infinity for long-term). */
  subscriptions: Map<string, number>;
}
interface CodeEntry {
  openid: string;
  sessionKey: string;
  issuedAt: number;
  used: boolean;
}
interface PhoneEntry {
  appid: string;
  openid: string;
  phoneNumber: string;
  issuedAt: number;
  used: boolean;
}
/** A subscribe message the fake accepted. */
export interface SentMessage {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogram_state?: string;
  lang?: string;
  sent_at: number;
}

export const DEMO_APPID = 'wxd0e0m0o0a0p0p0i0';
export const DEMO_SECRET = 'demo-wechat-app-secret-0000000000';
export const DEMO_TEMPLATE = 'WD_ALARM_TEMPLATE_DEMO';
const CODE_TTL_MS = 5 * 60_000;
const EXCHANGES_PER_MINUTE = 100;

const randomCode = () => crypto.randomBytes(16).toString('hex');

/** Everything the fake WeChat remembers, and the rules of each API (external-apis.md §1). */
export class FakeWeChatState {
  readonly apps: Map<string, string>;
  readonly templates: Set<string>;
  readonly now: () => number;
  private readonly users = new Map<string, FakeUser>();
  private readonly codes = new Map<string, CodeEntry>();
  private readonly tokens: FakeTokens;
  private readonly phoneCodes = new Map<string, PhoneEntry>();
  private readonly failures = new Map<FakeApi, Array<{ errcode: number; delayMs: number }>>();
  readonly messages: SentMessage[] = [];
  readonly calls: Record<FakeApi, number> = {
    jscode2session: 0,
    token: 0,
    stable_token: 0,
    send: 0,
    phone: 0,
  };

  constructor(opts: FakeWeChatOptions = {}) {
    this.apps = new Map(Object.entries(opts.apps ?? { [DEMO_APPID]: DEMO_SECRET }));
    this.templates = new Set(opts.templates ?? [DEMO_TEMPLATE]);
    this.now = opts.now ?? Date.now;
    this.tokens = new FakeTokens(this.now, (opts.tokenTtlSec ?? 7200) * 1000);
  }

  /** Test control: what `wx.login()` does on a phone; a new session_key each time, like a real re-login. */
  login(
    openid = `o${crypto.randomBytes(14).toString('base64url')}`,
    unionid?: string,
  ): { code: string; openid: string } {
    const user = this.user(openid);
    if (unionid) user.unionid = unionid;
    user.sessionKey = randomKey16();
    const code = randomCode();
    this.codes.set(code, { openid, sessionKey: user.sessionKey, issuedAt: this.now(), used: false });
    return { code, openid };
  }

  /** Test control: encrypts `data` (+ watermark) with the session_key of a login code or of a user's latest login. */
  encrypt(
    by: { code?: string; openid?: string },
    data: Record<string, unknown>,
    appid: string,
  ): { encryptedData: string; iv: string } | null {
    const key = by.code
      ? this.codes.get(by.code)?.sessionKey
      : by.openid
        ? this.users.get(by.openid)?.sessionKey
        : undefined;
    if (!key) return null;
    const iv = randomKey16();
    const watermark = data.watermark ?? { appid, timestamp: Math.floor(this.now() / 1000) };
    return { encryptedData: encryptOpenData({ ...data, watermark }, key, iv), iv };
  }

  /** Test control: block a user (40226) or grant subscribe authorisations (wx.requestSubscribeMessage). */
  setUser(
    openid: string,
    change: { blocked?: boolean; subscribe?: string[]; times?: number; refuse?: string[] },
  ) {
    const user = this.user(openid);
    if (change.blocked !== undefined) user.blocked = change.blocked;
    for (const t of change.subscribe ?? [])
      user.subscriptions.set(t, (user.subscriptions.get(t) ?? 0) + (change.times ?? 1));
    for (const t of change.refuse ?? []) user.subscriptions.delete(t);
    return { openid, blocked: user.blocked, subscriptions: Object.fromEntries(user.subscriptions) };
  }

  /** Test control: a code for the getPhoneNumber button (§1(e)). */
  phoneCode(openid: string, phoneNumber: string, appid: string): string {
    const code = randomCode() + randomCode();
    this.phoneCodes.set(code, { appid, openid, phoneNumber, issuedAt: this.now(), used: false });
    return code;
  }

  /** Test control: the next `times` calls of `api` answer `errcode` (or wait `delayMs` first, for timeouts). */
  fail(api: FakeApi, errcode: number, times = 1, delayMs = 0): void {
    const list = this.failures.get(api) ?? [];
    for (let i = 0; i < times; i++) list.push({ errcode, delayMs });
    this.failures.set(api, list);
  }

  /** Counts a call and returns the failure injected for it, if any. */
  take(api: FakeApi): { errcode: number; delayMs: number } | undefined {
    this.calls[api]++;
    return this.failures.get(api)?.shift();
  }

  private user(openid: string): FakeUser {
    let u = this.users.get(openid);
    if (!u) {
      u = {
        openid,
        sessionKey: randomKey16(),
        blocked: false,
        minute: 0,
        exchangesThisMinute: 0,
        subscriptions: new Map(),
      };
      this.users.set(openid, u);
    }
    return u;
  }

  private credentials(appid: unknown, secret: unknown): WxBody | null {
    if (!appid) return wxError(41002, 'appid missing');
    if (!secret) return wxError(41004, 'appsecret missing');
    if (!this.apps.has(String(appid))) return wxError(40013, 'invalid appid');
    if (this.apps.get(String(appid)) !== secret) return wxError(40125, 'invalid appsecret');
    return null;
  }

  /** GET /sns/jscode2session */
  code2Session(q: Record<string, string | undefined>): WxBody {
    const bad = this.credentials(q.appid, q.secret);
    if (bad) return bad;
    if (!q.js_code) return wxError(41008, 'missing code');
    if (q.grant_type !== 'authorization_code') return wxError(40002, 'invalid grant_type');
    const entry = this.codes.get(q.js_code);
    if (!entry || this.now() - entry.issuedAt > CODE_TTL_MS) return wxError(40029, 'invalid code');
    if (entry.used) return wxError(40163, 'code been used');
    const user = this.user(entry.openid);
    if (user.blocked) return wxError(40226, 'code blocked');
    const minute = Math.floor(this.now() / 60_000);
    if (user.minute !== minute) Object.assign(user, { minute, exchangesThisMinute: 0 });
    if (++user.exchangesThisMinute > EXCHANGES_PER_MINUTE)
      return wxError(45011, 'api minute-quota reach limit  mustslower  retry next minute');
    entry.used = true;
    return {
      openid: user.openid,
      session_key: entry.sessionKey,
      ...(user.unionid ? { unionid: user.unionid } : {}),
    };
  }

  /** GET /cgi-bin/token: each call replaces the previous token, which keeps working for 5 minutes. */
  basicToken(q: Record<string, string | undefined>): WxBody {
    if (q.grant_type !== 'client_credential') return wxError(40002, 'invalid grant_type');
    const bad = this.credentials(q.appid, q.secret);
    if (bad) return bad;
    return this.tokens.basic(q.appid!);
  }

  /** POST /cgi-bin/stable_token: the same token while valid, a new one in its last 5 minutes or when forced. */
  stableToken(body: Record<string, unknown>): WxBody {
    if (body.grant_type !== 'client_credential') return wxError(40002, 'invalid grant_type');
    const bad = this.credentials(body.appid, body.secret);
    if (bad) return bad;
    if (body.force_refresh !== undefined && typeof body.force_refresh !== 'boolean')
      return wxError(47001, 'data format error');
    return this.tokens.stable(String(body.appid), body.force_refresh === true);
  }

  /** POST /cgi-bin/message/subscribe/send */
  send(token: string | undefined, body: Record<string, unknown>): WxBody {
    const app = this.tokens.check(token);
    if ('error' in app) return app.error;
    const touser = body.touser;
    if (typeof touser !== 'string' || !touser || !this.users.has(touser))
      return wxError(40003, 'invalid openid');
    if (typeof body.template_id !== 'string' || !this.templates.has(body.template_id))
      return wxError(40037, 'invalid template_id');
    const state = body.miniprogram_state;
    if (state !== undefined && !['developer', 'trial', 'formal'].includes(String(state)))
      return wxError(47003, 'argument invalid! miniprogram_state invalid');
    if (body.lang !== undefined && !['zh_CN', 'en_US', 'zh_HK', 'zh_TW'].includes(String(body.lang)))
      return wxError(47003, 'argument invalid! lang invalid');
    if (body.page !== undefined && (typeof body.page !== 'string' || body.page.length > 1024))
      return wxError(41030, 'invalid page');
    const dataError = checkSubscribeData(body.data);
    if (dataError) return wxError(47003, dataError);
    const user = this.users.get(touser)!;
    const left = user.subscriptions.get(body.template_id) ?? 0;
    if (left <= 0) return wxError(43101, 'user refuse to accept the msg');
    user.subscriptions.set(body.template_id, left - 1);
    this.messages.push({ ...(body as Omit<SentMessage, 'sent_at'>), sent_at: this.now() });
    return { errcode: 0, errmsg: 'ok', msgid: Date.now() };
  }

  /** POST /wxa/business/getuserphonenumber */
  phone(token: string | undefined, body: Record<string, unknown>): WxBody {
    const app = this.tokens.check(token);
    if ('error' in app) return app.error;
    const entry = typeof body.code === 'string' ? this.phoneCodes.get(body.code) : undefined;
    if (!entry || entry.used || entry.appid !== app.appid || this.now() - entry.issuedAt > CODE_TTL_MS)
      return wxError(40029, 'invalid code');
    if (body.openid !== undefined && body.openid !== entry.openid) return wxError(40029, 'invalid code');
    entry.used = true;
    const pure = entry.phoneNumber.replace(/^\+86/, '');
    return {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: entry.phoneNumber,
        purePhoneNumber: pure,
        countryCode: 86,
        watermark: { timestamp: Math.floor(this.now() / 1000), appid: entry.appid },
      },
    };
  }
}
