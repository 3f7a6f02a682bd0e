import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg, type TestUser } from '../../../../test/support/builders';
import { buildMachine, buildMeter, postReadings } from '../../../../test/support/metering/builders';
import { refBuckets, type RefCalendar } from '../../../../test/support/metering/reference';
import { at, local, rng, TZ } from '../../../../test/support/metering/site';
import { buildOeeRule } from '../../../../test/support/oee/builders';
import {
  refDurations,
  refPoints,
  refRecords,
  type RefOeeReading,
  type RefOeeRule,
} from '../../../../test/support/oee/reference';

// PGlite migrations and the job schema take a while on a loaded machine.
jest.setTimeout(300_000);

const MIN = 60_000;
const GAP = 3 * 300 * 1000; // Reading_Interval 300 s × Offline_Intervals 3
// The organization's calendar: days start at 07:30, months on the 26th (of the month before).
const CAL: RefCalendar = { tz: TZ, dayMinute: 7 * 60 + 30, monthDay: 26 };

let app: TestApp;
let org: TestUser;
let other: TestUser;
let machine: number;
let meterA: number;
let meterB: number;
type Reading = RefOeeReading & { total: number };
const readings: Reading[] = [];
const rules: RefOeeRule[] = [];

/** Generated readings: A every 5 minutes with P from a state that changes about hourly, with gaps; B every 10. */
function generate(seed: number): Reading[] {
  const r = rng(seed);
  const out: Reading[] = [];
  const start = at('2025-03-24 00:00:00');
  const end = at('2025-03-28 00:00:00');
  const levels = [3, 25, 80, 45, 120];
  let level = 80;
  let gapUntil = 0;
  let totalA = 1000;
  let totalB = 500;
  for (let t = start; t < end; t += 5 * MIN) {
    if (r() < 0.08) level = levels[Math.floor(r() * levels.length)]!;
    if (t >= gapUntil && r() < 0.01) gapUntil = t + (10 + Math.floor(r() * 80)) * MIN;
    if (t < gapUntil) continue;
    const boundary = at('2025-03-26 07:30:00');
    const p = t === boundary - 5 * MIN ? 3 : t === boundary ? 80 : level;
    const noP = r() < 0.05 && t !== boundary && t !== boundary - 5 * MIN;
    totalA += 1;
    out.push({ meter: meterA, ts: t, params: noP ? { UA: 220 } : { P: p, UA: 220 }, total: totalA });
    if ((t / MIN) % 10 === 0) {
      totalB += 2;
      out.push({ meter: meterB, ts: t, params: { F: r() < 0.5 ? 150 : 20 }, total: totalB });
    }
  }
  return out;
}

const wire = (x: Reading) => ({ meter: x.meter, ts: x.ts, total: x.total, params: x.params });

async function ingest(list: Reading[]) {
  for (let i = 0; i < list.length; i += 300) {
    const res = await postReadings(app, org, list.slice(i, i + 300).map(wire));
    expect(res.Errors).toEqual([]);
    await app.platform.settle();
  }
}

beforeAll(async () => {
  app = await startTestApp();
  org = await buildOrg(app);
  other = await buildOrg(app);
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
  machine = (await buildMachine(app, org)).id;
  meterA = (await buildMeter(app, org, { machine, body: { Meter_Parameter: 'P,UA' } })).id;
  meterB = (await buildMeter(app, org, { machine, type: 7, body: { Meter_Parameter: 'F' } })).id;
  await app.http
    .put('/api_3/OEE_settings')
    .set(org.auth)
    .send({ Meter_Superior_id: machine, Reading_Interval: 300, Offline_Intervals: 3 })
    .expect(200);
  const add = async (status: string, meter: number, param: string, lower: number, upper: number) => {
    const id = await buildOeeRule(app, org, {
      Status_Name: status,
      Meter_id: meter,
      Meter_Parameter: param,
      LowerLimit: lower,
      UpperLimit: upper,
      Meter_Superior_id: machine,
    });
    rules.push({ id, meter, param, lower, upper, status });
  };
  await add('停机', meterA, 'P', 0, 9.99);
  await add('待机', meterA, 'P', 10, 49.99);
  await add('运行', meterA, 'P', 50, 1e6);
  await add('检修', meterB, 'F', 100, 200);
  await app.platform.settle();

  readings.push(...generate(13));
  // Late data: the second half arrives first, then the first half in reverse order of batches.
  const half = Math.floor(readings.length / 2);
  const late = readings.slice(0, half);
  const chunks: Reading[][] = [];
  for (let i = 0; i < late.length; i += 300) chunks.push(late.slice(i, i + 300));
  await ingest(readings.slice(half));
  for (const c of chunks.reverse()) await ingest(c);
});
afterAll(() => app.close());

const names = () => {
  const n: string[] = [];
  for (const r of [...rules].sort((a, b) => a.id - b.id)) if (!n.includes(r.status)) n.push(r.status);
  return [...n, '未定义', '离线'];
};

async function expectStatistic(type: 1 | 2 | 3, format: 1 | 2, start: string, end: string) {
  const res = await app.http
    .get('/api_3/OEE_statistic')
    .set(org.auth)
    .query({
      Time_Type: type,
      Return_Format: format,
      Time_Start: start,
      Time_End: end,
      Meter_Superior_id: machine,
    })
    .expect(200);
  const from = at(start);
  const to = at(end);
  const buckets = format === 1 ? [{ start: from, end: to }] : refBuckets(CAL, type, start, end);
  const points = refPoints(readings, rules);
  const per = refDurations(points, GAP, Date.now(), from, to, buckets, MIN);
  const expected = buckets.flatMap((b, i) =>
    names().map((n) => ({
      Time: local(Math.max(b.start, from)),
      Total_Amount: Math.round((per[i]!.get(n) ?? 0) / 1000),
      Status_Name: n,
    })),
  );
  expect(res.body.Data).toEqual(expected);
  return expected;
}

async function expectRecords(start: string, end: string) {
  const res = await app.http
    .get('/api_3/OEE_statistic_records')
    .set(org.auth)
    .query({ Time_Start: start, Time_End: end, Meter_Superior_id: machine })
    .expect(200);
  const points = refPoints(readings, rules);
  const expected = refRecords(points, GAP, Date.now(), at(start), at(end), MIN).map((x) => ({
    Time: local(x.t),
    Status_Name: x.status,
  }));
  expect(res.body.Data).toEqual(expected);
  return expected;
}

async function expectAll() {
  for (const d of ['2025-03-23', '2025-03-24', '2025-03-25', '2025-03-26', '2025-03-27']) {
    const next = local(at(`${d} 07:30:00`) + 86_400_000);
    await expectStatistic(3, 2, `${d} 07:30:00`, next);
    await expectRecords(`${d} 07:30:00`, next);
  }
  await expectRecords('2025-03-26 01:17:00', '2025-03-26 19:45:00');
  await expectStatistic(3, 1, '2025-03-26 07:00:00', '2025-03-26 08:00:00');
  await expectStatistic(2, 2, '2025-03-01 00:00:00', '2025-04-01 00:00:00');
  const year = await expectStatistic(1, 2, '2025-01-01 00:00:00', '2026-01-01 00:00:00');
  await expectStatistic(1, 1, '2025-01-01 00:00:00', '2026-01-01 00:00:00');
  return year;
}

describe('7.5 / 7.6 against the brute-force reference', () => {
  it('matches after late data arrived out of order (custom day and month starts, gaps → 离线)', async () => {
    const year = await expectAll();
    const seconds = (n: string) =>
      year.filter((r) => r.Status_Name === n).reduce((s, r) => s + r.Total_Amount, 0);
    // The generated data really has every kind of state, gaps included.
    for (const n of ['停机', '待机', '运行', '检修', '离线']) expect(seconds(n)).toBeGreaterThan(0);
    // The month boundary (03-26 07:30) splits the year into Feb-26 and Mar-26 months exactly at a state change.
    const records = await expectRecords('2025-03-26 07:00:00', '2025-03-26 08:00:00');
    expect(records).toContainEqual({ Time: '2025-03-26 07:30:00', Status_Name: '运行' });
  });

  it('fills a gap with late readings', async () => {
    const t0 = at('2025-03-27 12:00:00');
    const have = new Set(readings.filter((r) => r.meter === meterA).map((r) => r.ts));
    // Registers of late readings repeat the reading before them (no consumption in the gap).
    const before = (ts: number) =>
      readings.filter((r) => r.meter === meterA && r.ts < ts).sort((a, b) => b.ts - a.ts)[0];
    const fill: Reading[] = [];
    for (let t = t0; t < t0 + 6 * 3_600_000; t += 5 * MIN)
      if (!have.has(t))
        fill.push({ meter: meterA, ts: t, params: { P: 30 }, total: before(t)?.total ?? 1000 });
    expect(fill.length).toBeGreaterThan(0);
    readings.push(...fill);
    await ingest(fill);
    await expectAll();
  });

  it('recomputes after rules are edited and removed after the fact', async () => {
    const standby = rules.find((r) => r.status === '待机')!;
    const running = rules.find((r) => r.status === '运行')!;
    // Shrink 运行 first so the widened 待机 does not overlap it.
    await app.http
      .put('/api_3/OEE_status_rules')
      .set(org.auth)
      .send({
        id: running.id,
        Rule_Name: 'r',
        Status_Name: '运行',
        Meter_id: meterA,
        Meter_Parameter: 'P',
        LowerLimit: 100,
        UpperLimit: 1e6,
        Meter_Superior_id: machine,
      })
      .expect(200);
    running.lower = 100;
    await app.http
      .put('/api_3/OEE_status_rules')
      .set(org.auth)
      .send({
        id: standby.id,
        Rule_Name: 's',
        Status_Name: '待机',
        Meter_id: meterA,
        Meter_Parameter: 'P',
        LowerLimit: 10,
        UpperLimit: 99.99,
        Meter_Superior_id: machine,
      })
      .expect(200);
    standby.upper = 99.99;
    const service = rules.find((r) => r.status === '检修')!;
    await app.http.delete('/api_3/OEE_status_rules').set(org.auth).query({ id: service.id }).expect(200);
    rules.splice(rules.indexOf(service), 1);
    await app.platform.settle();
    await expectAll();
  });

  it('answers nothing for another organization and before any reading', async () => {
    const res = await app.http.get('/api_3/OEE_statistic_records').set(other.auth).query({
      Time_Start: '2025-03-26 00:00:00',
      Time_End: '2025-03-27 00:00:00',
      Meter_Superior_id: machine,
    });
    expect(res.status).toBe(404);
    expect(res.body.Err_No).toBe('4002');
    const early = await app.http
      .get('/api_3/OEE_statistic_records')
      .set(org.auth)
      .query({
        Time_Start: '2025-03-20 00:00:00',
        Time_End: '2025-03-21 00:00:00',
        Meter_Superior_id: machine,
      })
      .expect(200);
    expect(early.body.Data).toEqual([]);
  });
});
