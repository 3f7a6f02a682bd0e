import type { Logger } from '../infra/logger';

export interface JsonCall {
  /** The operation's name in errors and logs. */
  api: string;
  /** The service's name in the log line (`<service> call failed`). */
  service: string;
  timeoutMs: number;
  log?: Logger;
  /** Which HTTP statuses carry an answer to read (default: 2xx). */
  answers?: (status: number) => boolean;
  /** The adapter's transport error: HTTP status, timeout, network failure, or an answer that is not JSON. */
  fail: (message: string, timedOut: boolean) => Error;
}

/** One HTTP call of a third-party adapter, with its timeout: the answer parsed as JSON. */
export async function fetchJson(url: string | URL, init: RequestInit, c: JsonCall): Promise<unknown> {
  const started = Date.now();
  let text: string;
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(c.timeoutMs) });
    text = await res.text();
    if (!(c.answers ?? ((s) => s >= 200 && s < 300))(res.status)) {
      throw Object.assign(c.fail(`HTTP ${res.status}`, false), { [HTTP_STATUS]: true });
    }
  } catch (err) {
    if ((err as { [HTTP_STATUS]?: boolean })[HTTP_STATUS]) throw err;
    const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
    c.log?.warn({ api: c.api, ms: Date.now() - started, timedOut }, `${c.service} call failed`);
    throw c.fail(timedOut ? `no answer within ${c.timeoutMs} ms` : (err as Error).message, timedOut);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw c.fail('answer is not JSON', false);
  }
}

/** Marks the error thrown for an HTTP status, so the catch above passes it on unchanged. */
const HTTP_STATUS = Symbol('http status');
