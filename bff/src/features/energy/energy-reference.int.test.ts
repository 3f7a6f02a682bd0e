import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg, type TestUser } from '../../../../test/support/builders';
import { postReadings } from '../../../../test/support/metering/builders';
import {
  refBuckets,
  refFigures,
  refMeasure,
  type RefCalendar,
  type RefFigure,
} from '../../../../test/support/metering/reference';
import { at, buildSite, local, TZ, type Site } from '../../../../test/support/metering/site';

let app: TestApp;
let org: TestUser;
let site: Site;
const TOU = [
  { Seg_Begin: '08:00:00', Seg_End: '22:00:00', Rate_Value: '1.2' },
  { Seg_Begin: '22:00:00', Seg_End: '08:00:00', Rate_Value: '0.4' },
];
const prices = new Map<number, number[]>([
  [0, Array.from({ length: 48 }, (_, s) => (s >= 16 && s < 44 ? 1.2 : 0.4))],
  [1, new Array<number>(48).fill(3.5)],
]);
const SHIFTS = [
  Array.from({ length: 24 }, (_, i) => 16 + i),
  [...Array.from({ length: 8 }, (_, i) => 40 + i), ...Array.from({ length: 16 }, (_, i) => i)],
];

beforeAll(async () => {
  app = await startTestApp();
  org = await buildOrg(app);
  await app.http
    .post('/api_3/rate')
    .set(org.auth)
    .send({ Rate_Name: '分时电价', Rate_Type: '0', isSegmentation: '0', Segments: TOU, Rate_Unit: '元/kWh' })
    .expect(200);
  await app.http
    .post('/api_3/rate')
    .set(org.auth)
    .send({ Rate_Name: '水费', Rate_Type: '1', isSegmentation: '1', Rate_Value: '3.5', Rate_Unit: '元/m³' })
    .expect(200);
  site = await buildSite(app, org);
}, 120_000);
afterAll(() => app.close());

type Row = Record<string, string>;
const close = (api: string | undefined, ref: number | null, what: string) => {
  if (ref === null) return expect({ what, api }).toEqual({ what, api: undefined });
  expect({ what, diff: Math.abs(Number(api) - ref) < 0.011 }).toEqual({ what, diff: true });
};
const sumFig = (list: RefFigure[]): RefFigure =>
  list.reduce(
    (a, f) => ({
      amount: a.amount + f.amount,
      cost: a.cost === null || f.cost === null ? null : a.cost + f.cost,
      shifts: a.shifts.map((s, i) => s + f.shifts[i]!),
    }),
    { amount: 0, cost: 0, shifts: list[0]?.shifts.map(() => 0) ?? [] } as RefFigure,
  );

/** Reference rows keyed like the API's: for each expected group, its members. */
function groups(s: Site, amountType: number, comb: number) {
  const { A, B, C, V, H } = s.ids;
  const n = s.names;
  const m = s.machines;
  const meterRow = (id: number, key: keyof Site['names'], machine: string, dept: string, type: number) => ({
    key: `${dept}|${machine}|${n[key]}|${type}`,
    members: [id],
  });
  const perMeter = [
    meterRow(A, 'A', m.m1, '一车间', 0),
    meterRow(B, 'B', m.m1, '一车间', 0),
    meterRow(V, 'V', m.m1, '一车间', 0),
    meterRow(C, 'C', m.m2, '动力车间', 1),
    meterRow(H, 'H', m.m2, '动力车间', 1),
  ];
  if (amountType === 2 || comb === 2) return perMeter;
  if (amountType === 1)
    return [
      { key: '|||0', members: [A, B, V] },
      { key: '|||1', members: [C, H] },
    ];
  if (amountType === 3)
    return [
      { key: `一车间|${m.m1}||0`, members: [A, B, V] },
      { key: `动力车间|${m.m2}||1`, members: [C, H] },
    ];
  return [
    { key: '一车间|||0', members: [A, B, V] },
    { key: '动力车间|||1', members: [C, H] },
  ];
}
const keyOf = (r: Row) => `${r.Meter_Department}|${r.Meter_Superior}|${r.Meter_Name}|${r.Ene_Type}`;

async function checkDetail(
  cal: RefCalendar,
  type: 1 | 2 | 3,
  start: string,
  end: string,
  amountType: number,
  comb: number,
  interval?: number,
  source?: 'raw',
) {
  const res = await app.http
    .get('/api_3/detailenergy')
    .set(org.auth)
    .query({
      Time_Type: type,
      Time_Start: start,
      Time_End: end,
      Amount_Type: amountType,
      Amount_Combination: comb,
      ...(interval ? { Time_Interval: interval } : {}),
      ...(source ? { Data_Source: source } : {}),
    })
    .expect(200);
  const buckets = refBuckets(cal, type, start, end, interval);
  const rows = res.body.Data as Row[];
  const expected = groups(site, amountType, comb);
  expect(rows).toHaveLength(expected.length * buckets.length);
  for (const g of expected) {
    const figs = g.members.map((id) => refFigures(site.meters, id, buckets, TZ, prices));
    buckets.forEach((b, k) => {
      const ref = sumFig(figs.map((f) => f[k]!));
      const row = rows.find((r) => keyOf(r) === g.key && r.Time === local(b.start));
      expect({ g: g.key, t: local(b.start), found: !!row }).toEqual({
        g: g.key,
        t: local(b.start),
        found: true,
      });
      close(row!.Total_Amount, ref.amount, `${g.key} ${local(b.start)} amount`);
      close(row!.Total_Cost, ref.cost, `${g.key} ${local(b.start)} cost`);
    });
  }
  return rows;
}

describe('energy queries equal a brute-force recomputation from raw readings', () => {
  const std: RefCalendar = { tz: TZ, dayMinute: 0, monthDay: 1 };

  it.each([
    [1, 1],
    [2, 1],
    [3, 1],
    [3, 2],
    [4, 1],
    [4, 2],
  ])('detailenergy by day over the leap day, Amount_Type %i / Combination %i', async (t, c) => {
    await checkDetail(std, 2, '2020-02-20 00:00:00', '2020-03-05 12:00:00', t, c);
  });

  it('detailenergy by month and by hour (TOU cost across the 08:00 and 22:00 boundaries)', async () => {
    await checkDetail(std, 1, '2020-01-15 00:00:00', '2020-03-31 00:00:00', 2, 1);
    await checkDetail(std, 3, '2020-02-29 00:00:00', '2020-03-01 00:00:00', 2, 1);
  });

  it('groups periods by Time_Interval: two-month and seven-day buckets', async () => {
    await checkDetail(std, 1, '2020-01-01 00:00:00', '2020-04-30 00:00:00', 1, 1, 2);
    await checkDetail(std, 2, '2020-02-18 00:00:00', '2020-03-06 00:00:00', 2, 1, 7);
  });

  it('answers off-grid intervals (45 minutes) and Data_Source=raw with the same figures', async () => {
    await checkDetail(std, 3, '2020-02-27 06:00:00', '2020-02-28 06:00:00', 2, 1, 45);
    const rollup = await checkDetail(std, 2, '2020-02-20 00:00:00', '2020-03-05 00:00:00', 2, 1);
    const raw = await checkDetail(
      std,
      2,
      '2020-02-20 00:00:00',
      '2020-03-05 00:00:00',
      2,
      1,
      undefined,
      'raw',
    );
    expect(raw.map((r) => [keyOf(r), r.Time])).toEqual(rollup.map((r) => [keyOf(r), r.Time]));
    raw.forEach((r, i) => close(r.Total_Amount, Number(rollup[i]!.Total_Amount), `raw vs rollup ${i}`));
  });

  it('allenergy totals equal the sum of the reference over the whole range, with cost', async () => {
    const res = await app.http
      .get('/api_3/allenergy')
      .set(org.auth)
      .query({
        Time_Type: '1',
        Time_Start: '2020-02-01 00:00:00',
        Time_End: '2020-03-31 00:00:00',
        Amount_Type: '2',
      })
      .expect(200);
    const buckets = refBuckets(std, 1, '2020-02-01 00:00:00', '2020-03-31 00:00:00');
    for (const g of groups(site, 2, 1)) {
      const ref = sumFig(refFigures(site.meters, g.members[0]!, buckets, TZ, prices));
      const row = (res.body.Data as Row[]).find((r) => keyOf(r) === g.key)!;
      close(row.Total_Amount, ref.amount, `${g.key} total`);
      close(row.Total_Cost, ref.cost, `${g.key} cost`);
    }
  });

  it('form_detailenergy carries per-shift amounts that add up to the total', async () => {
    const res = await app.http
      .post('/api_3/form_detailenergy')
      .set(org.auth)
      .send({
        Time_Type: '2',
        Time_Start: '2020-02-24 00:00:00',
        Time_End: '2020-03-02 00:00:00',
        Amount_Type: '1',
      })
      .expect(200);
    const buckets = refBuckets(std, 2, '2020-02-24 00:00:00', '2020-03-02 00:00:00');
    for (const g of groups(site, 1, 1)) {
      const figs = g.members.map((id) => refFigures(site.meters, id, buckets, TZ, prices, SHIFTS));
      const row = (res.body.Data as (Row & { Shift_Amounts: Row[]; Detail_Amounts: Row[] })[]).find(
        (r) => keyOf(r) === g.key,
      )!;
      const total = sumFig(figs.flatMap((f) => f));
      expect(row.Shift_Amounts.map((s) => s.Shift_Name)).toEqual(['白班', '夜班']);
      close(row.Shift_Amounts[0]!.Shift_Amount, total.shifts[0]!, `${g.key} day shift`);
      close(row.Shift_Amounts[1]!.Shift_Amount, total.shifts[1]!, `${g.key} night shift`);
      expect(row.Detail_Amounts).toHaveLength(buckets.length);
      buckets.forEach((b, k) => {
        expect(row.Detail_Amounts[k]!.Time).toBe(local(b.start));
        close(row.Detail_Amounts[k]!.Total_Amount, sumFig(figs.map((f) => f[k]!)).amount, `${g.key} ${k}`);
      });
    }
  });

  it('measure averages by day and takes the last value by hour', async () => {
    const m = site.meters.get(site.ids.A)!;
    const q = { Meter_Name: site.names.A, Measure_Name: 'UA' };
    const byDay = await app.http
      .get('/api_3/measure')
      .set(org.auth)
      .query({ ...q, Time_Type: '2', Time_Start: '2020-02-26 00:00:00', Time_End: '2020-03-01 00:00:00' })
      .expect(200);
    const days = refBuckets(std, 2, '2020-02-26 00:00:00', '2020-03-01 00:00:00');
    const avg = refMeasure(m, 'UA', days, false);
    expect(byDay.body.Data.map((r: Row) => r.Time)).toEqual(
      days.filter((_, k) => avg[k] !== null).map((b) => local(b.start)),
    );
    byDay.body.Data.forEach((r: Row, k: number) =>
      expect(Math.abs(Number(r.Measure_Value) - avg[k]!)).toBeLessThan(0.001),
    );
    const byHour = await app.http
      .get('/api_3/measure')
      .set(org.auth)
      .query({ ...q, Time_Type: '3', Time_Start: '2020-02-29 00:00:00', Time_End: '2020-02-29 05:00:00' })
      .expect(200);
    const hours = refBuckets(std, 3, '2020-02-29 00:00:00', '2020-02-29 05:00:00');
    const last = refMeasure(m, 'UA', hours, true);
    expect(byHour.body.Data.map((r: Row) => Number(r.Measure_Value))).toEqual(last.filter((x) => x !== null));
  });

  it('moves every bucket when the calendar changes (day 07:30, month from the 26th), at once and for new data', async () => {
    await app.http
      .put('/api_3/personalise')
      .set(org.auth)
      .send({
        Year_Start: '1',
        Year_End: '1',
        Month_Start: '-26',
        Month_End: '-26',
        Day_Start: '07:30:00',
        Day_End: '07:30:00',
      })
      .expect(200);
    const custom: RefCalendar = { tz: TZ, dayMinute: 450, monthDay: 26 };
    await checkDetail(custom, 1, '2020-02-01 00:00:00', '2020-03-31 00:00:00', 2, 1);
    await checkDetail(custom, 2, '2020-02-20 00:00:00', '2020-03-05 12:00:00', 1, 1);
    await checkDetail(custom, 3, '2020-02-28 20:00:00', '2020-02-29 12:00:00', 4, 1);
    // new readings after the change land in the new buckets too
    const A = site.meters.get(site.ids.A)!;
    const lastA = A.readings[A.readings.length - 1]!;
    const more = [1, 2, 3].map((i) => ({
      ts: lastA.ts + i * 15 * 60_000,
      total: lastA.total + i * 2,
      params: { UA: 220, IA: 12 },
    }));
    await postReadings(
      app,
      org,
      more.map((r) => ({ meter: site.ids.A, ...r })),
    );
    A.readings.push(...more);
    await checkDetail(custom, 2, '2020-03-01 00:00:00', '2020-03-06 12:00:00', 2, 1);
    expect(at('2020-03-05 00:00:00')).toBeLessThan(lastA.ts + 1);
  });
});
