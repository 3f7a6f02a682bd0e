import crypto from 'node:crypto';
import {
  devicesFor,
  localTime,
  pvPowerW,
  socPercent,
  totalWh,
  yieldWh,
  localDayStart,
  type FakePlant,
} from './solar';

/** The demo application (what `npm start` gives the BFF). */
export const DEMO_APP = {
  appkey: 'D3M0APPKEY0000000000000000000001',
  accessKey: 'd3m0accesskey0000000000000000001',
  appId: '1001',
};

export interface FakeUser {
  account: string;
  password: string;
  userId: number;
  /** The region (cloudId) the account lives in: another region's gateway does not know it. */
  region: number;
  psIds: number[];
}

export interface FakeIsolarOptions {
  now?: () => number;
  apps?: { appkey: string; accessKey: string; appId: string }[];
  /** Access-token lifetime (s), default 3600. */
  accessTtlSec?: number;
  /** Business calls per hour per application before E999 (default 10000). */
  hourlyLimit?: number;
  /** Where the token endpoints put the tokens: under `result_data` (the docs, default) or at the top level (pysolarcloud). */
  tokenShape?: 'result_data' | 'top';
}

type Body = Record<string, unknown>;
export type Answer = Record<string, unknown>;
/** A named API of the fake, as counted in `calls` and targeted by `fail`. */
export type FakeApi = 'login' | 'token' | 'refreshToken' | 'list' | 'realtime' | 'devices' | 'detail';

const ERROR_NAMES: Record<string, string> = {
  '002': 'er_missing_parameter:token',
  '003': 'er_missing_parameter:sys_code',
  '009': 'er_missing_parameter',
  '010': 'er_parameter_value_invalid',
  E00000: 'er_invalid_appkey',
  E00003: 'er_token_login_invalid',
  E900: 'unauthorized access',
  E911: 'missing x-access-key',
  E912: 'illegal x-access-key',
  E914: 'appkey and x-access-key mismatch',
  E916: 'login too frequently',
  E998: 'er_month_call_api_times_upper_limit',
  E999: 'er_hour_call_api_times_upper_limit',
  E996: 'api not found',
};
const serial = () => crypto.randomBytes(16).toString('hex');
/** §4.2 envelope. */
export const ok = (data: unknown): Answer => ({
  req_serial_num: serial(),
  result_code: '1',
  result_msg: 'success',
  result_data: data,
});
export const fail = (code: string, msg = ERROR_NAMES[code] ?? 'error'): Answer => ({
  req_serial_num: serial(),
  result_code: code,
  result_msg: msg,
  result_data: {},
});
/** Seed 003's failure example. */
const invalidToken = (): Answer => ({
  error: 'invalid_token',
  error_description: 'Invalid access token',
  req_serial_num: serial(),
});

interface Token {
  userId: number;
  appkey: string;
  region: number;
  expiresAt: number;
  mode: 'oauth' | 'legacy';
}

/** Everything the fake iSolarCloud knows; the HTTP server is a thin layer over it (see README.md). */
export class FakeIsolarState {
  readonly apps: Map<string, { appkey: string; accessKey: string; appId: string }>;
  readonly users = new Map<number, FakeUser>();
  readonly plants = new Map<number, FakePlant>();
  readonly calls: Record<string, number> = {};
  readonly now: () => number;
  accessTtlSec: number;
  hourlyLimit: number;
  tokenShape: 'result_data' | 'top';
  private readonly codes = new Map<
    string,
    { userId: number; appId: string; redirectUrl: string; region: number; expiresAt: number }
  >();
  private readonly tokens = new Map<string, Token>();
  private readonly refreshTokens = new Map<
    string,
    { userId: number; appkey: string; region: number; expiresAt: number }
  >();
  private readonly hourly = new Map<string, number>();
  private failures: { code: string; api?: FakeApi; times: number }[] = [];
  private nextUser = 90001;

  constructor(opts: FakeIsolarOptions = {}) {
    this.now = opts.now ?? (() => Date.now());
    this.apps = new Map((opts.apps ?? [DEMO_APP]).map((a) => [a.appkey, a]));
    this.accessTtlSec = opts.accessTtlSec ?? 3600;
    this.hourlyLimit = opts.hourlyLimit ?? 10_000;
    this.tokenShape = opts.tokenShape ?? 'result_data';
  }

  // ---- set-up (tests, the demo) ------------------------------------------------------------

  /** Adds an account with its plants (region = cloudId, default 1 China). */
  addUser(u: { account: string; password: string; region?: number; plants: FakePlant[] }): FakeUser {
    for (const p of u.plants) {
      this.plants.set(p.ps_id, p);
      totalWh(p, this.now()); // works out (and caches) the past days' yields now, not in the first call
    }
    const user: FakeUser = {
      account: u.account,
      password: u.password,
      userId: this.nextUser++,
      region: u.region ?? 1,
      psIds: u.plants.map((p) => p.ps_id),
    };
    this.users.set(user.userId, user);
    return user;
  }

  /** The owner approving the application on the authorize page: a single-use code for the redirect. */
  authorize(q: {
    applicationId: string;
    redirectUrl: string;
    account?: string;
    region?: number;
  }): { code: string; redirect: string } | null {
    const user = [...this.users.values()].find(
      (u) => (q.account ? u.account === q.account : true) && (q.region ? u.region === q.region : true),
    );
    if (!user || ![...this.apps.values()].some((a) => a.appId === q.applicationId)) return null;
    const code = crypto.randomBytes(4).toString('hex');
    this.codes.set(code, {
      userId: user.userId,
      appId: q.applicationId,
      redirectUrl: q.redirectUrl,
      region: user.region,
      expiresAt: this.now() + 600_000,
    });
    const sep = q.redirectUrl.includes('?') ? '&' : '?';
    return { code, redirect: `${q.redirectUrl}${sep}code=${code}` };
  }

  /** Every access token (and legacy token) expires now: the next call answers E00003. */
  expireTokens(): number {
    const now = this.now();
    for (const t of this.tokens.values()) t.expiresAt = Math.min(t.expiresAt, now - 1);
    return this.tokens.size;
  }

  /** The next `times` calls (of `api`, or any business call) answer `code`. */
  fail(code: string, times = 1, api?: FakeApi): void {
    this.failures.push({ code, api, times });
  }

  /** Business calls this application made in the current hour. */
  callsThisHour(appkey: string): number {
    return this.hourly.get(`${appkey}:${Math.floor(this.now() / 3_600_000)}`) ?? 0;
  }

  // ---- the APIs --------------------------------------------------------------------------

  /** Header and appkey checks every call passes first (§4.6 E911/E912/E914/E00000, 003 for sys_code). */
  private app(
    headers: Record<string, string>,
    body: Body,
    legacy: boolean,
  ): { error: Answer } | { appkey: string } {
    const key = headers['x-access-key'];
    if (!key) return { error: fail('E911') };
    const appkey = typeof body.appkey === 'string' ? body.appkey : '';
    if (!appkey) return { error: fail('001', 'er_missing_parameter:appkey') };
    const app = this.apps.get(appkey);
    if (!app) {
      return {
        error: [...this.apps.values()].some((a) => a.accessKey === key) ? fail('E00000') : fail('E912'),
      };
    }
    if (app.accessKey !== key) return { error: fail('E914') };
    if (legacy && headers.sys_code !== '901') return { error: fail('003') };
    return { appkey };
  }

  private injected(api: FakeApi): Answer | null {
    const i = this.failures.findIndex((f) => !f.api || f.api === api);
    if (i < 0) return null;
    const f = this.failures[i]!;
    if (--f.times <= 0) this.failures.splice(i, 1);
    return f.code === 'invalid_token' ? invalidToken() : fail(f.code);
  }

  private count(api: FakeApi, appkey: string): Answer | null {
    this.calls[api] = (this.calls[api] ?? 0) + 1;
    const key = `${appkey}:${Math.floor(this.now() / 3_600_000)}`;
    const n = (this.hourly.get(key) ?? 0) + 1;
    this.hourly.set(key, n);
    if (n > this.hourlyLimit) return fail('E999');
    return this.injected(api);
  }

  /** §4.3 `/openapi/login`. A wrong password is a *successful* envelope with login_state 0. */
  login(region: number, headers: Record<string, string>, body: Body): Answer {
    const a = this.app(headers, body, true);
    if ('error' in a) return a.error;
    const stop = this.count('login', a.appkey);
    if (stop) return stop;
    const user = [...this.users.values()].find((u) => u.account === body.user_account && u.region === region);
    const base = { token: null, user_id: null, err_times: 0, remain_times: 5, disable_time: null };
    if (!user) return ok({ ...base, login_state: '-1' });
    if (user.password !== body.user_password)
      return ok({ ...base, login_state: '0', err_times: 1, remain_times: 4 });
    const token = `${user.userId}_${crypto.randomBytes(16).toString('hex')}`;
    this.tokens.set(token, {
      userId: user.userId,
      appkey: a.appkey,
      region,
      expiresAt: this.now() + 86_400_000,
      mode: 'legacy',
    });
    return ok({
      ...base,
      login_state: '1',
      token,
      user_id: String(user.userId),
      user_name: user.account,
      user_account: user.account,
      language: '_zh_CN',
    });
  }

  /** §4.4 step 2 (`/openapi/apiManage/token`): result codes 2 invalid code, 4 invalid client, 5 redirect mismatch, 6 grant type. */
  token(region: number, headers: Record<string, string>, body: Body): Answer {
    const a = this.app(headers, body, false);
    if ('error' in a) return a.error;
    const stop = this.count('token', a.appkey);
    if (stop) return stop;
    if (body.grant_type !== 'authorization_code') return fail('6', 'grant type not supported');
    const code = this.codes.get(String(body.code ?? ''));
    if (!code || code.expiresAt < this.now() || code.region !== region) return fail('2', 'invalid code');
    if (this.apps.get(a.appkey)!.appId !== code.appId) return fail('4', 'invalid client');
    if (code.redirectUrl !== body.redirect_uri) return fail('5', 'redirect_uri mismatch');
    this.codes.delete(String(body.code));
    const user = this.users.get(code.userId)!;
    return ok({
      ...this.issue(user.userId, a.appkey, region),
      auth_ps_list: user.psIds.map(String),
      auth_user: user.account,
    });
  }

  /** §4.4 step 3: single-use refresh tokens, rotated on every refresh (result_data.code -2 / 5 otherwise). */
  refreshToken(region: number, headers: Record<string, string>, body: Body): Answer {
    const a = this.app(headers, body, false);
    if ('error' in a) return a.error;
    const stop = this.count('refreshToken', a.appkey);
    if (stop) return stop;
    const rt = this.refreshTokens.get(String(body.refresh_token ?? ''));
    if (!rt || rt.appkey !== a.appkey || rt.region !== region) return ok({ code: '5' });
    this.refreshTokens.delete(String(body.refresh_token));
    if (rt.expiresAt < this.now()) return ok({ code: '-2' });
    return this.tokenAnswer({ code: '1', ...this.issue(rt.userId, a.appkey, region) });
  }

  /** §4.4's two shapes: the tokens in `result_data` (docs) or beside the envelope fields (pysolarcloud). */
  private tokenAnswer(data: Record<string, unknown>): Answer {
    if (this.tokenShape === 'result_data') return ok(data);
    const { result_data: _, ...env } = ok({});
    return { ...env, ...data };
  }

  private issue(userId: number, appkey: string, region: number) {
    const access = crypto.randomBytes(20).toString('hex');
    const refresh = crypto.randomBytes(20).toString('hex');
    this.tokens.set(access, {
      userId,
      appkey,
      region,
      expiresAt: this.now() + this.accessTtlSec * 1000,
      mode: 'oauth',
    });
    this.refreshTokens.set(refresh, { userId, appkey, region, expiresAt: this.now() + 30 * 86_400_000 });
    return {
      access_token: access,
      refresh_token: refresh,
      expires_in: this.accessTtlSec,
      token_type: 'bearer',
    };
  }

  /**
   * A business call's caller: Bearer for the platform family, body `token` for the legacy one. An
   * unknown Bearer token is seed 003's `invalid_token`; an expired one E00003; legacy tokens slide to 24 h.
   */
  business(
    api: FakeApi,
    region: number,
    legacy: boolean,
    headers: Record<string, string>,
    body: Body,
  ): Answer | FakeUser {
    const a = this.app(headers, body, legacy);
    if ('error' in a) return a.error;
    let token: string;
    if (legacy) {
      token = typeof body.token === 'string' ? body.token : '';
      if (!token) return fail('002');
    } else {
      const m = /^Bearer (.+)$/i.exec(headers.authorization ?? '');
      if (!m) return invalidToken();
      token = m[1]!;
    }
    const t = this.tokens.get(token);
    if (!t || t.appkey !== a.appkey || t.mode !== (legacy ? 'legacy' : 'oauth'))
      return legacy ? fail('E00003') : invalidToken();
    if (t.region !== region) return fail('E00003');
    const stop = this.count(api, a.appkey);
    if (stop) return stop;
    if (t.expiresAt < this.now()) return fail('E00003');
    if (legacy) t.expiresAt = this.now() + 86_400_000;
    return this.users.get(t.userId)!;
  }

  /** queryPowerStationList / getPowerStationList: paging, ps_type / valid_flag / ps_name filters. */
  plantList(user: FakeUser, body: Body, legacy: boolean): Answer {
    const page = Number(legacy ? body.curPage : body.page);
    const size = Number(body.size);
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1) return fail('009');
    const types = String(body.ps_type ?? '')
      .split(',')
      .filter(Boolean)
      .map(Number);
    const flags = String(body.valid_flag ?? '1')
      .split(',')
      .filter(Boolean)
      .map(Number);
    const name = String(body.ps_name ?? '');
    const all = user.psIds
      .map((id) => this.plants.get(id)!)
      .filter(
        (p) =>
          (!types.length || types.includes(p.ps_type)) &&
          flags.includes(p.valid_flag) &&
          p.ps_name.includes(name),
      );
    const now = this.now();
    const pageList = all.slice((page - 1) * Math.min(size, 100), page * Math.min(size, 100)).map((p) => ({
      ps_id: p.ps_id,
      ps_name: p.ps_name,
      description: null,
      ps_type: p.ps_type,
      online_status: p.online_status,
      valid_flag: p.valid_flag,
      grid_connection_status: 1,
      install_date: p.install_date,
      ps_location: p.ps_location,
      // Strings as the table types them; the field names are the truth (the table swaps the descriptions).
      latitude: String(p.latitude),
      longitude: String(p.longitude),
      ps_fault_status: p.ps_fault_status,
      connect_type: 2,
      update_time: localTime(p, Math.floor(now / 300_000) * 300_000),
      ps_current_time_zone: `GMT+${p.tzHours}`,
      grid_connection_time: p.install_date,
      build_status: 2,
    }));
    // The platform family answers `rowCount` (the example), the legacy list `row_count` (the table).
    return ok(legacy ? { row_count: String(all.length), pageList } : { rowCount: all.length, pageList });
  }

  private points(p: FakePlant): Record<string, string | null> {
    // Values refresh every 5 minutes (§4.5): the figures of the last 5-minute mark.
    const t = Math.floor(this.now() / 300_000) * 300_000;
    const soc = socPercent(p, t);
    return {
      p83033: String(pvPowerW(p, t)),
      p83022: String(yieldWh(p, localDayStart(p, t), t)),
      p83024: String(totalWh(p, t)),
      p83252: soc === null ? null : String(soc),
    };
  }

  private static DICT = [
    { point_id: '83033', point_name: '电站功率', point_unit: 'W' },
    { point_id: '83022', point_name: '电站日发电量', point_unit: 'Wh' },
    { point_id: '83024', point_name: '电站累计发电量', point_unit: 'Wh' },
    { point_id: '83252', point_name: '电池SOC', point_unit: '%' },
  ];

  /** getPowerStationRealTimeData: plants outside the caller's authorisation come back in fail_ps_id_list. */
  realTime(user: FakeUser, body: Body): Answer {
    if (!Array.isArray(body.ps_id_list) || !body.ps_id_list.length) return fail('009');
    const ids = body.ps_id_list.map(Number);
    const mine = ids.filter((id) => user.psIds.includes(id));
    return ok({
      device_point_list: mine.map((id) => {
        const p = this.plants.get(id)!;
        return { ps_id: id, ps_key: `${id}_11_0_0`, ps_name: p.ps_name, uuid: id, ...this.points(p) };
      }),
      fail_ps_id_list: ids.filter((id) => !mine.includes(id)).map(String),
      point_dict: body.is_get_point_dict === '1' ? FakeIsolarState.DICT : undefined,
    });
  }

  /** Legacy getDeviceRealTimeData for the plant devices `{ps_id}_11_0_0` (device_type 11). */
  deviceRealTime(user: FakeUser, body: Body): Answer {
    if (Number(body.device_type) !== 11 || !Array.isArray(body.ps_key_list)) return fail('010');
    const keys = body.ps_key_list.map(String);
    const good = keys.filter((k) => user.psIds.includes(Number(k.split('_')[0])) && k.endsWith('_11_0_0'));
    return ok({
      device_point_list: good.map((k) => {
        const id = Number(k.split('_')[0]);
        const p = this.plants.get(id)!;
        return {
          device_point: {
            ps_key: k,
            ps_id: id,
            device_sn: '',
            device_name: p.ps_name,
            device_time: localTime(p, this.now()).replace(/[-: ]/g, ''),
            dev_status: 1,
            dev_fault_status: p.ps_fault_status === 1 ? 1 : 4,
            ...this.points(p),
          },
        };
      }),
      illegal_ps_key_list: keys.filter((k) => !good.includes(k)),
      point_dict: body.is_get_point_dict === '1' ? FakeIsolarState.DICT : undefined,
    });
  }

  /** getDeviceListByPsId / getDeviceList. */
  deviceList(user: FakeUser, body: Body, legacy: boolean): Answer {
    const id = Number(body.ps_id);
    const page = Number(legacy ? body.curPage : body.page);
    const size = Number(body.size);
    if (!user.psIds.includes(id)) return fail('010');
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1) return fail('009');
    const all = this.plants.get(id)!.devices;
    const pageList = all
      .slice((page - 1) * size, page * size)
      .map((d) => ({ ...d, uuid: `${d.ps_key}`, ps_id: id }));
    return ok(legacy ? { row_count: all.length, pageList } : { rowCount: all.length, pageList });
  }
}

/** A plant for tests: sensible defaults, a storage plant when `ps_type` is 5, 7 or 12. */
export function fakePlant(p: Partial<FakePlant> & { ps_id: number }): FakePlant {
  const type = p.ps_type ?? 3;
  const storage = [5, 7, 12].includes(type);
  return {
    ps_name: `电站${p.ps_id}`,
    ps_type: type,
    latitude: 31.82,
    longitude: 117.23,
    ps_location: '安徽省合肥市蜀山区',
    capacityKw: 500,
    batteryKwh: storage ? 1000 : undefined,
    ps_fault_status: 3,
    install_date: '2026-01-01 08:00:00',
    baseTotalKwh: 0,
    tzHours: 8,
    valid_flag: 1,
    online_status: 1,
    devices: devicesFor(p.ps_id, storage, (p.ps_fault_status ?? 3) === 1),
    ...p,
  };
}
