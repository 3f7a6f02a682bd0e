import mqtt from 'mqtt';
import { Client } from 'pg';
import type { Api } from './client';
import type { Batch } from './phases';

/** Registers `n` meter gateways in the signed-in organization; their uids and MQTT secrets. */
export async function registerGateways(api: Api, n: number): Promise<{ uid: string; secret: string }[]> {
  const out: { uid: string; secret: string }[] = [];
  for (let i = 0; i < n; i++) {
    const uid = `bench-gw-${process.pid}-${i}`;
    const res = await api.raw('POST', '/wad/ems/v1/api/devices', {
      device_uid: uid,
      name: `网关 ${i + 1}#`,
      kind: 'gateway',
      site: '压测厂房',
    });
    const body = (await res.json()) as { code: number; data: { secret: string } };
    if (body.code !== 0) throw new Error(`gateway registration failed: ${JSON.stringify(body)}`);
    out.push({ uid, secret: body.data.secret });
  }
  return out;
}

/**
 * Simulated gateways publish their batches on `wd/{uid}/readings` (QoS 1, each gateway in time order)
 * over the BFF's broker; the clock stops when the database holds every reading of the phase (from
 * `since` on), i.e. every batch was ingested with its rollups in the same transaction.
 */
export async function mqttIngest(opts: {
  brokerUrl: string;
  dbUrl: string;
  gateways: { uid: string; secret: string }[];
  batches: Generator<Batch>;
  since: number;
}): Promise<{ readings: number; seconds: number; perSecond: number; publishSeconds: number }> {
  const clients = await Promise.all(
    opts.gateways.map((g) =>
      mqtt.connectAsync(opts.brokerUrl, {
        clientId: g.uid,
        username: g.uid,
        password: g.secret,
        reconnectPeriod: 0,
      }),
    ),
  );
  const queues: string[][] = opts.gateways.map(() => []);
  // The last reading of each gateway's stream: cheap to look up (primary key), polled until all are
  // stored; only then is everything counted once (a full count every poll would cost PostgreSQL more
  // than the ingest it measures).
  const lastOf = new Map<number, { meter: number; ts: number }>();
  let readings = 0;
  for (const b of opts.batches) {
    queues[b.gateway]!.push(JSON.stringify({ readings: b.readings }));
    readings += b.readings.length;
    const r = b.readings[b.readings.length - 1];
    if (r) lastOf.set(b.gateway, { meter: r.meter, ts: r.ts });
  }
  const lasts = [...lastOf.values()];
  const db = new Client({ connectionString: opts.dbUrl });
  await db.connect();
  const stored = async () =>
    Number(
      (
        await db.query<{ n: string }>('select count(*) as n from readings where ts >= $1', [
          new Date(opts.since),
        ])
      ).rows[0]!.n,
    );
  const lastsStored = async () =>
    Number(
      (
        await db.query<{ n: string }>(
          'select count(*) as n from readings r join unnest($1::int[], $2::timestamptz[]) as l(m, t) on r.meter_id = l.m and r.ts = l.t',
          [lasts.map((l) => l.meter), lasts.map((l) => new Date(l.ts))],
        )
      ).rows[0]!.n,
    ) === lasts.length;
  const before = await stored();
  const start = performance.now();
  try {
    await Promise.all(
      clients.map(async (c, g) => {
        for (const payload of queues[g]!)
          await c.publishAsync(`wd/${opts.gateways[g]!.uid}/readings`, payload, { qos: 1 });
      }),
    );
    const publishSeconds = (performance.now() - start) / 1000;
    const deadline = performance.now() + 600_000;
    while (!(await lastsStored()) || (await stored()) - before < readings) {
      if (performance.now() > deadline) throw new Error('MQTT readings not all stored after 10 minutes');
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - start) / 1000;
    return { readings, seconds, perSecond: readings / seconds, publishSeconds };
  } finally {
    await db.end();
    await Promise.all(clients.map((c) => c.endAsync()));
  }
}
