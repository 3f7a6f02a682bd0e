import { sql } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg, type TestUser } from '../../../../test/support/builders';
import { buildMachine, buildMeter } from '../../../../test/support/metering/builders';
import { refBuckets, refFigures, type RefMeter } from '../../../../test/support/metering/reference';
import { local, rng, TZ } from '../../../../test/support/metering/site';
import type { IngestPath } from './ingest';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const Q = 15 * 60_000;
const FROM = Date.parse('2020-02-24T00:00:00+08:00');
const DAYS = 8;
const TOU = [
  { Seg_Begin: '08:00:00', Seg_End: '22:00:00', Rate_Value: '1.2' },
  { Seg_Begin: '22:00:00', Seg_End: '08:00:00', Rate_Value: '0.4' },
];
const PRICES = new Map<number, number[]>([
  [0, Array.from({ length: 48 }, (_, s) => (s >= 16 && s < 44 ? 1.2 : 0.4))],
  [1, new Array<number>(48).fill(3.5)],
]);
const round = (x: number) => Math.round(x * 1000) / 1000;

interface Gen {
  /** Readings by meter key, in time order, as the meters registered them. */
  readings: Record<'A' | 'B' | 'C', { ts: number; total: number; params?: Record<string, number> }[]>;
  swapAt: number;
  oldFinal: number;
}

/** Generated registers: A with params, B replaced half-way (new register from 20), C rolling over at 1000. */
function generate(): Gen {
  const rand = rng(8_2020);
  const n = DAYS * 96;
  const swapAt = FROM + Math.floor(n / 2) * Q + 7 * 60_000;
  const out: Gen['readings'] = { A: [], B: [], C: [] };
  let a = 1000;
  let b = 5000;
  let c = 950;
  let oldFinal = 0;
  for (let i = 1; i <= n; i++) {
    const ts = FROM + i * Q;
    a += 0.5 + rand() * 2.5;
    out.A.push({ ts, total: round(a), params: { UA: round(215 + rand() * 10), IA: round(10 + rand() * 5) } });
    if (ts >= swapAt && !oldFinal) {
      oldFinal = round(b + 0.8);
      b = 20;
    }
    b += rand() * 2;
    out.B.push({ ts, total: round(b) });
    c = (c + 1 + rand() * 2) % 1000;
    out.C.push({ ts, total: round(c) });
  }
  return { readings: out, swapAt, oldFinal };
}

interface Loaded {
  org: TestUser;
  ids: Record<'A' | 'B' | 'C', number>;
}

/**
 * Builds the same site in a fresh organization and sends the same traffic through one path: shuffled
 * batches with a wrong value, the replacement declared while readings after it are already stored,
 * then the rest with a late tenth, a fifth sent twice, the correction and a changed param.
 */
async function load(gen: Gen, path: IngestPath): Promise<Loaded> {
  const org = await buildOrg(app);
  for (const body of [
    { Rate_Name: '分时电价', Rate_Type: '0', isSegmentation: '0', Segments: TOU, Rate_Unit: '元/kWh' },
    { Rate_Name: '水费', Rate_Type: '1', isSegmentation: '1', Rate_Value: '3.5', Rate_Unit: '元/m³' },
  ])
    await app.http.post('/api_3/rate').set(org.auth).send(body).expect(200);
  const machine = await buildMachine(app, org, { name: '1#机' });
  const A = await buildMeter(app, org, { machine: machine.id, name: 'A', body: { Meter_Parameter: 'UA' } });
  const B = await buildMeter(app, org, { machine: machine.id, name: 'B' });
  const C = await buildMeter(app, org, {
    machine: machine.id,
    name: 'C',
    type: 1,
    body: { Meter_Register_Max: '1000' },
  });
  const ids = { A: A.id, B: B.id, C: C.id };
  const all = (['A', 'B', 'C'] as const).flatMap((k) =>
    gen.readings[k].map((r) => ({ meter: ids[k], ...r })),
  );
  const rand = rng(77);
  const order = all.map((r) => ({ r, k: rand() })).sort((x, y) => x.k - y.k);
  const cut = gen.swapAt + 2 * 3600_000;
  // The plausibility rule (readings/validate.ts) refuses what reads as a drop without a replacement:
  // B's readings after its swap until the swap is declared, A's neighbours of the wrong value until it is
  // corrected. Both paths refuse the same ones; sent again once both are fixed, every one is kept.
  const refused: (typeof all)[number][] = [];
  const send = async (list: (typeof all)[number][], size: number) => {
    for (let i = 0; i < list.length; i += size) {
      const slice = list.slice(i, i + size);
      const res = await app.deps.ingest.ingest(org.orgId, slice, 'http', { path });
      for (const e of res.errors) refused.push(slice[e.index]!);
    }
  };
  const early = order.filter((o) => o.r.ts < cut).map((o) => o.r);
  const late = early.filter((_, i) => i % 10 === 3);
  const first = early.filter((_, i) => i % 10 !== 3);
  const wrongIdx = first.findIndex((r) => r.meter === ids.A);
  const wrong = [...first];
  wrong[wrongIdx] = { ...wrong[wrongIdx]!, total: wrong[wrongIdx]!.total + 77, params: { UA: 1, IA: 2 } };
  await send(wrong, 300);
  await app.http
    .put('/api_3/meters')
    .set(org.auth)
    .send({
      id: B.id,
      Meter_Name: 'B',
      Meter_Type: '0',
      Meter_Superior_id: machine.id,
      Meter_IsCount: '1',
      Meter_TotalAmount: String(gen.oldFinal),
      Meter_StartAmount: '20',
      Meter_Replace_Time: local(gen.swapAt),
    })
    .expect(200);
  const rest = order.filter((o) => o.r.ts >= cut).map((o) => o.r);
  await send([...rest, ...late], 500);
  await send([first[wrongIdx]!, ...first.filter((_, i) => i % 5 === 0)], 400);
  const again = refused.splice(0).filter((r) => r !== wrong[wrongIdx]);
  await send(again, 500);
  expect(refused).toEqual([]);
  return { org, ids };
}

/** Everything ingest stores for an organization's meters, by meter name. */
async function dump(orgId: number) {
  const q = <T>(query: ReturnType<typeof sql>) => app.deps.database.rows<T>(query);
  const readings = await q<Record<string, unknown>>(sql`
    select m.name, (extract(epoch from r.ts) * 1000)::bigint::text as ts, r.total, r.base, r.delta, r.params
    from readings r join meters m on m.id = r.meter_id where m.org_id = ${orgId} order by m.name, r.ts`);
  const days = await q<{ name: string; k: string; amount: number; cost: number; slots: number[] }>(sql`
    select m.name, (extract(epoch from d.day) * 1000)::bigint::text as k, d.amount, d.cost, d.slots
    from energy_day d join meters m on m.id = d.meter_id where m.org_id = ${orgId} order by m.name, d.day`);
  const months = await q<{ name: string; k: string; amount: number; cost: number; slots: number[] }>(sql`
    select m.name, (extract(epoch from d.month) * 1000)::bigint::text as k, d.amount, d.cost, d.slots
    from energy_month d join meters m on m.id = d.meter_id where m.org_id = ${orgId} order by m.name, d.month`);
  const params = await q<{ name: string; k: string; p: string; sum: number; n: number }>(sql`
    select m.name, (extract(epoch from d.day) * 1000)::bigint::text as k, d.name as p, d.sum, d.n
    from param_day d join meters m on m.id = d.meter_id where m.org_id = ${orgId} order by m.name, d.day, d.name`);
  const names = await q<{ name: string; params: string[] }>(
    sql`select name, params from meters where org_id = ${orgId} order by name`,
  );
  return { readings, days, months, params, names };
}

/** Equal up to float rounding of sums taken in another order (1e-9 relative). */
const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function expectRollupsEqual(
  what: string,
  a: { name: string; k: string; amount: number; cost: number; slots: number[] }[],
  b: typeof a,
) {
  expect(b.map((r) => `${r.name} ${r.k}`)).toEqual(a.map((r) => `${r.name} ${r.k}`));
  const bad = a.filter(
    (r, i) =>
      !near(r.amount, b[i]!.amount) ||
      !near(r.cost, b[i]!.cost) ||
      r.slots.some((s, j) => !near(Number(s), Number(b[i]!.slots[j]))),
  );
  expect({ what, bad: bad.slice(0, 3) }).toEqual({ what, bad: [] });
}

describe('bulk ingest path', () => {
  it('stores exactly what the row path stores, and what the reference computes from the raw registers', async () => {
    const gen = generate();
    const row = await load(gen, 'row');
    const bulk = await load(gen, 'bulk');
    const r = await dump(row.org.orgId);
    const b = await dump(bulk.org.orgId);
    // Raw rows (register, base, derived delta, params) are bit-for-bit the same.
    expect(b.readings.length).toBe(3 * DAYS * 96);
    expect(b.readings).toEqual(r.readings);
    expect(b.names).toEqual(r.names);
    expectRollupsEqual('energy_day', r.days, b.days);
    expectRollupsEqual('energy_month', r.months, b.months);
    expect(b.params.map((x) => [x.name, x.k, x.p, x.n])).toEqual(
      r.params.map((x) => [x.name, x.k, x.p, x.n]),
    );
    expect(b.params.filter((x, i) => !near(x.sum, r.params[i]!.sum))).toEqual([]);

    // And both equal the slow reference, computed from the generated registers alone.
    const ref = new Map<number, RefMeter>([
      [1, { id: 1, type: 0, readings: gen.readings.A }],
      [2, { id: 2, type: 0, readings: gen.readings.B, epochs: [[gen.swapAt, gen.oldFinal - 20]] }],
      [3, { id: 3, type: 1, readings: gen.readings.C, registerMax: 1000 }],
    ]);
    const cal = { tz: TZ, dayMinute: 0, monthDay: 1 };
    const days = refBuckets(cal, 2, '2020-02-24 00:00:00', '2020-03-03 23:59:59');
    for (const [id, name] of [
      [1, 'A'],
      [2, 'B'],
      [3, 'C'],
    ] as const) {
      const figs = refFigures(ref, id, days, TZ, PRICES);
      const stored = new Map(b.days.filter((d) => d.name === name).map((d) => [Number(d.k), d]));
      days.forEach((bucket, i) => {
        const got = stored.get(bucket.start);
        const want = figs[i]!;
        expect({ name, day: local(bucket.start), amount: near(got?.amount ?? 0, want.amount) }).toEqual({
          name,
          day: local(bucket.start),
          amount: true,
        });
        expect({ name, day: local(bucket.start), cost: near(got?.cost ?? 0, want.cost ?? 0) }).toEqual({
          name,
          day: local(bucket.start),
          cost: true,
        });
      });
    }
    // Param averages: every A reading's UA counted once, with its final value.
    const ua = b.params.filter((p) => p.name === 'A' && p.p === 'UA');
    expect(ua.reduce((s, p) => s + p.n, 0)).toBe(DAYS * 96);
    expect(
      near(
        ua.reduce((s, p) => s + p.sum, 0),
        gen.readings.A.reduce((s, x) => s + x.params!.UA!, 0),
      ),
    ).toBe(true);
  }, 180_000);

  it('reports bad readings by position and keeps the good ones, as the row path does', async () => {
    const org = await buildOrg(app);
    const other = await buildOrg(app);
    const m = await buildMeter(app, org);
    const foreign = await buildMeter(app, other);
    const v = await buildMeter(app, org, {
      machine: m.machine,
      body: { Meter_IsVirtual: '1', Meter_Formula: `[${m.id}]` },
    });
    const batch = [
      { meter: m.id, ts: FROM, total: 1 },
      { meter: m.id, ts: FROM + Q, total: 'abc' },
      { meter: foreign.id, ts: FROM, total: 5 },
      { meter: v.id, ts: FROM, total: 5 },
      { meter: m.id, ts: FROM + 2 * Q, total: 6 },
      { meter: m.id, ts: FROM + 2 * Q, total: 7 }, // the last one for a (meter, ts) wins
    ];
    const res = await app.deps.ingest.ingest(org.orgId, batch, 'bulk', { path: 'bulk' });
    expect(res).toMatchObject({ accepted: 3, rejected: 3 });
    expect(res.errors.map((e) => [e.index, e.field])).toEqual([
      [1, 'total'],
      [2, 'meter'],
      [3, 'meter'],
    ]);
    const rows = await app.deps.database.rows<{ meter_id: number; total: number; delta: number }>(
      sql`select meter_id, total, delta from readings where meter_id in (${m.id}, ${foreign.id}, ${v.id}) order by ts`,
    );
    expect(rows).toEqual([
      { meter_id: m.id, total: 1, delta: 0 },
      { meter_id: m.id, total: 7, delta: 6 },
    ]);
    // Sent again through the bulk path: nothing doubles.
    await app.deps.ingest.ingest(org.orgId, batch, 'bulk', { path: 'bulk' });
    const [day] = await app.deps.database.rows<{ amount: number }>(
      sql`select sum(amount) as amount from energy_day where meter_id = ${m.id}`,
    );
    expect(Number(day!.amount)).toBe(6);
  });
});
