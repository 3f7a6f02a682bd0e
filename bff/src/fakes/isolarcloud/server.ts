import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fail, FakeIsolarState, type Answer, type FakeApi, type FakeIsolarOptions } from './state';

export interface FakeIsolarCloud {
  /** Base URL; region `n`'s gateway is `${url}/r${n}` (the bare URL is region 1). */
  url: string;
  /** ISOLARCLOUD_API_BASE / ISOLARCLOUD_WEB_BASE to give the BFF. */
  apiBase: string;
  webBase: string;
  state: FakeIsolarState;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
const API_NAMES: FakeApi[] = ['login', 'token', 'refreshToken', 'list', 'realtime', 'devices', 'detail'];

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else parts.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json; charset=utf-8',
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(text),
    'Access-Control-Allow-Origin': '*',
  });
  res.end(text);
}

/** The OpenAPI endpoints (§4.3–§4.5), all POST with JSON; business errors are HTTP 200. */
function openApi(
  s: FakeIsolarState,
  region: number,
  path: string,
  headers: Record<string, string>,
  body: Record<string, unknown>,
): Answer {
  const biz = (
    api: FakeApi,
    legacy: boolean,
    fn: (u: Exclude<ReturnType<FakeIsolarState['business']>, Answer>) => Answer,
  ) => {
    const who = s.business(api, region, legacy, headers, body);
    return 'userId' in who ? fn(who as never) : (who as Answer);
  };
  switch (path) {
    case '/openapi/login':
      return s.login(region, headers, body);
    case '/openapi/apiManage/token':
      return s.token(region, headers, body);
    case '/openapi/apiManage/refreshToken':
      return s.refreshToken(region, headers, body);
    case '/openapi/platform/queryPowerStationList':
      return biz('list', false, (u) => s.plantList(u, body, false));
    case '/openapi/getPowerStationList':
      return biz('list', true, (u) => s.plantList(u, body, true));
    case '/openapi/platform/getPowerStationRealTimeData':
      return biz('realtime', false, (u) => s.realTime(u, body));
    case '/openapi/getDeviceRealTimeData':
      return biz('realtime', true, (u) => s.deviceRealTime(u, body));
    case '/openapi/platform/getDeviceListByPsId':
      return biz('devices', false, (u) => s.deviceList(u, body, false));
    case '/openapi/getDeviceList':
      return biz('devices', true, (u) => s.deviceList(u, body, true));
    default:
      return fail('E996');
  }
}

/** Control endpoints (`/__fake/...`) for tests, the demo and the H5 app; see README.md. */
function control(
  s: FakeIsolarState,
  method: string,
  path: string,
  body: Record<string, unknown>,
): [number, unknown] {
  switch (`${method} ${path}`) {
    case 'POST /__fake/expire_tokens':
      return [200, { ok: true, expired: s.expireTokens() }];
    case 'POST /__fake/fail': {
      const code = typeof body.code === 'string' ? body.code : '';
      const api = body.api as FakeApi | undefined;
      if (!code || (api !== undefined && !API_NAMES.includes(api)))
        return [400, { error: `code (string) is required; api, when given, one of ${API_NAMES.join('|')}` }];
      s.fail(code, Number(body.times ?? 1), api);
      return [200, { ok: true }];
    }
    case 'POST /__fake/authorize': {
      const redirectUrl = typeof body.redirectUrl === 'string' ? body.redirectUrl : '';
      if (!redirectUrl) return [400, { error: 'redirectUrl is required' }];
      const out = s.authorize({
        applicationId:
          typeof body.applicationId === 'string' ? body.applicationId : [...s.apps.values()][0]!.appId,
        redirectUrl,
        account: typeof body.account === 'string' ? body.account : undefined,
        region: typeof body.cloudId === 'number' ? body.cloudId : Number(body.cloudId ?? 0) || undefined,
      });
      return out ? [200, out] : [404, { error: 'no such application or account' }];
    }
    case 'POST /__fake/quota':
      if (typeof body.hourly !== 'number' || body.hourly < 0)
        return [400, { error: 'hourly (number) is required' }];
      s.hourlyLimit = body.hourly;
      return [200, { ok: true }];
    case 'GET /__fake/calls':
      return [200, { calls: s.calls }];
    case 'GET /__fake/info':
      return [
        200,
        {
          apps: [...s.apps.values()].map((a) => ({ appkey: a.appkey, appId: a.appId })),
          accounts: [...s.users.values()].map((u) => ({
            account: u.account,
            region: u.region,
            plants: u.psIds,
          })),
        },
      ];
    default:
      return [404, { error: `no such control endpoint: ${method} ${path}` }];
  }
}

/** The authorize page (§4.4 step 1): the owner taps 同意授权 and the browser goes to the redirect URL with `?code=`. */
const AUTHORIZE_PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>iSolarCloud 授权（模拟）</title>
<style>body{font-family:sans-serif;max-width:420px;margin:40px auto;padding:0 16px}button{width:100%;padding:12px;font-size:16px;background:#1677ff;color:#fff;border:0;border-radius:6px}p.err{color:#c00}</style>
</head><body><h2>iSolarCloud 第三方应用授权（模拟）</h2><p id="what">加载中…</p><button id="ok">同意授权</button><p id="err" class="err"></p>
<script>
const h=location.hash.replace(/^#\\/authorized-app\\??/,'');const q=new URLSearchParams(h);
const app=q.get('applicationId'),redirectUrl=q.get('redirectUrl'),cloudId=q.get('cloudId');
document.getElementById('what').textContent=app&&redirectUrl?'应用 '+app+' 申请读取您的电站数据。':'授权链接不完整';
document.getElementById('ok').onclick=async()=>{const base=location.pathname.replace(/\\/r\\d+\\/web\\/?$|\\/web\\/?$/,'');
const r=await fetch(base+'/__fake/authorize',{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify({applicationId:app,redirectUrl,cloudId:Number(cloudId)})});
const j=await r.json();if(!r.ok){document.getElementById('err').textContent='授权失败：'+(j.error||r.status);return;}location.href=j.redirect;};
</script></body></html>`;

/** Starts the fake iSolarCloud (external-apis.md §4, seed 003) on `port` (0 = any free port). */
export async function startFakeIsolarCloud(
  opts: FakeIsolarOptions & { port?: number; host?: string } = {},
): Promise<FakeIsolarCloud> {
  const state = new FakeIsolarState(opts);
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': 'Content-Type',
        });
        return res.end();
      }
      const m = /^\/r(\d+)(\/.*)?$/.exec(url.pathname);
      const region = m ? Number(m[1]) : 1;
      const path = m ? (m[2] ?? '/') : url.pathname;
      if (req.method === 'GET' && /^\/web\/?$/.test(path))
        return send(res, 200, AUTHORIZE_PAGE, 'text/html; charset=utf-8');
      let body: Record<string, unknown> = {};
      try {
        const text = await readBody(req);
        if (text) body = JSON.parse(text) as Record<string, unknown>;
        if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
      } catch {
        return send(res, 200, fail('010'));
      }
      if (path.startsWith('/__fake/')) {
        const [status, out] = control(state, req.method ?? 'GET', path, body);
        return send(res, status, out);
      }
      if (req.method !== 'POST') return send(res, 200, fail('E996'));
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0]! : (v ?? '')]),
      );
      send(res, 200, openApi(state, region, path, headers, body));
    })().catch((err: Error) => send(res, 500, { error: err.message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1'}:${port}`;
  return {
    url,
    apiBase: `${url}/r{cloudId}`,
    webBase: `${url}/r{cloudId}/web`,
    state,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
