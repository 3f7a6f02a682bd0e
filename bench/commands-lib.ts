import { percentile } from './lib/stats';

const API = '/wad/ems/v1/api';

/** One HTTP answer of a command, with its latency. */
export interface Sample {
  ms: number;
  status: number;
  code: number;
  commandId: string | null;
  uid: string;
}

/** The BFF's EMS endpoints as the bench calls them (fetch keeps connections alive). */
export class EmsClient {
  constructor(
    readonly base: string,
    private readonly token: string,
  ) {}

  /** Signs an organization's new admin up and in through seed 002 §1. */
  static async signUp(base: string, name: string, password: string): Promise<EmsClient> {
    const post = (path: string, body: unknown) =>
      fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<any>);
    await post('/api/users', { Usr_Name: name, Usr_Password: password, Usr_Email: `${name}@example.cn` });
    const login = await post('/api/auth', { Usr_Name: name, Usr_Password: password });
    return new EmsClient(base, login.Data[0].Usr_Token);
  }

  /** Connection errors (reset sockets) met so far; requests with an Idempotency-Key are retried. */
  connectionErrors = 0;

  async call(
    method: string,
    path: string,
    body?: unknown,
    key?: string,
  ): Promise<{ status: number; json: any; headers: Headers }> {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(this.base + API + path, {
          method,
          headers: {
            authorization: `Bearer ${this.token}`,
            ...(key ? { 'idempotency-key': key } : {}),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, json: await res.json(), headers: res.headers };
      } catch (err) {
        this.connectionErrors++;
        if (!key || attempt >= 3) throw err;
      }
    }
  }

  /** Registers a device; returns its secret. */
  async register(uid: string): Promise<string> {
    const r = await this.call('POST', '/devices', { device_uid: uid, name: uid, kind: 'ems', site: 'bench' });
    if (r.status !== 200) throw new Error(`register ${uid}: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json.data.secret;
  }

  async onlineCount(): Promise<number> {
    const r = await this.call('GET', '/devices');
    return (r.json.data as Array<{ online: boolean }>).filter((d) => d.online).length;
  }

  /** Sends one command and times it; a connection error is a sample with status 0, never a throw. */
  async timed(uid: string, kind: 'reactive' | 'bms' | 'stored', key?: string): Promise<Sample> {
    const t = performance.now();
    const send =
      kind === 'reactive'
        ? this.call(
            'POST',
            '/reactive-power-control',
            { device_uid: uid, phase_min_power_factor_a: 0.9, mode: 1 },
            key,
          )
        : kind === 'bms'
          ? this.call('POST', '/bms-control', { device_uid: uid, command: 1 }, key)
          : this.call('GET', `/devices/detail?device_uid=${encodeURIComponent(uid)}`);
    const r = await send.catch(() => ({ status: 0, json: { code: -1 }, headers: new Headers() }));
    return {
      ms: performance.now() - t,
      status: r.status,
      code: r.json.code,
      commandId: r.headers.get('x-command-id'),
      uid,
    };
  }
}

/** Sends `rate` requests per second for `seconds` (open loop), devices round-robin; returns the samples. */
export async function atRate(
  rate: number,
  seconds: number,
  uids: string[],
  send: (uid: string) => Promise<Sample>,
): Promise<Sample[]> {
  const total = rate * seconds;
  const started = performance.now();
  const pending: Array<Promise<Sample>> = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(send(uids[i % uids.length]!));
  }
  return Promise.all(pending);
}

/** Runs `total` sends with `concurrency` in flight, devices round-robin; returns samples and elapsed seconds. */
export async function closedLoop(
  total: number,
  concurrency: number,
  uids: string[],
  send: (uid: string) => Promise<Sample>,
  onProgress?: (done: number) => void,
): Promise<{ samples: Sample[]; seconds: number }> {
  const samples: Sample[] = [];
  let next = 0;
  const started = performance.now();
  // Each worker owns every concurrency-th device, so no device ever has two commands in flight.
  const worker = async (w: number) => {
    const mine = uids.filter((_, i) => i % concurrency === w);
    let k = 0;
    while (next < total) {
      next++;
      samples.push(await send(mine[k++ % mine.length]!));
      if (samples.length % 5000 === 0) onProgress?.(samples.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return { samples, seconds: (performance.now() - started) / 1000 };
}

/** p50 / p99 / max of latencies, as a short text. */
export function latencyText(samples: Sample[]): { p50: number; p99: number; text: string } {
  const ms = samples.map((s) => s.ms);
  const p50 = percentile(ms, 50);
  const p99 = percentile(ms, 99);
  return {
    p50,
    p99,
    text: `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms`,
  };
}
