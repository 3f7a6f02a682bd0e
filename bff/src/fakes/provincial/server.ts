import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../read-body';
import { FakeProvincialState, prpError, type FakeProvincialOptions, type PrpAnswer } from './state';

export interface FakeProvincial {
  /** Base URL to give an organization's connection (Platform_Url). */
  url: string;
  state: FakeProvincialState;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function send(res: http.ServerResponse, a: PrpAnswer): void {
  const text = JSON.stringify(a.body);
  res.writeHead(a.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Access-Control-Allow-Origin': '*',
  });
  res.end(text);
}

const parse = (text: string): Record<string, unknown> | undefined => {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** The platform APIs of docs/provincial-adapter.md, after the signature check and injected failures. */
function platformApi(
  s: FakeProvincialState,
  method: string,
  path: string,
  key: string,
  body: Record<string, unknown>,
) {
  const routes: Record<string, () => PrpAnswer> = {
    'GET /prp/v1/version': () => s.version(key),
    'POST /prp/v1/version': () => s.updateVersion(key, body),
    'GET /prp/v1/dictionary': () => ({
      status: 200,
      body: { code: 0, message: 'ok', data: s.dictionary() },
    }),
    'PUT /prp/v1/enterprise': () => s.putEnterprise(key, body),
    'POST /prp/v1/data': () => s.postData(key, body),
  };
  return routes[`${method} ${path}`]?.() ?? prpError(404, '接口不存在', undefined, 404);
}

/** Control endpoints for tests and demo mode (README.md). */
function control(
  s: FakeProvincialState,
  method: string,
  path: string,
  body: Record<string, unknown>,
): PrpAnswer {
  const ok = (data: unknown): PrpAnswer => ({ status: 200, body: { ok: true, data } });
  switch (`${method} ${path}`) {
    case 'POST /__fake/keys':
      if (typeof body.accessKey !== 'string' || typeof body.secret !== 'string')
        return { status: 400, body: { ok: false, message: 'accessKey and secret are required' } };
      s.keys.set(body.accessKey, body.secret);
      return ok({ accessKey: body.accessKey });
    case 'POST /__fake/fail':
      s.fail({
        times: typeof body.times === 'number' ? body.times : 1,
        status: typeof body.status === 'number' ? body.status : undefined,
        code: typeof body.code === 'number' ? body.code : undefined,
        path: typeof body.path === 'string' ? body.path : undefined,
        accessKey: typeof body.accessKey === 'string' ? body.accessKey : undefined,
      });
      return ok(null);
    case 'POST /__fake/dictionary_version':
      return ok({ dicVersion: s.bumpDictionary() });
    case 'GET /__fake/uploads':
      return ok({ uploads: s.uploads, figures: s.allFigures() });
    case 'GET /__fake/calls':
      return ok(s.calls);
    default:
      return { status: 404, body: { ok: false, message: 'unknown control endpoint' } };
  }
}

/** Starts the fake provincial platform on a local port (0 = a free one). */
export async function startFakeProvincial(
  opts: FakeProvincialOptions & { port?: number; host?: string } = {},
): Promise<FakeProvincial> {
  const state = new FakeProvincialState(opts);
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const method = (req.method ?? 'GET').toUpperCase();
      let text: string;
      try {
        text = await readBody(req, MAX_BODY);
      } catch {
        return send(res, prpError(2001, '请求体过大', undefined, 413));
      }
      const body = parse(text);
      if (url.pathname.startsWith('/__fake/')) {
        return send(res, control(state, method, url.pathname, body ?? {}));
      }
      const pathWithQuery = url.pathname + url.search;
      const auth = state.authenticate(method, pathWithQuery, req.headers as Record<string, string>, text);
      let answer: PrpAnswer;
      if (typeof auth !== 'string') answer = auth;
      else if (!body) answer = prpError(2001, '请求体不是 JSON 对象', undefined, 400);
      else
        answer =
          state.takeFailure(url.pathname, auth) ?? platformApi(state, method, url.pathname, auth, body);
      state.calls.push({
        method,
        path: url.pathname,
        status: answer.status,
        code: Number(answer.body.code ?? 0),
      });
      send(res, answer);
    })();
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
