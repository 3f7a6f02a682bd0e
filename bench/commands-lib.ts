import { Redis } from 'ioredis';
import { percentile } from './lib/stats';
import { SimulatedDevice } from '../bff/src/fakes/devices/device';
import { noDelay } from '../bff/src/infra/mqtt/bus';

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

/**
 * The same-run baseline without the BFF: a raw MQTT round trip (QoS 1 request → simulated device →
 * QoS 1 answer) through an aedes broker set up like the embedded one (Redis persistence, TCP_NODELAY),
 * run in this process; the devices are the simulator's own. Returns `send(i)` and `close()`.
 */
export async function rawMqttBaseline(opts: {
  devices: number;
  redisUrl: string;
  redisPrefix: string;
}): Promise<{ uids: string[]; send: (uid: string) => Promise<Sample>; close: () => Promise<void> }> {
  const net = await import('node:net');
  const { Aedes } = await import('aedes');
  // aedes-persistence-redis is a dependency of the bff workspace only.
  const { createRequire } = await import('node:module');
  const fromBff = createRequire(`${process.cwd()}/bff/package.json`);
  const { default: redisPersistence } = (await import(fromBff.resolve('aedes-persistence-redis'))) as {
    default: (o: unknown) => unknown;
  };
  const mqtt = (await import('mqtt')).default;
  const redis = new Redis(opts.redisUrl, { keyPrefix: opts.redisPrefix });
  const broker = await Aedes.createBroker({
    persistence: redisPersistence({ conn: redis, packetTTL: () => 600 }),
  });
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    broker.handle(socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `mqtt://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
  const uids = Array.from({ length: opts.devices }, (_, i) => `raw-${process.pid}-${i}`);
  const devices = uids.map((uid) => new SimulatedDevice({ url, uid, secret: 'x', kind: 'ems' }));
  await Promise.all(devices.map((d) => d.start()));
  const client = mqtt.connect(url, { clientId: `raw-bench-${process.pid}`, clean: false });
  await new Promise<void>((r) => client.once('connect', () => r()));
  noDelay(client);
  const waiting = new Map<string, () => void>();
  client.on('message', (_t, payload) => {
    const id = (JSON.parse(payload.toString('utf8')) as { id: string }).id;
    waiting.get(id)?.();
    waiting.delete(id);
  });
  await client.subscribeAsync('wd/+/rpc/response', { qos: 1 });
  let seq = 0;
  return {
    uids,
    send: async (uid) => {
      const id = `raw-${seq++}`;
      const t = performance.now();
      const answered = new Promise<void>((r) => waiting.set(id, r));
      const request = {
        id,
        method: 'reactive.set',
        params: { phase_min_power_factor_a: 0.9, mode: 1 },
        deadline: Date.now() + 5000,
      };
      await client.publishAsync(`wd/${uid}/rpc/request`, JSON.stringify(request), { qos: 1 });
      await answered;
      return { ms: performance.now() - t, status: 200, code: 0, commandId: id, uid };
    },
    close: async () => {
      await Promise.all(devices.map((d) => d.stop()));
      await client.endAsync();
      await new Promise<void>((r) => broker.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
      const keys: string[] = await redis.keys('*');
      const prefixless = keys.map((k) => k.slice(opts.redisPrefix.length));
      if (prefixless.length) await redis.del(...prefixless);
      redis.disconnect();
    },
  };
}

/** One statement as pg_stat_statements counts it over a phase. */
export interface StatementStat {
  query: string;
  calls: number;
  totalMs: number;
}

/**
 * pg_stat_statements and commit counts of one database over a phase (null when the server does not
 * preload the extension: `shared_preload_libraries = 'pg_stat_statements'`).
 */
export async function pgStatements(url: string): Promise<{
  reset(): Promise<void>;
  read(): Promise<{ statements: StatementStat[]; commits: number; rollbacks: number }>;
  close(): Promise<void>;
} | null> {
  const { Client } = await import('pg');
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('create extension if not exists pg_stat_statements');
    await c.query('select 1 from pg_stat_statements limit 1');
  } catch {
    await c.end();
    return null;
  }
  let commits0 = 0;
  let rollbacks0 = 0;
  const counters = async () => {
    // Backends flush their counters at most once a second (PostgreSQL 15).
    await new Promise((r) => setTimeout(r, 1200));
    await c.query('select pg_stat_clear_snapshot()');
    const { rows } = await c.query<{ c: string; r: string }>(
      'select xact_commit as c, xact_rollback as r from pg_stat_database where datname = current_database()',
    );
    return { commits: Number(rows[0]!.c), rollbacks: Number(rows[0]!.r) };
  };
  return {
    reset: async () => {
      await c.query(
        'select pg_stat_statements_reset(0, (select oid from pg_database where datname = current_database()), 0)',
      );
      ({ commits: commits0, rollbacks: rollbacks0 } = await counters());
    },
    read: async () => {
      const { commits, rollbacks } = await counters();
      const { rows } = await c.query<{ query: string; calls: string; total: number }>(
        `select query, calls, total_exec_time as total from pg_stat_statements
          where dbid = (select oid from pg_database where datname = current_database())
            and query not like '%pg_stat%' order by calls desc limit 25`,
      );
      return {
        statements: rows.map((r) => ({ query: r.query, calls: Number(r.calls), totalMs: r.total })),
        // This client's own counter reads are transactions too (two per phase).
        commits: commits - commits0 - 2,
        rollbacks: rollbacks - rollbacks0,
      };
    },
    close: () => c.end(),
  };
}
