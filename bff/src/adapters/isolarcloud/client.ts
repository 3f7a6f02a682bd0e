import type { Redis } from 'ioredis';
import type { z } from 'zod';
import type { PvRegion } from '@wattdesk/shared';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import { IsolarCloudError, IsolarCloudTransportError } from './errors';
import { fetchJson } from '../http-json';
import { gatewayOf } from './gateways';
import {
  deviceRealTime,
  deviceRow,
  envelope,
  loginData,
  oauthError,
  pageOf,
  plantRealTime,
  plantRow,
  tokenData,
  type DeviceRow,
  type PlantRow,
} from './schemas';

/** The OpenAPI application (from the iSolarCloud developer portal). */
export interface IsolarApp {
  appkey: string;
  /** The application's Secret Key, sent as `x-access-key`. */
  accessKey: string;
  /** The OAuth `applicationId` of the authorize page. */
  appId: string;
}

/** What an organization holds to call iSolarCloud: OAuth tokens (§4.4) or a legacy login (§4.3). */
export type Credentials =
  | {
      mode: 'oauth';
      region: PvRegion;
      accessToken: string;
      refreshToken: string;
      /** Epoch ms at which the access token expires. */
      expiresAt: number;
      account: string | null;
      /** Bumped by every refresh or re-login (who renewed first is told by it). */
      version: number;
    }
  | {
      mode: 'legacy';
      region: PvRegion;
      account: string;
      password: string;
      token: string;
      version: number;
    };

/** Where the feature keeps each organization's credentials (encrypted, one renewal at a time). */
export interface CredentialStore {
  load(orgId: number): Promise<Credentials | null>;
  /**
   * Runs `fn` on the organization's current credentials while holding their lock (one holder across
   * every instance) and saves what it returns; `undefined` leaves them as they are.
   */
  renew(
    orgId: number,
    fn: (current: Credentials | null) => Promise<Credentials | undefined>,
  ): Promise<Credentials | null>;
}

export interface IsolarClientOptions {
  app: IsolarApp;
  /** Gateway overrides (`{cloudId}` filled in), e.g. the fake. */
  gateways?: { api?: string; web?: string };
  store: CredentialStore;
  redis: Redis;
  clock: Clock;
  log?: Logger;
  timeoutMs?: number;
  /** Calls per hour for this application across all organizations (ISOLARCLOUD_HOURLY_QUOTA). */
  hourlyQuota: number;
  /** Refresh an access token this long before it expires (default 300 s). */
  refreshMarginSec?: number;
}

/** A plant's live figures in base units as iSolarCloud gives them (W, Wh, %). */
export interface PlantLive {
  powerW: number | null;
  todayWh: number | null;
  totalWh: number | null;
  soc: number | null;
}

/**
 * Plant measuring points read (the "Common plant measuring points" of the developer portal; seed 003 and
 * §4.5 name 83022 daily yield; the others are the portal's plant power, total yield and battery SOC).
 */
export const POINTS = { power: '83033', today: '83022', total: '83024', soc: '83252' } as const;
const PS_TYPES = '1,3,4,5,6,7,8,9,12';
const VALID_FLAGS = '1,3';
const PAGE_SIZE = 100;
const REALTIME_BATCH = 50;
const HOUR_MS = 3_600_000;

type Json = Record<string, unknown>;

/** Paths of the two auth generations (OAuth = the platform family, legacy = the §4.3 list). */
const PATHS = {
  list: { oauth: '/openapi/platform/queryPowerStationList', legacy: '/openapi/getPowerStationList' },
  realtime: {
    oauth: '/openapi/platform/getPowerStationRealTimeData',
    legacy: '/openapi/getDeviceRealTimeData',
  },
  devices: { oauth: '/openapi/platform/getDeviceListByPsId', legacy: '/openapi/getDeviceList' },
} as const;

/**
 * The one client of the Sungrow iSolarCloud OpenAPI (external-apis.md §4, seed 003): both auth
 * generations, tokens per organization (kept by the feature's `CredentialStore`, renewed one at a
 * time across instances and once per process), a re-login code → renew and retry once, the hourly
 * call quota counted in Redis with a back-off after E998/E999, timeouts and zod-parsed answers.
 */
export class IsolarCloudClient {
  private readonly renewing = new Map<number, Promise<Credentials>>();

  constructor(private readonly opts: IsolarClientOptions) {}

  /** Points the client at other gateways and application (demo mode's fake). */
  pointAt(gateways: { api?: string; web?: string }, app?: IsolarApp): void {
    this.opts.gateways = gateways;
    if (app) this.opts.app = app;
  }

  /** §4.4 step 1: the page the plant owner approves the application on. */
  authorizeUrl(region: PvRegion, redirectUrl: string): string {
    const { web } = gatewayOf(region, this.opts.gateways);
    const q = `cloudId=${region}&applicationId=${encodeURIComponent(this.opts.app.appId)}&redirectUrl=${encodeURIComponent(redirectUrl)}`;
    return `${web}/#/authorized-app?${q}`;
  }

  /** §4.4 step 2: exchanges an authorization code for tokens (not yet stored). */
  async exchangeCode(region: PvRegion, code: string, redirectUri: string): Promise<Credentials> {
    const json = await this.post(region, 'token', '/openapi/apiManage/token', this.keyHeaders(), {
      appkey: this.opts.app.appkey,
      code,
      grant_type: 'authorization_code',
      redirect_uri: redirectUri,
      token_scope_mode: 'global',
    }).catch((err: unknown) => {
      // The token endpoint's own result codes: 2 invalid code, 3 unauthorized, 4 invalid client, 5 redirect_uri mismatch, 6 grant type.
      if (err instanceof IsolarCloudError && ['2', '3', '5', '6'].includes(err.code))
        throw new IsolarCloudError('token', err.code, err.msg, 'invalid_code');
      if (err instanceof IsolarCloudError && err.code === '4')
        throw new IsolarCloudError('token', err.code, err.msg, 'credentials');
      throw err;
    });
    const t = this.tokens('token', json);
    if (!t.refresh_token) throw new IsolarCloudTransportError('token', 'answer carries no refresh_token');
    return {
      mode: 'oauth',
      region,
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresAt: this.now() + t.expires_in * 1000,
      account: t.auth_user == null ? null : String(t.auth_user),
      version: 0,
    };
  }

  /** §4.3: logs in with an account and password; `login_state` must be 1 and a token present. */
  async login(region: PvRegion, account: string, password: string): Promise<Credentials> {
    const json = await this.post(region, 'login', '/openapi/login', this.legacyHeaders(), {
      appkey: this.opts.app.appkey,
      user_account: account,
      user_password: password,
      lang: '_zh_CN',
      login_type: '1',
    });
    const d = this.parse('login', loginData, json.result_data);
    if (d.login_state !== '1' || !d.token)
      throw new IsolarCloudError(
        'login',
        `login_state ${d.login_state}`,
        loginStateText(d.login_state),
        'login_failed',
      );
    return { mode: 'legacy', region, account, password, token: d.token, version: 0 };
  }

  /** Every authorised plant (all pages). */
  async listPlants(orgId: number): Promise<PlantRow[]> {
    const out: PlantRow[] = [];
    for (let page = 1; ; page++) {
      const r = await this.authed(orgId, 'list', (mode) => ({
        [mode === 'oauth' ? 'page' : 'curPage']: page,
        size: PAGE_SIZE,
        ps_type: PS_TYPES,
        valid_flag: VALID_FLAGS,
      }));
      const { total, rows } = this.parse('list', pageOf(plantRow), r.result_data);
      out.push(...rows);
      if (!rows.length || out.length >= total || page >= 1000) return out;
    }
  }

  /** Live power, today's and total yield and SOC of plants (batched; values in W / Wh / %). */
  async realTime(orgId: number, psIds: number[]): Promise<Map<number, PlantLive>> {
    const out = new Map<number, PlantLive>();
    const points = Object.values(POINTS);
    for (let i = 0; i < psIds.length; i += REALTIME_BATCH) {
      const batch = psIds.slice(i, i + REALTIME_BATCH);
      const r = await this.authed(orgId, 'realtime', (mode) =>
        mode === 'oauth'
          ? { ps_id_list: batch.map(String), point_id_list: points, is_get_point_dict: '1' }
          : {
              device_type: 11,
              ps_key_list: batch.map((id) => `${id}_11_0_0`),
              point_id_list: points,
              is_get_point_dict: '1',
            },
      );
      const rows =
        r.mode === 'oauth'
          ? (() => {
              const d = this.parse('realtime', plantRealTime, r.result_data);
              return { list: (d.device_point_list ?? []) as Json[], dict: d.point_dict ?? [] };
            })()
          : (() => {
              const d = this.parse('realtime', deviceRealTime, r.result_data);
              return {
                list: (d.device_point_list ?? []).map((x) => x.device_point as Json),
                dict: d.point_dict ?? [],
              };
            })();
      const unit = new Map(rows.dict.map((p) => [p.point_id, (p.point_unit ?? '').trim()]));
      for (const row of rows.list) {
        const v = (id: string) => inBaseUnit(row[`p${id}`], unit.get(id));
        out.set(Number(row.ps_id), {
          powerW: v(POINTS.power),
          todayWh: v(POINTS.today),
          totalWh: v(POINTS.total),
          soc: v(POINTS.soc),
        });
      }
    }
    return out;
  }

  /** A plant's devices with their fault state (all pages). */
  async devices(orgId: number, psId: number): Promise<DeviceRow[]> {
    const out: DeviceRow[] = [];
    for (let page = 1; ; page++) {
      const r = await this.authed(orgId, 'devices', (mode) => ({
        ps_id: String(psId),
        [mode === 'oauth' ? 'page' : 'curPage']: page,
        size: PAGE_SIZE,
      }));
      const { total, rows } = this.parse('devices', pageOf(deviceRow), r.result_data);
      out.push(...rows);
      if (!rows.length || out.length >= total || page >= 100) return out;
    }
  }

  /** Calls counted in the current hour (of the configured `hourlyQuota`). */
  async callsThisHour(): Promise<number> {
    return Number((await this.opts.redis.get(this.countKey())) ?? 0);
  }

  get hourlyQuota(): number {
    return this.opts.hourlyQuota;
  }

  // ---------------------------------------------------------------------------------------------

  /** A business call with the organization's token: renewed when due, and once more after a re-login code. */
  private async authed(
    orgId: number,
    api: keyof typeof PATHS,
    body: (mode: Credentials['mode']) => Json,
  ): Promise<{ mode: Credentials['mode']; result_data: unknown }> {
    let creds = await this.opts.store.load(orgId);
    if (!creds) throw new IsolarCloudError(api, 'not_connected', '未连接 iSolarCloud', 'not_connected');
    if (this.due(creds)) creds = await this.renew(orgId, creds);
    try {
      return await this.callWith(creds, api, body);
    } catch (err) {
      if (!(err instanceof IsolarCloudError) || err.reason !== 'token_invalid') throw err;
      this.opts.log?.info({ api, orgId, code: err.code }, 'isolarcloud token refused: renewing once');
      creds = await this.renew(orgId, creds, true);
      return this.callWith(creds, api, body);
    }
  }

  private async callWith(
    creds: Credentials,
    api: keyof typeof PATHS,
    body: (mode: Credentials['mode']) => Json,
  ): Promise<{ mode: Credentials['mode']; result_data: unknown }> {
    const common = { appkey: this.opts.app.appkey, lang: '_zh_CN' };
    const json =
      creds.mode === 'oauth'
        ? await this.post(
            creds.region,
            api,
            PATHS[api].oauth,
            { ...this.keyHeaders(), Authorization: `Bearer ${creds.accessToken}` },
            { ...common, ...body('oauth') },
          )
        : await this.post(
            creds.region,
            api,
            PATHS[api].legacy,
            { ...this.legacyHeaders(), token: creds.token },
            { ...common, token: creds.token, ...body('legacy') },
          );
    return { mode: creds.mode, result_data: json.result_data };
  }

  private due(c: Credentials): boolean {
    return c.mode === 'oauth' && c.expiresAt - (this.opts.refreshMarginSec ?? 300) * 1000 <= this.now();
  }

  /**
   * One renewal at a time: in this process one promise per organization; across instances the store's
   * lock. Whoever holds the lock first checks whether another holder already renewed the credentials
   * it saw (the version moved on): then it takes theirs instead of spending a single-use refresh token.
   */
  private renew(orgId: number, seen: Credentials, refused = false): Promise<Credentials> {
    const running = this.renewing.get(orgId);
    if (running) return running;
    const p = this.opts.store
      .renew(orgId, async (cur) => {
        if (!cur) throw new IsolarCloudError('renew', 'not_connected', '未连接 iSolarCloud', 'not_connected');
        const movedOn = cur.version !== seen.version || cur.mode !== seen.mode;
        if (movedOn && !this.due(cur)) return undefined;
        if (!movedOn && !refused && !this.due(cur)) return undefined;
        const next =
          cur.mode === 'oauth'
            ? await this.refresh(cur)
            : await this.login(cur.region, cur.account, cur.password);
        return { ...next, version: cur.version + 1 } as Credentials;
      })
      .then((c) => {
        if (!c) throw new IsolarCloudError('renew', 'not_connected', '未连接 iSolarCloud', 'not_connected');
        return c;
      })
      .finally(() => this.renewing.delete(orgId));
    this.renewing.set(orgId, p);
    return p;
  }

  /** §4.4 step 3: a new access token; the single-use refresh token rotates (kept when none comes back). */
  private async refresh(cur: Extract<Credentials, { mode: 'oauth' }>): Promise<Credentials> {
    const json = await this.post(
      cur.region,
      'refreshToken',
      '/openapi/apiManage/refreshToken',
      this.keyHeaders(),
      {
        appkey: this.opts.app.appkey,
        refresh_token: cur.refreshToken,
      },
    );
    const merged = mergeTokenShapes(json);
    const status = merged.code == null ? '1' : String(merged.code);
    if (status !== '1' || typeof merged.access_token !== 'string')
      throw new IsolarCloudError('refreshToken', `code ${status}`, refreshCodeText(status), 'reauthorize');
    const t = this.tokens('refreshToken', json);
    this.opts.log?.info(
      { api: 'refreshToken', expiresIn: t.expires_in, rotated: Boolean(t.refresh_token) },
      'isolarcloud token refreshed',
    );
    return {
      ...cur,
      accessToken: t.access_token,
      refreshToken: t.refresh_token ?? cur.refreshToken,
      expiresAt: this.now() + t.expires_in * 1000,
    };
  }

  private tokens(api: string, json: Json) {
    return this.parse(api, tokenData, mergeTokenShapes(json));
  }

  private keyHeaders(): Record<string, string> {
    return { 'x-access-key': this.opts.app.accessKey };
  }

  private legacyHeaders(): Record<string, string> {
    return { 'x-access-key': this.opts.app.accessKey, sys_code: '901' };
  }

  private now = () => this.opts.clock.now().getTime();
  private countKey = () => `isolarcloud:calls:${this.opts.app.appkey}:${Math.floor(this.now() / HOUR_MS)}`;
  private backoffKey = () => `isolarcloud:backoff:${this.opts.app.appkey}`;

  /** Refuses a call while backing off or past the hourly quota; otherwise counts it. */
  private async admit(api: string): Promise<void> {
    const until = Number((await this.opts.redis.get(this.backoffKey())) ?? 0);
    if (until > this.now())
      throw new IsolarCloudError(api, 'backoff', `back off until ${new Date(until).toISOString()}`, 'quota');
    const key = this.countKey();
    const n = await this.opts.redis.incr(key);
    if (n === 1) await this.opts.redis.pexpire(key, 2 * HOUR_MS);
    if (n > this.opts.hourlyQuota)
      throw new IsolarCloudError(
        api,
        'hourly_quota',
        `over ${this.opts.hourlyQuota} calls this hour`,
        'quota',
      );
  }

  /** After E999 (hour) wait for the next hour, after E998 (month) a day, after E901 a minute. */
  private async backOff(code: string): Promise<void> {
    const now = this.now();
    const until =
      code === 'E999'
        ? (Math.floor(now / HOUR_MS) + 1) * HOUR_MS
        : code === 'E998'
          ? now + 24 * HOUR_MS
          : now + 60_000;
    await this.opts.redis.set(this.backoffKey(), String(until), 'PX', Math.max(until - now, 1000));
    this.opts.log?.warn(
      { code, until: new Date(until).toISOString() },
      'isolarcloud quota reached: backing off',
    );
  }

  /** One HTTP POST: quota, timeout, JSON, the OAuth error shape and the envelope's result_code. */
  private async post(
    region: PvRegion,
    api: string,
    path: string,
    headers: Record<string, string>,
    body: Json,
  ): Promise<Json> {
    await this.admit(api);
    const url = gatewayOf(region, this.opts.gateways).api + path;
    const started = Date.now();
    const json = await fetchJson(
      url,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json;charset=UTF-8', ...headers },
        body: JSON.stringify(body),
      },
      {
        api,
        service: 'isolarcloud',
        timeoutMs: this.opts.timeoutMs ?? 10_000,
        log: this.opts.log,
        // A 401 carries the OAuth error answer read below.
        answers: (s) => (s >= 200 && s < 300) || s === 401,
        fail: (message, timedOut) => new IsolarCloudTransportError(api, message, timedOut),
      },
    );
    const oauth = oauthError.safeParse(json);
    if (oauth.success) {
      this.opts.log?.warn({ api, error: oauth.data.error }, 'isolarcloud oauth error');
      throw new IsolarCloudError(api, oauth.data.error, oauth.data.error_description ?? '');
    }
    const env = envelope.safeParse(json);
    // The token endpoints may answer the tokens at the top level, without the envelope (pysolarcloud).
    if (!env.success) {
      if (json && typeof json === 'object' && 'access_token' in json) return json as Json;
      throw new IsolarCloudTransportError(api, 'answer is not the documented envelope');
    }
    if (env.data.result_code !== '1') {
      const code = env.data.result_code;
      this.opts.log?.warn(
        { api, code, msg: env.data.result_msg, ms: Date.now() - started },
        'isolarcloud error',
      );
      if (['E998', 'E999', 'E901'].includes(code)) await this.backOff(code);
      throw new IsolarCloudError(api, code, env.data.result_msg ?? '');
    }
    return json as Json;
  }

  private parse<S extends z.ZodType>(api: string, schema: S, value: unknown): z.output<S> {
    const r = schema.safeParse(value);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new IsolarCloudTransportError(
        api,
        `unexpected answer at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`,
      );
    }
    return r.data;
  }
}

/** §4.4 discrepancy: tokens under `result_data` (docs) or at the top level (pysolarcloud): both read. */
function mergeTokenShapes(json: Json): Json {
  const inner = json.result_data && typeof json.result_data === 'object' ? (json.result_data as Json) : {};
  const top = Object.fromEntries(
    Object.entries(json).filter(([k]) => k !== 'result_data' && k !== 'result_code'),
  );
  return { ...top, ...inner };
}

/** A point value in W / Wh / % from the unit iSolarCloud names (base units when it names none). */
function inBaseUnit(raw: unknown, unit: string | undefined): number | null {
  if (raw === null || raw === undefined || raw === '' || raw === '--') return null;
  const n = Number(raw);
  if (!Number.isFinite(n)) return null;
  const factor: Record<string, number> = { kW: 1e3, kWh: 1e3, MW: 1e6, MWh: 1e6, GWh: 1e9 };
  return n * (factor[unit ?? ''] ?? 1);
}

function loginStateText(state: string): string {
  const t: Record<string, string> = {
    '-1': 'account does not exist',
    '0': 'wrong password',
    '2': 'locked after wrong passwords',
    '5': 'locked by admin',
  };
  return t[state] ?? 'login failed';
}

function refreshCodeText(code: string): string {
  const t: Record<string, string> = {
    '2': 'no auth info',
    '-1': 'auth-server refresh failed',
    '-2': 'refresh_token expired',
    '4': 'invalid request',
    '5': 'invalid refresh token',
  };
  return t[code] ?? 'refresh refused';
}
