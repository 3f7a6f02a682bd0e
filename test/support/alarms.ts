import { sql } from 'drizzle-orm';
import type { FakeWeChat } from '../../bff/src/fakes/wechat/server';
import type { ManualClock } from '../../bff/src/infra/clock';
import { startTestApp, type TestApp } from './app';
import { buildOrg, type TestUser } from './builders';
import { buildMeter, postReadings } from './metering/builders';
import { startTestWeChat, TEST_TEMPLATE, userInfoBind } from './wechat';

/** A test app on a ManualClock whose alarm pushes go to a fake WeChat (on the same clock); `extraEnv` e.g. SMTP_URL. */
export async function startAlarmApp(
  clock: ManualClock,
  extraEnv: Record<string, string> = {},
): Promise<{ app: TestApp; fake: FakeWeChat }> {
  const { fake, env } = await startTestWeChat({ now: () => clock.now().getTime() });
  const app = await startTestApp({
    env: { ...env, WECHAT_ALARM_TEMPLATE_ID: TEST_TEMPLATE, ...extraEnv },
    clock,
  });
  return { app, fake };
}

/** Every alarm row of these organizations (definitions, rules, records, deliveries, quotas): for "changes nothing". */
export async function alarmsState(app: TestApp, orgIds: number[]): Promise<unknown> {
  const ids = `{${orgIds.join(',')}}`;
  const q = (table: string) =>
    app.deps.database.rows(
      sql`select * from ${sql.raw(table)} where org_id = any(${ids}::int[]) order by 1, 2`,
    );
  return {
    definitions: await q('alarm_definitions'),
    rules: await q('alarm_rules'),
    alarms: await q('alarms'),
    history: await q('alarm_history'),
    deliveries: await q('alarm_deliveries'),
    subscriptions: await q('wechat_subscriptions'),
    settings: await q('alarm_notify_settings'),
  };
}

/** Creates an alarm definition (6.2) through the API; returns its id. */
export async function buildAlarmDefinition(
  app: TestApp,
  user: TestUser,
  body: Record<string, unknown> = {},
): Promise<number> {
  const res = await app.http
    .post('/api_3/alarm_status')
    .set(user.auth)
    .send({
      Alarm_Name: '功率因数过低',
      Alarm_Type: 2,
      Alarm_Level: 2,
      Alarm_Notify: 1,
      Notify_Address: '',
      ...body,
    });
  if (res.status !== 200) throw new Error(`buildAlarmDefinition: ${res.status} ${JSON.stringify(res.body)}`);
  return Number(res.body.Data[0].id);
}

/** Creates a rule (6.6) through the API; returns its id. */
export async function buildAlarmRule(
  app: TestApp,
  user: TestUser,
  body: Record<string, unknown>,
): Promise<number> {
  const res = await app.http
    .post('/api_3/alarm_status_rules')
    .set(user.auth)
    .send({ Rule_Name: 'PF 下限', LowerLimit: 0.9, UpperLimit: 1, ...body });
  if (res.status !== 200) throw new Error(`buildAlarmRule: ${res.status} ${JSON.stringify(res.body)}`);
  return Number(res.body.Data[0].id);
}

/**
 * Binds the user's WeChat (9.1) on the fake, has the phone accept the alarm template `times` times and
 * reports each acceptance (POST /api_3/wechat_subscriptions), as the mini-program does.
 */
export async function bindWeChat(app: TestApp, fake: FakeWeChat, user: TestUser, times = 0): Promise<string> {
  const bind = userInfoBind(fake);
  const { openid, ...body } = bind;
  const res = await app.http.post('/api_3/xcx_info_bind').set(user.auth).send(body);
  if (res.status !== 200) throw new Error(`bindWeChat: ${res.status} ${JSON.stringify(res.body)}`);
  if (times > 0) {
    fake.state.setUser(openid, { subscribe: [TEST_TEMPLATE], times });
    for (let i = 0; i < times; i++)
      await app.http
        .post('/api_3/wechat_subscriptions')
        .set(user.auth)
        .send({ Template_Id: TEST_TEMPLATE, Accepted: 1 })
        .expect(200);
  }
  return openid;
}

export interface AlarmSite {
  admin: TestUser;
  meter: { id: number; name: string };
  openid: string;
  def: number;
  rule: number;
  /** Posts one reading of the PF parameter (the total counts up) and settles the jobs it caused. */
  read(ts: number, pf: number): Promise<void>;
}

/**
 * An organization with a meter and a PF rule [0.9, 1] notified to its admin (WeChat by default, bound
 * with `times` acceptances): the common start of the alarm flow tests.
 */
export async function buildAlarmSite(
  app: TestApp,
  fake: FakeWeChat,
  opts: { times?: number; def?: Record<string, unknown>; rule?: Record<string, unknown> } = {},
): Promise<AlarmSite> {
  const admin = await buildOrg(app);
  const meter = await buildMeter(app, admin);
  const openid = await bindWeChat(app, fake, admin, opts.times ?? 5);
  const def = await buildAlarmDefinition(app, admin, {
    Alarm_Notify: 4,
    Notify_Address: admin.name,
    ...opts.def,
  });
  const rule = await buildAlarmRule(app, admin, {
    Alarm_id: def,
    Meter_id: meter.id,
    Meter_Parameter: 'PF',
    ...opts.rule,
  });
  let total = 0;
  const read = async (ts: number, pf: number) => {
    total += 1;
    await postReadings(app, admin, [{ meter: meter.id, ts, total, params: { PF: pf } }]);
    await app.platform.settle();
  };
  return { admin, meter, openid, def, rule, read };
}

const RANGE = { Time_Start: '2026-03-01 00:00:00', Time_End: '2026-04-01 00:00:00' };

/** 6.9 alarm records of the user's organization in March 2026 (the tests' month). */
export async function alarmRecords(app: TestApp, user: TestUser) {
  return (await app.http.get('/api_3/alarm_message').set(user.auth).query(RANGE).expect(200)).body;
}

/** The alarm's deliveries with their attempts (extension endpoint). */
export async function alarmDeliveries(app: TestApp, user: TestUser, id: number) {
  return (
    await app.http
      .get('/api_3/alarm_deliveries')
      .set(user.auth)
      .query({ id, Per_Page_Counts: 100 })
      .expect(200)
  ).body.Data;
}
