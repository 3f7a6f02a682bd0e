import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../read-body';
import { FakeWeChatState, wxError, type FakeApi, type FakeWeChatOptions, type WxBody } from './state';

export interface FakeWeChat {
  /** Base URL to give the WeChat client (instead of https://api.weixin.qq.com). */
  url: string;
  state: FakeWeChatState;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
const APIS: FakeApi[] = ['jscode2session', 'token', 'stable_token', 'send', 'phone'];

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Access-Control-Allow-Origin': '*',
  });
  res.end(text);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The WeChat APIs, answered as WeChat does: HTTP 200 with a JSON body, errors as `{errcode, errmsg}`. */
async function wechatApi(
  state: FakeWeChatState,
  method: string,
  path: string,
  q: Record<string, string>,
  body: Record<string, unknown>,
): Promise<WxBody> {
  const route: Record<string, [string, FakeApi, () => WxBody]> = {
    '/sns/jscode2session': ['GET', 'jscode2session', () => state.code2Session(q)],
    '/cgi-bin/token': ['GET', 'token', () => state.basicToken(q)],
    '/cgi-bin/stable_token': ['POST', 'stable_token', () => state.stableToken(body)],
    '/cgi-bin/message/subscribe/send': ['POST', 'send', () => state.send(q.access_token, body)],
    '/wxa/business/getuserphonenumber': ['POST', 'phone', () => state.phone(q.access_token, body)],
  };
  const hit = route[path];
  if (!hit || hit[0] !== method) return wxError(40066, 'invalid url');
  const injected = state.take(hit[1]);
  if (injected?.delayMs) await sleep(injected.delayMs);
  if (injected && injected.errcode !== 0)
    return wxError(injected.errcode, injected.errcode === -1 ? 'system error' : 'injected error');
  return hit[2]();
}

/** Test-control endpoints (`/__fake/...`): what a phone does, and what the fake saw. See README.md here. */
function control(
  state: FakeWeChatState,
  method: string,
  path: string,
  q: Record<string, string>,
  body: Record<string, unknown>,
): [number, unknown] {
  const appid = typeof body.appid === 'string' ? body.appid : [...state.apps.keys()][0]!;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  switch (`${method} ${path}`) {
    case 'POST /__fake/login':
      return [200, state.login(str(body.openid), str(body.unionid))];
    case 'POST /__fake/encrypt': {
      if (!body.data || typeof body.data !== 'object') return [400, { error: 'data (object) is required' }];
      const out = state.encrypt(
        { code: str(body.code), openid: str(body.openid) },
        body.data as Record<string, unknown>,
        appid,
      );
      return out ? [200, out] : [404, { error: 'unknown code / openid: call /__fake/login first' }];
    }
    case 'POST /__fake/user':
      if (!str(body.openid)) return [400, { error: 'openid is required' }];
      return [
        200,
        state.setUser(body.openid as string, {
          blocked: typeof body.blocked === 'boolean' ? body.blocked : undefined,
          subscribe: Array.isArray(body.subscribe) ? body.subscribe.map(String) : undefined,
          times: typeof body.times === 'number' ? body.times : undefined,
          refuse: Array.isArray(body.refuse) ? body.refuse.map(String) : undefined,
        }),
      ];
    case 'POST /__fake/phone_code':
      if (!str(body.openid) || !str(body.phoneNumber))
        return [400, { error: 'openid and phoneNumber are required' }];
      return [200, { code: state.phoneCode(body.openid as string, body.phoneNumber as string, appid) }];
    case 'POST /__fake/fail': {
      const api = body.api as FakeApi;
      if (!APIS.includes(api) || typeof body.errcode !== 'number')
        return [400, { error: `api (${APIS.join('|')}) and errcode (number) are required` }];
      state.fail(api, body.errcode, Number(body.times ?? 1), Number(body.delay_ms ?? 0));
      return [200, { ok: true }];
    }
    case 'GET /__fake/messages':
      return [200, { messages: state.messages.filter((m) => !q.openid || m.touser === q.openid) }];
    case 'GET /__fake/calls':
      return [200, { calls: state.calls }];
    case 'GET /__fake/info':
      return [200, { appids: [...state.apps.keys()], templates: [...state.templates] }];
    default:
      return [404, { error: `no such control endpoint: ${method} ${path}` }];
  }
}

/** Starts the fake WeChat server (external-apis.md §1) on `port` (0 = any free port). */
export async function startFakeWeChat(
  opts: FakeWeChatOptions & { port?: number; host?: string } = {},
): Promise<FakeWeChat> {
  const state = new FakeWeChatState(opts);
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
      let body: Record<string, unknown> = {};
      try {
        const text = await readBody(req, MAX_BODY);
        if (text) body = JSON.parse(text) as Record<string, unknown>;
        if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
      } catch {
        return send(res, 200, wxError(47001, 'data format error'));
      }
      const q = Object.fromEntries(url.searchParams);
      if (url.pathname.startsWith('/__fake/')) {
        const [status, out] = control(state, req.method ?? 'GET', url.pathname, q, body);
        return send(res, status, out);
      }
      send(res, 200, await wechatApi(state, req.method ?? 'GET', url.pathname, q, body));
    })().catch((err: Error) => send(res, 500, { error: err.message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1'}:${port}`,
    state,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
