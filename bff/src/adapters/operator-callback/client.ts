import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { seedDatetime } from './signing';

/** One signed POST to an operator's callback, and what came back. */
export interface CallbackRequest {
  url: URL;
  /** The addresses the URL's host was checked against; the connection goes to the first (no second lookup). */
  addresses: { address: string; family: 4 | 6 }[];
  operatorId: string;
  /** A fresh value per attempt, signed like the seed's token (the operator may reject a repeated one). */
  token: string;
  /** The seed's `Signature` of (Datetime, OperatorId, Token) with the operator's secret. */
  sign: (datetime: string, operatorId: string, token: string) => string;
  at: Date;
  body: unknown;
  timeoutMs: number;
}

export type CallbackOutcome =
  | { ok: true; httpStatus: number; answer: string }
  | {
      ok: false;
      httpStatus: number | null;
      result: 'http_error' | 'refused' | 'network' | 'timeout';
      answer: string;
    };

const ANSWER_MAX = 500;

/**
 * Client of an operator's callback endpoints (seed 004: 处理上报失败, 处理请求上报充电过程数据, 安全预警接口):
 * JSON POST signed the seed's way (`Datetime`, `OperatorId`, `Token`, `Signature` headers), connected to
 * the checked address, no redirects followed, answer cut to 500 characters. Success: HTTP 2xx and, when
 * the answer is the seed's envelope, `status` 200.
 */
export async function postCallback(req: CallbackRequest): Promise<CallbackOutcome> {
  const datetime = seedDatetime(req.at);
  const payload = Buffer.from(JSON.stringify(req.body), 'utf8');
  const first = req.addresses[0];
  if (!first) return { ok: false, httpStatus: null, result: 'network', answer: 'no address' };
  const lookup: LookupFunction = (_host, opts, cb) => {
    if ((opts as { all?: boolean }).all)
      (cb as unknown as (e: null, a: typeof req.addresses) => void)(null, [first]);
    else cb(null, first.address, first.family);
  };
  const mod = req.url.protocol === 'https:' ? https : http;
  return new Promise<CallbackOutcome>((resolve) => {
    const r = mod.request(
      req.url,
      {
        method: 'POST',
        lookup,
        timeout: req.timeoutMs,
        headers: {
          'Content-Type': 'application/json;charset=utf-8',
          'Content-Length': payload.length,
          Datetime: datetime,
          OperatorId: req.operatorId,
          Token: req.token,
          Signature: req.sign(datetime, req.operatorId, req.token),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < 64 * 1024) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const answer = text.slice(0, ANSWER_MAX);
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300)
            return resolve({ ok: false, httpStatus: status, result: 'http_error', answer });
          let envelope: unknown = null;
          try {
            envelope = JSON.parse(text);
          } catch {
            envelope = null;
          }
          const s = (envelope as { status?: unknown } | null)?.status;
          if (typeof s === 'number' && s !== 200)
            return resolve({ ok: false, httpStatus: status, result: 'refused', answer });
          resolve({ ok: true, httpStatus: status, answer });
        });
        res.on('error', (err) =>
          resolve({ ok: false, httpStatus: null, result: 'network', answer: err.message }),
        );
      },
    );
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', (err) =>
      resolve({
        ok: false,
        httpStatus: null,
        result: err.message === 'timeout' ? 'timeout' : 'network',
        answer: err.message.slice(0, ANSWER_MAX),
      }),
    );
    r.end(payload);
  });
}
