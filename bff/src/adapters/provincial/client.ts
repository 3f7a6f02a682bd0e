import crypto from 'node:crypto';
import { prpBaseInfos, prpVersion } from '@wattdesk/shared';
import { z } from 'zod';
import type { Clock } from '../../infra/clock';
import type {
  DataRow,
  Exchange,
  Outcome,
  PlatformItem,
  PlatformTarget,
  ProvincialPlatform,
} from './platform';

/**
 * The `wd-prp/1` provincial platform contract (docs/provincial-adapter.md): paths, signing, body shapes,
 * error codes and which failures are worth retrying. This file is the only code that knows them; a
 * province's real specification replaces it (and the fake in bff/src/fakes/provincial/).
 */

export const PRP_PATHS = {
  version: '/prp/v1/version',
  dictionary: '/prp/v1/dictionary',
  enterprise: '/prp/v1/enterprise',
  data: '/prp/v1/data',
} as const;

/** Platform answer codes that a new attempt (re-signed) may get past. */
const RETRYABLE_CODES = new Set([1002, 1003, 5000, 5030]);

/** The canonical text a request's signature covers (docs/provincial-adapter.md "Signing"). */
export function canonicalText(method: string, path: string, ts: string, nonce: string, body: string): string {
  const bodyHash = crypto.createHash('sha256').update(body, 'utf8').digest('hex');
  return [method.toUpperCase(), path, ts, nonce, bodyHash].join('\n');
}

/** Lowercase hex HMAC-SHA256 of the canonical text with the enterprise's secret. */
export function signature(secret: string, canonical: string): string {
  return crypto.createHmac('sha256', secret).update(canonical, 'utf8').digest('hex');
}

/** The platform's dataCode of a collect item (docs: energy + usage + process codes + item number). */
export function dataCodeOf(item: PlatformItem): string {
  const c = item.config;
  return (
    c.Energy_Code +
    c.dataUsageCode.padStart(2, '0').slice(-2) +
    c.processCode +
    c.processUnitCode +
    c.equipmentCode +
    c.equipmentUnitCode +
    String(item.itemNo).padStart(3, '0')
  );
}

const answer = z.object({
  code: z.number().int(),
  message: z.string().default(''),
  field: z.string().optional(),
  requestId: z.string().optional(),
  data: z.unknown().optional(),
});

const dictionaryData = prpBaseInfos;
const enterpriseData = z.object({ accepted: z.literal(true) });
const dataData = z.object({ accepted: z.number().int(), duplicate: z.boolean().optional() });

const fixed = (n: number) => String(Math.round(n * 10_000) / 10_000);

export interface ProvincialClientOptions {
  clock: Clock;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

/** HTTP client of a `wd-prp/1` platform: signs, times out, parses every answer with a schema. */
export class ProvincialClient implements ProvincialPlatform {
  constructor(private readonly opts: ProvincialClientOptions) {}

  version(t: PlatformTarget) {
    return this.call(t, 'GET', PRP_PATHS.version, undefined, prpVersion);
  }

  updateVersion(t: PlatformTarget, body: { enterpriseCode: string; region: string }) {
    return this.call(t, 'POST', PRP_PATHS.version, body, prpVersion);
  }

  dictionary(t: PlatformTarget) {
    return this.call(t, 'GET', PRP_PATHS.dictionary, undefined, dictionaryData);
  }

  uploadEnterprise(
    t: PlatformTarget,
    u: Parameters<ProvincialPlatform['uploadEnterprise']>[1],
  ): Promise<Outcome<{ accepted: true }>> {
    const { collectItemConfig: _items, ...rest } = u.infos;
    const body = {
      dicVersion: u.dicVersion,
      ...rest,
      group: rest.group ?? { name: '', address: '', remark: '' },
      collectItemConfig: u.items.map((item) => {
        const { Meter_id: _meter, ...config } = item.config;
        return { ...config, dataCode: dataCodeOf(item) };
      }),
    };
    return this.call(t, 'PUT', PRP_PATHS.enterprise, body, enterpriseData);
  }

  async uploadData(
    t: PlatformTarget,
    u: { uploadId: string; dicVersion: string; rows: DataRow[] },
  ): Promise<Outcome<{ duplicate: boolean }>> {
    const body = {
      uploadId: u.uploadId,
      dicVersion: u.dicVersion,
      data: u.rows.map((r) => ({
        dataCode: dataCodeOf(r.item),
        statType: r.statType,
        statDate: r.statDate,
        dataValue: fixed(r.value),
        convertRatio: r.ratio,
        convertValue: fixed(r.value * Number(r.ratio)),
        inputType: r.item.config.inputType,
        revision: r.revision,
        valid: r.valid ? 1 : 0,
      })),
    };
    const out = await this.call(t, 'POST', PRP_PATHS.data, body, dataData);
    return out.ok ? { ...out, value: { duplicate: out.value.duplicate === true } } : out;
  }

  /** One signed exchange; never throws: a failure is an Outcome saying whether to try again. */
  private async call<S extends z.ZodType>(
    t: PlatformTarget,
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body: unknown,
    schema: S,
  ): Promise<Outcome<z.output<S>>> {
    const targetUrl = t.baseUrl.replace(/\/+$/, '') + path;
    const text = body === undefined ? '' : JSON.stringify(body);
    const ts = String(this.opts.clock.now().getTime());
    const nonce = crypto.randomUUID();
    const headers: Record<string, string> = {
      'X-PRP-Key': t.accessKey,
      'X-PRP-Timestamp': ts,
      'X-PRP-Nonce': nonce,
      'X-PRP-Signature': signature(t.secret, canonicalText(method, path, ts, nonce, text)),
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const request = body ?? null;
    const fail = (response: unknown, code: string, message: string, retryable: boolean) => ({
      ok: false as const,
      retryable,
      code,
      message,
      exchange: { targetUrl, request, response } satisfies Exchange,
    });
    let res: Response;
    try {
      res = await fetch(targetUrl, {
        method,
        headers,
        body: body === undefined ? undefined : text,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      const timeout = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      const message = timeout ? '省平台无应答（超时）' : '无法连接省平台';
      return fail(
        { error: timeout ? 'timeout' : 'connection' },
        timeout ? 'timeout' : 'connection',
        message,
        true,
      );
    }
    const raw = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      json = { status: res.status, body: raw.slice(0, 2000) };
    }
    if (res.status >= 500 || res.status === 429)
      return fail(json, `http_${res.status}`, `省平台暂时不可用（HTTP ${res.status}）`, true);
    const parsed = answer.safeParse(json);
    if (!parsed.success) return fail(json, 'bad_answer', '省平台应答格式不正确', false);
    const a = parsed.data;
    if (a.code !== 0) {
      const message = a.field ? `${a.message}（${a.field}）` : a.message || `省平台错误 ${a.code}`;
      return fail(json, String(a.code), message, RETRYABLE_CODES.has(a.code));
    }
    const data = schema.safeParse(a.data);
    if (!data.success) return fail(json, 'bad_answer', '省平台应答格式不正确', false);
    return { ok: true, value: data.data, exchange: { targetUrl, request, response: json } };
  }
}
