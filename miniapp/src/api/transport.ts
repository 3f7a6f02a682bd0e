import Taro from '@tarojs/taro';

/** One HTTP exchange, as the request wrapper sees it. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}
export interface HttpResponse {
  status: number;
  body: unknown;
}

/** Raised when no HTTP answer arrived at all (offline, DNS, timeout). */
export class TransportError extends Error {
  constructor(readonly timedOut: boolean) {
    super(timedOut ? 'timeout' : 'network');
  }
}

/** Sends a request through Taro (wx.request in the mini-program, fetch in H5). */
export async function taroTransport(req: HttpRequest): Promise<HttpResponse> {
  try {
    const res = await Taro.request({
      method: req.method,
      url: req.url,
      header: req.headers,
      data: req.body as Record<string, unknown> | undefined,
      timeout: req.timeoutMs,
      dataType: 'json',
    });
    return { status: res.statusCode, body: res.data };
  } catch (err) {
    const text = String(
      (err as { errMsg?: string; message?: string })?.errMsg ?? (err as Error)?.message ?? '',
    );
    // H5 aborts a request at its timeout (an AbortError); nothing else aborts ours, so abort = timeout.
    const aborted = (err as { name?: string })?.name === 'AbortError';
    throw new TransportError(aborted || /timeout|超时|abort/i.test(text));
  }
}

let current: (req: HttpRequest) => Promise<HttpResponse> = taroTransport;

/** The transport in use; component tests swap it for an in-memory server. */
export function transport(): (req: HttpRequest) => Promise<HttpResponse> {
  return current;
}

/** Replaces the transport (tests only). */
export function setTransport(next: (req: HttpRequest) => Promise<HttpResponse>): void {
  current = next;
}
