import { refFormatLocal } from './zone';
import type { TestApp } from '../app';
import type { TestUser } from '../builders';
import { buildMachine, buildMeter, postReadings } from './builders';
import type { RefMeter, RefReading } from './reference';

export const TZ = 'Asia/Shanghai';
export const at = (s: string) => Date.parse(s.replace(' ', 'T') + '+08:00');
export const local = (t: number) => refFormatLocal(t, TZ);
const Q = 15 * 60_000;

/** A seeded generator, so failures can be replayed. */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The generated site: meters (with everything the reference needs) and the ids by key. */
export interface Site {
  meters: Map<number, RefMeter>;
  ids: Record<'A' | 'B' | 'C' | 'V' | 'H', number>;
  names: Record<'A' | 'B' | 'C' | 'V' | 'H', string>;
  machines: { m1: string; m2: string };
  swapAt: number;
}

/**
 * Builds a small site through the API and sends two weeks of 15-minute readings around the 2020 leap
 * day: A (electricity), B (electricity, replaced mid-way), C (water, register rolls over at 1000),
 * V (virtual: ([A]+[B])*0.5+[C]/4) and H (hand-filled water). Readings go in shuffled batches with a
 * wrong value later corrected, a held-back tenth sent late, and a fifth sent twice.
 */
export async function buildSite(
  app: TestApp,
  org: TestUser,
  from = at('2020-02-20 00:00:00'),
  days = 14,
): Promise<Site> {
  const rand = rng(20200229);
  const m1 = await buildMachine(app, org, { department: '一车间' });
  const m2 = await buildMachine(app, org, { department: '动力车间' });
  const A = await buildMeter(app, org, { machine: m1.id, type: 0, body: { Meter_Parameter: 'UA,IA' } });
  const B = await buildMeter(app, org, { machine: m1.id, type: 0 });
  const C = await buildMeter(app, org, { machine: m2.id, type: 1, body: { Meter_Register_Max: '1000' } });
  const V = await buildMeter(app, org, {
    machine: m1.id,
    type: 0,
    body: { Meter_IsVirtual: '1', Meter_Formula: `([${A.id}]+[${B.id}])*0.5+[${C.id}]/4` },
  });
  const H = await buildMeter(app, org, { machine: m2.id, type: 1, body: { Is_HandWork: '1' } });
  const n = days * 96;
  const swapAt = from + Math.floor(n / 2) * Q + 7 * 60_000;
  const ra: RefReading[] = [];
  const rb: RefReading[] = [];
  const rc: RefReading[] = [];
  let a = 1000;
  let b = 5000;
  let c = 950;
  let oldFinal = 0;
  for (let i = 1; i <= n; i++) {
    const ts = from + i * Q;
    a += 0.5 + rand() * 2.5;
    ra.push({ ts, total: round(a), params: { UA: round(215 + rand() * 10), IA: round(10 + rand() * 5) } });
    if (ts < swapAt) {
      b += rand() * 2;
      rb.push({ ts, total: round(b) });
    } else {
      if (!oldFinal) {
        oldFinal = round(b + 0.8);
        b = 20;
      }
      b += rand() * 2;
      rb.push({ ts, total: round(b) });
    }
    c = (c + 1 + rand() * 2) % 1000;
    rc.push({ ts, total: round(c) });
  }
  const all = [
    ...ra.map((r) => ({ meter: A.id, ...r })),
    ...rb.map((r) => ({ meter: B.id, ...r })),
    ...rc.map((r) => ({ meter: C.id, ...r })),
  ];
  // shuffled; 10% held back (late), then 20% re-sent (duplicates); one reading first sent wrong
  const order = all.map((r) => ({ r, k: rand() }));
  order.sort((x, y) => x.k - y.k);
  const late = order.filter((_, i) => i % 10 === 3).map((o) => o.r);
  const first = order.filter((_, i) => i % 10 !== 3).map((o) => o.r);
  const wrongIdx = first.findIndex((r) => r.meter === A.id);
  const wrong = [...first];
  wrong[wrongIdx] = { ...wrong[wrongIdx]!, total: wrong[wrongIdx]!.total + 77 };
  // The plausibility rule (readings/validate.ts) refuses what reads as a drop without a replacement: B's
  // readings after its swap until the swap is declared, A's neighbours of the wrong value until it is
  // corrected. They are sent again once both are fixed, as a gateway resends refused readings.
  const refused: (typeof all)[number][] = [];
  const send = async (list: (typeof all)[number][]) => {
    for (let i = 0; i < list.length; i += 400) {
      const slice = list.slice(i, i + 400);
      const res = await postReadings(app, org, slice);
      for (const e of res.Errors) refused.push(slice[e.index]!);
    }
  };
  await send(wrong);
  await send([...late, first[wrongIdx]!, ...first.filter((_, i) => i % 5 === 0)]);
  // the replacement is declared after its readings arrived: consumption after it is re-derived
  await app.http
    .put('/api_3/meters')
    .set(org.auth)
    .send({
      id: B.id,
      Meter_Name: B.name,
      Meter_Type: '0',
      Meter_Superior_id: m1.id,
      Meter_IsCount: '1',
      Meter_TotalAmount: String(oldFinal),
      Meter_StartAmount: '20',
      Meter_Replace_Time: local(swapAt),
    })
    .expect(200);
  const refusedOnce = refused.splice(0).filter((r) => r !== wrong[wrongIdx]);
  await send(refusedOnce);
  if (refused.length) throw new Error(`site: ${refused.length} readings still refused after the fixes`);
  const manual = [
    { Date_Time: '2020-02-27 00:00:00', Date_Type: '2', Data_Amount: '300' },
    { Date_Time: '2020-02-29 12:00:00', Date_Type: '3', Data_Amount: '12.5' },
    { Date_Time: '2020-02-29 13:00:00', Date_Type: '3', Data_Amount: '13.5' }, // replaces the day's 12.5
  ];
  const manualStarts: { start: number; amount: number }[] = [];
  for (const body of manual) {
    const res = await app.http
      .post('/api_3/PRP_manual_energy_measure_datas')
      .set(org.auth)
      .send({ Meter_id: H.id, ...body })
      .expect(200);
    const start = at(res.body.Data[0].Period_Start);
    const prior = manualStarts.findIndex((x) => x.start === start);
    if (prior >= 0) manualStarts.splice(prior, 1);
    manualStarts.push({ start, amount: Number(body.Data_Amount) });
  }
  const meters = new Map<number, RefMeter>([
    [A.id, { id: A.id, type: 0, readings: ra }],
    [B.id, { id: B.id, type: 0, readings: rb, epochs: [[swapAt, oldFinal - 20]] }],
    [C.id, { id: C.id, type: 1, readings: rc, registerMax: 1000 }],
    [
      V.id,
      {
        id: V.id,
        type: 0,
        readings: [],
        virtual: { refs: [A.id, B.id, C.id], f: (v) => (v[A.id]! + v[B.id]!) * 0.5 + v[C.id]! / 4 },
      },
    ],
    [H.id, { id: H.id, type: 1, readings: [], manual: manualStarts }],
  ]);
  return {
    meters,
    ids: { A: A.id, B: B.id, C: C.id, V: V.id, H: H.id },
    names: { A: A.name, B: B.name, C: C.name, V: V.name, H: H.name },
    machines: { m1: m1.name, m2: m2.name },
    swapAt,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
