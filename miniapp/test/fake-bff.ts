import type { HttpRequest, HttpResponse } from '../src/api/transport';

/** One scripted answer: a handler per "METHOD /path". */
export type Handler = (req: HttpRequest) => HttpResponse | Promise<HttpResponse>;

/** An in-memory BFF for component tests: routes by method + path, records every request. */
export function fakeBff(routes: Record<string, Handler>) {
  const requests: HttpRequest[] = [];
  const transport = async (req: HttpRequest): Promise<HttpResponse> => {
    requests.push(req);
    const url = new URL(req.url);
    const handler = routes[`${req.method} ${url.pathname}`];
    if (!handler) return { status: 404, body: { code: 100004, message: '接口不存在' } };
    return handler(req);
  };
  return { transport, requests };
}

export const ok002 = (data: unknown[]): HttpResponse => ({
  status: 200,
  body: { Err_No: '0', Err_Msg: 'ok', Data: data, Total_Numbers: data.length },
});
export const okEms = (data: unknown, message = '成功'): HttpResponse => ({
  status: 200,
  body: { code: 0, message, data },
});
