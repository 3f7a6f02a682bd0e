import { parseArgs } from 'node:util';
import { startFakeWeChat } from '../bff/src/fakes/wechat/server';
import { startBff } from './lib/bff-process';
import { Api } from './lib/client';
import { createBenchDatabase } from './lib/database';
import { percentile, printTable, type ResultRow } from './lib/stats';

/**
 * `npm run bench:alarms [-- --meters 50 --seconds 30 --rules 100]`: a real BFF process on a throwaway
 * PostgreSQL database and the fake WeChat server in this process. Measures HTTP ingest of readings with
 * parameters with no alarm rules (run twice, before and after, the mean is the baseline) and with
 * `--rules` type-2 rules active on the ingested meters; during the run with rules, a separate
 * organization's PF rule fires every half second and the time from posting the reading to the fake
 * WeChat receiving the subscribe-message send is recorded. Prints one table; never asserts.
 */
const { values: a } = parseArgs({
  options: {
    meters: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '30' },
    rules: { type: 'string', default: '100' },
    batch: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '4' },
    'pg-admin-url': {
      type: 'string',
      default: process.env.WD_BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
  },
});
const METERS = Number(a.meters);
const SECONDS = Number(a.seconds);
const RULES = Number(a.rules);
const BATCH = Number(a.batch);
const CONCURRENCY = Number(a.concurrency);
const APPID = 'wxbench00000000000';
const SECRET = 'bench-wechat-secret-000000000000';
const TEMPLATE = 'TPL_ALARM_BENCH';

/** An organization with `n` meters (one machine); answers the api and meter ids. */
async function org(
  url: string,
  name: string,
  n: number,
): Promise<{ api: Api; meters: number[]; user: string }> {
  const api = new Api(url);
  await api.signUp(name, 'Bench-password-1');
  const machine = Number(
    (
      await api.call('POST', '/api_3/metersuperiors', {
        Meter_Superior: '压缩机',
        Meter_Department: '动力车间',
        equipmentCode: '01',
        equipmentUnitCode: 'A',
      })
    ).Data[0].id,
  );
  const meters: number[] = [];
  for (let i = 0; i < n; i++)
    meters.push(
      Number(
        (
          await api.call('POST', '/api_3/meters', {
            Meter_Name: `表${i}`,
            Meter_Type: '0',
            Meter_Superior_id: machine,
            Meter_Parameter: 'PF,UA',
          })
        ).Data[0].id,
      ),
    );
  return { api, meters, user: name };
}

/** Sends readings for `seconds` from `concurrency` workers (each owns a share of the meters, in time order). */
async function ingestFor(api: Api, meters: number[], seconds: number, t0: number): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let sent = 0;
  const worker = async (w: number) => {
    const mine = meters.filter((_, i) => i % CONCURRENCY === w);
    const totals = new Map(mine.map((m) => [m, 0]));
    for (let step = 0; performance.now() < until; step++) {
      const readings: unknown[] = [];
      for (let k = 0; readings.length < BATCH; k++) {
        const m = mine[k % mine.length]!;
        const t = t0 + (step * Math.ceil(BATCH / mine.length) + Math.floor(k / mine.length)) * 1000;
        totals.set(m, totals.get(m)! + 0.5);
        readings.push({
          meter: m,
          ts: t,
          total: totals.get(m),
          params: { PF: 0.93 + 0.05 * Math.sin(t / 6e4), UA: 230 },
        });
      }
      const d = (await api.call('POST', '/api_3/readings', { readings })).Data[0];
      if (Number(d.Rejected)) throw new Error(`rejected: ${JSON.stringify(d.Errors.slice(0, 2))}`);
      sent += Number(d.Accepted);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
  return sent / seconds;
}

async function main(): Promise<void> {
  const fake = await startFakeWeChat({ apps: { [APPID]: SECRET }, templates: [TEMPLATE] });
  const db = await createBenchDatabase(a['pg-admin-url']);
  const rows: ResultRow[] = [];
  let bff: Awaited<ReturnType<typeof startBff>> | undefined;
  try {
    bff = await startBff({
      DATABASE_URL: db.url,
      WECHAT_API_BASE: fake.url,
      WECHAT_APPID: APPID,
      WECHAT_SECRET: SECRET,
      WECHAT_ALARM_TEMPLATE_ID: TEMPLATE,
      WD_MQTT_MODE: 'off',
    });
    // Readings of the last day (older instantaneous values are history and not evaluated).
    const t0 = Date.now() - 20 * 3_600_000;
    const base1 = await org(bff.url, `bench_a_${process.pid}`, METERS);
    const withRules = await org(bff.url, `bench_b_${process.pid}`, METERS);
    const def = Number(
      (
        await withRules.api.call('POST', '/api_3/alarm_status', {
          Alarm_Name: '电压越限',
          Alarm_Type: 2,
          Alarm_Level: 2,
          Alarm_Notify: 1,
          Notify_Address: '',
        })
      ).Data[0].id,
    );
    for (let i = 0; i < RULES; i++)
      await withRules.api.call('POST', '/api_3/alarm_status_rules', {
        Rule_Name: `规则${i}`,
        Alarm_id: def,
        Meter_id: withRules.meters[i % METERS],
        Meter_Parameter: i % 2 ? 'UA' : 'PF',
        LowerLimit: i % 2 ? 200 : 0.85,
        UpperLimit: i % 2 ? 250 : 1,
      });
    // The latency organization: one PF rule pushed over WeChat to its admin (bound on the fake).
    const lat = await org(bff.url, `bench_c_${process.pid}`, 1);
    const { code, openid } = fake.state.login();
    const enc = fake.state.encrypt({ code }, { openId: openid, nickName: '压测' }, APPID)!;
    await lat.api.call('POST', '/api_3/xcx_info_bind', { code, ...enc });
    // 55 acceptances (the report endpoint allows 60 a minute per user): enough for one run.
    fake.state.setUser(openid, { subscribe: [TEMPLATE], times: 10_000 });
    for (let i = 0; i < 55; i++)
      await lat.api.call('POST', '/api_3/wechat_subscriptions', { Template_Id: TEMPLATE, Accepted: 1 });
    const latDef = Number(
      (
        await lat.api.call('POST', '/api_3/alarm_status', {
          Alarm_Name: '功率因数过低',
          Alarm_Type: 2,
          Alarm_Level: 3,
          Alarm_Notify: 4,
          Notify_Address: lat.user,
        })
      ).Data[0].id,
    );
    await lat.api.call('POST', '/api_3/alarm_status_rules', {
      Rule_Name: 'PF',
      Alarm_id: latDef,
      Meter_id: lat.meters[0],
      Meter_Parameter: 'PF',
      LowerLimit: 0.9,
      UpperLimit: 1,
    });

    console.log(
      `bench:alarms — ${METERS} meters, ${RULES} rules, ${SECONDS} s per run, batches of ${BATCH} × ${CONCURRENCY}`,
    );
    const before = await ingestFor(base1.api, base1.meters, SECONDS, t0);
    // With rules, and a PF excursion (then recovery) every 0.5 s in the latency organization.
    const latencies: number[] = [];
    /** The reading's HTTP answer (ingest committed): the part of the latency before alarms see it. */
    const acks: number[] = [];
    let stop = false;
    const probe = (async () => {
      for (let k = 0; !stop; k++) {
        const n = fake.state.messages.length;
        const started = Date.now();
        // Data time a minute apart: a real excursion each time, never chattering.
        await lat.api.call('POST', '/api_3/readings', {
          readings: [
            { meter: lat.meters[0], ts: t0 + k * 61_000, total: k, params: { PF: k % 2 ? 0.95 : 0.7 } },
          ],
        });
        acks.push(Date.now() - started);
        const deadline = Date.now() + 10_000;
        while (fake.state.messages.length <= n && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 5));
        if (fake.state.messages.length > n) latencies.push(fake.state.messages[n]!.sent_at - started);
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const during = await ingestFor(withRules.api, withRules.meters, SECONDS, t0);
    stop = true;
    await probe;
    const base2 = await org(bff.url, `bench_d_${process.pid}`, METERS);
    const after = await ingestFor(base2.api, base2.meters, SECONDS, t0);
    const baseline = (before + after) / 2;
    const ratio = during / baseline;
    const p95 = percentile(latencies, 95);
    rows.push(
      {
        what: 'ingest, no rules (mean of before/after)',
        value: `${Math.round(baseline).toLocaleString()} readings/s`,
        target: 'baseline',
        ok: null,
        note: `${Math.round(before)} / ${Math.round(after)}`,
      },
      {
        what: `ingest, ${RULES} rules active`,
        value: `${Math.round(during).toLocaleString()} readings/s`,
        target: '≥ 90 % of baseline',
        ok: ratio >= 0.9,
        note: `${(ratio * 100).toFixed(1)} %`,
      },
      {
        what: 'reading → WeChat send call, p50',
        value: `${percentile(latencies, 50).toFixed(0)} ms`,
        target: '-',
        ok: null,
        note: `${latencies.length} pushes`,
      },
      {
        what: 'reading → ingest answered (committed), p50 / p95',
        value: `${percentile(acks, 50).toFixed(0)} / ${percentile(acks, 95).toFixed(0)} ms`,
        target: '-',
        ok: null,
        note: 'part of the latency spent in ingest',
      },
      {
        what: 'reading → WeChat send call, p95',
        value: `${p95.toFixed(0)} ms`,
        target: '≤ 1000 ms',
        ok: p95 <= 1000,
        note: `max ${Math.max(...latencies).toFixed(0)} ms`,
      },
    );
    printTable('Alarms benchmark', rows);
    // Where slow pushes went: attempts of the latency organization's WeChat deliveries that failed.
    const ds = (await lat.api.get('/api_3/alarm_deliveries', { Per_Page_Counts: '200' })).Data as {
      Channel: number;
      Attempts: { Result: string; Answer: string }[];
    }[];
    const wx = ds.filter((d) => d.Channel === 4);
    const errors = wx.flatMap((d) => d.Attempts.filter((x) => x.Result !== 'ok').map((x) => x.Answer));
    console.log(
      `WeChat deliveries: ${wx.length}, attempts ${wx.reduce((n, d) => n + d.Attempts.length, 0)}, ` +
        `failed attempts ${errors.length}${errors.length ? `: ${[...new Set(errors)].slice(0, 5).join(' | ')}` : ''}`,
    );
  } finally {
    await bff?.stop();
    await fake.close();
    await db.drop();
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
