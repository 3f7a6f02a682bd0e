import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSmsMessage {
  phone: string;
  sign: string;
  template: string;
  params: Record<string, string>;
  sent_at: number;
}
export interface FakeSms {
  url: string;
  apiKey: string;
  messages: FakeSmsMessage[];
  close(): Promise<void>;
}

const PHONE = /^(\+86)?1\d{10}$/;

/** A fake of the SMS gateway contract (bff/src/adapters/sms/README.md). */
export async function startFakeSms(
  opts: { port?: number; apiKey?: string; now?: () => number } = {},
): Promise<FakeSms> {
  const apiKey = opts.apiKey ?? 'demo-sms-key';
  const now = opts.now ?? Date.now;
  const messages: FakeSmsMessage[] = [];
  const lastByPhone = new Map<string, number>();
  let failures: { status: number; times: number } | null = null;
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      let body: Record<string, unknown> = {};
      try {
        body = parts.length
          ? (JSON.parse(Buffer.concat(parts).toString('utf8')) as Record<string, unknown>)
          : {};
      } catch {
        return send(400, { code: 'BAD_REQUEST', message: 'body is not JSON' });
      }
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      if (req.method === 'GET' && path === '/__fake/messages') return send(200, { messages });
      if (req.method === 'POST' && path === '/__fake/fail') {
        failures = { status: Number(body.status ?? 500), times: Number(body.times ?? 1) };
        return send(200, { ok: true });
      }
      if (req.method !== 'POST' || path !== '/v1/sms/send') return send(404, { code: 'NOT_FOUND' });
      if (req.headers.authorization !== `Bearer ${apiKey}`) return send(401, { code: 'UNAUTHORIZED' });
      if (failures && failures.times > 0) {
        failures.times--;
        return send(failures.status, { code: failures.status === 429 ? 'RATE_LIMITED' : 'SERVER_ERROR' });
      }
      const phone = String(body.phone ?? '');
      if (!PHONE.test(phone)) return send(400, { code: 'INVALID_PHONE', message: `bad phone ${phone}` });
      if (!body.sign || !body.template) return send(400, { code: 'SIGN_OR_TEMPLATE' });
      const params = (body.params ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(params))
        if (typeof v !== 'string' || [...v].length > 35)
          return send(400, { code: 'TEMPLATE_PARAM', message: `params.${k} longer than 35 characters` });
      const last = lastByPhone.get(phone);
      if (last !== undefined && now() - last < 10_000) return send(429, { code: 'RATE_LIMITED' });
      lastByPhone.set(phone, now());
      messages.push({
        phone,
        sign: String(body.sign),
        template: String(body.template),
        params: params as Record<string, string>,
        sent_at: now(),
      });
      send(200, { code: 'OK', message_id: `sms-${messages.length}` });
    });
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    messages,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
