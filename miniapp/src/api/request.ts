import { apiBase, DEFAULT_TIMEOUT_MS } from './config';
import { endpoints, type Endpoint } from './endpoints';
import { ApiError, describeFailure, isSessionExpired } from './errors';
import { readSession } from './session';
import { transport, TransportError, type HttpResponse } from './transport';
import { reloginOnce } from './relogin';

/** What a call sends: query parameters, a JSON body, and extra headers (Idempotency-Key). */
export interface CallInput {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A seed 002 answer: the `Data` list and `Total_Numbers`. */
export interface List002<T> {
  items: T[];
  total: number;
}

function queryString(query: CallInput['query']): string {
  const parts = Object.entries(query ?? {})
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

async function exchange(ep: Endpoint, input: CallInput, token: string | undefined): Promise<HttpResponse> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...input.headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await transport()({
      method: ep.method,
      url: `${apiBase}${ep.path}${queryString(input.query)}`,
      headers,
      body: ep.method === 'GET' ? undefined : (input.body ?? {}),
      timeoutMs: ep.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
  } catch (err) {
    if (err instanceof TransportError) {
      throw new ApiError(
        err.timedOut ? 'timeout' : 'network',
        err.timedOut
          ? `服务器 ${Math.round((ep.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} 秒内没有响应，请稍后重试`
          : '网络连接失败，请检查网络后重试',
      );
    }
    throw err;
  }
}

/** The command record a device command's failure refers to (seeds 000/001 `data.command_id`). */
function commandIdOf(ep: Endpoint, body: unknown): string | undefined {
  if (ep.envelope !== 'ems') return undefined;
  const data = (body as { data?: unknown }).data;
  const id = data && typeof data === 'object' ? (data as { command_id?: unknown }).command_id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** Reads the code out of either envelope; null when the body is not an envelope at all. */
function codeOf(
  ep: Endpoint,
  body: unknown,
): { ok: boolean; code: string | number; message?: string } | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as Record<string, unknown>;
  if (ep.envelope === '002' && typeof b.Err_No === 'string') {
    return {
      ok: b.Err_No === '0',
      code: b.Err_No,
      message: typeof b.Err_Msg === 'string' ? b.Err_Msg : undefined,
    };
  }
  if (ep.envelope === 'ems' && typeof b.code === 'number') {
    return { ok: b.code === 0, code: b.code, message: typeof b.message === 'string' ? b.message : undefined };
  }
  return null;
}

/** The field a 4xx names: seed 002 puts it in `Err_Detail.field`, seeds 000/001 in `data.field`. */
function fieldOf(ep: Endpoint, body: unknown): string | undefined {
  const b = body as Record<string, unknown>;
  const detail = ep.envelope === '002' ? b.Err_Detail : b.data;
  const field = detail && typeof detail === 'object' ? (detail as { field?: unknown }).field : undefined;
  return typeof field === 'string' ? field : undefined;
}

function failure(ep: Endpoint, res: HttpResponse): ApiError {
  const env = codeOf(ep, res.body);
  if (!env) {
    return new ApiError(
      'format',
      res.status >= 500 ? '服务器开小差了，请稍后再试' : '服务器返回的数据无法识别',
      undefined,
      res.status,
    );
  }
  const field = fieldOf(ep, res.body);
  return new ApiError(
    'api',
    describeFailure(ep.envelope, env.code, env.message, res.status),
    env.code,
    res.status,
    field,
    commandIdOf(ep, res.body),
  );
}

/**
 * Calls one endpoint and returns the unwrapped envelope body. A session that expired is renewed once
 * through WeChat (shared by every request waiting on it) and the call is repeated with the new token.
 */
export async function call(ep: Endpoint, input: CallInput = {}): Promise<unknown> {
  const token = ep.auth ? readSession()?.token : undefined;
  if (ep.auth && !token) {
    await reloginOnce();
    return callOnce(ep, input, readSession()?.token);
  }
  let res = await exchange(ep, input, token);
  const env = codeOf(ep, res.body);
  if (ep.auth && env && !env.ok && isSessionExpired(ep.envelope, env.code)) {
    await reloginOnce(token);
    res = await exchange(ep, input, readSession()?.token);
  }
  return unwrap(ep, res);
}

async function callOnce(ep: Endpoint, input: CallInput, token: string | undefined): Promise<unknown> {
  return unwrap(ep, await exchange(ep, input, token));
}

function unwrap(ep: Endpoint, res: HttpResponse): unknown {
  const env = codeOf(ep, res.body);
  if (!env || !env.ok || res.status >= 400) throw failure(ep, res);
  const b = res.body as Record<string, unknown>;
  if (ep.envelope === '002') {
    const items = Array.isArray(b.Data) ? b.Data : [];
    return { items, total: typeof b.Total_Numbers === 'number' ? b.Total_Numbers : items.length };
  }
  return b.data;
}

/** Seed 002 call answering a `Data` list. */
export async function call002<T>(ep: Endpoint, input?: CallInput): Promise<List002<T>> {
  return (await call(ep, input)) as List002<T>;
}

/** Seed 002 call whose `Data` holds one item. */
export async function callOne002<T>(ep: Endpoint, input?: CallInput): Promise<T> {
  const { items } = await call002<T>(ep, input);
  if (!items[0]) throw new ApiError('format', '服务器没有返回数据');
  return items[0];
}

/** The one `Data` item of a seed 002 answer that came another way (a file upload); throws its failure. */
export function oneOf002<T>(ep: Endpoint, res: HttpResponse): T {
  const { items } = unwrap(ep, res) as List002<T>;
  if (!items[0]) throw new ApiError('format', '服务器没有返回数据');
  return items[0];
}

/** Seed 000/001 (and extension) call answering `data`. */
export async function callEms<T>(ep: Endpoint, input?: CallInput): Promise<T> {
  return (await call(ep, input)) as T;
}

export { endpoints };
