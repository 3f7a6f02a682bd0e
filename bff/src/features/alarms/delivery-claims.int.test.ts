import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { ManualClock } from '../../infra/clock';
import type { FakeWeChat } from '../../fakes/wechat/server';
import { startTestApp, type TestApp } from '../../../../test/support/app';
import { postReadings } from '../../../../test/support/metering/builders';
import { startTestWeChat, TEST_TEMPLATE } from '../../../../test/support/wechat';
import {
  alarmDeliveries,
  alarmRecords,
  buildAlarmSite,
  startAlarmApp,
} from '../../../../test/support/alarms';
import { JOB_DELIVER } from './deliveries/planner';

// Issue 9: a delivery job meeting another attempt of the same delivery neither sends twice nor gives
// up on it — it comes back when the other attempt's claim (a lease) expires and takes over if needed.

const T0 = Date.parse('2026-03-02T02:00:00Z'); // 10:00 in Asia/Shanghai
jest.setTimeout(120_000);

let app: TestApp;
let fake: FakeWeChat;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock(new Date(T0));
  ({ app, fake } = await startAlarmApp(clock));
});
afterAll(async () => {
  await app.close();
  await fake.close();
});
beforeEach(() => clock.set(new Date(T0)));

const messagesTo = (openid: string) => fake.state.messages.filter((m) => m.touser === openid);

/** The WeChat delivery row of the organization's only alarm. */
async function wechatDelivery(orgId: number) {
  const rows = await app.deps.database.rows<{
    id: number;
    status: string;
    attempts: number;
    claimed_until: string | Date | null;
  }>(
    sql`select id, status, attempts, claimed_until from alarm_deliveries where org_id = ${orgId} and channel = 4`,
  );
  return rows[0];
}

/** Queued delivery jobs that re-check a claim at its expiry. */
async function leaseChecks(deliveryId: number): Promise<number> {
  const rows = await app.deps.database.rows<{ n: number }>(
    sql`select count(*)::int as n from ${sql.raw(app.config.WD_JOBS_SCHEMA)}.job
         where name = ${JOB_DELIVER} and singleton_key like ${`d:${deliveryId}:lease:%`}`,
  );
  return Number(rows[0]!.n);
}

describe('delivery claims', () => {
  it('a second job meeting an attempt in flight waits for its claim instead of sending again or dropping it', async () => {
    const s = await buildAlarmSite(app, fake);
    fake.state.fail('send', 0, 1, 400); // WeChat answers the first send (ok) after 400 ms
    const first = s.read(T0, 0.7); // the alarm commits; its first attempt runs right after
    let d = await wechatDelivery(s.admin.orgId);
    for (let i = 0; i < 200 && d?.status !== 'sending'; i++) {
      await new Promise((r) => setTimeout(r, 10));
      d = await wechatDelivery(s.admin.orgId);
    }
    expect(d?.status).toBe('sending');
    // Another job for the same delivery (a sweep's, another instance's) runs while the send is in flight.
    await app.platform.jobs.send(JOB_DELIVER, { deliveryId: d!.id }, { key: 'second' });
    await Promise.all([first, app.platform.settle([JOB_DELIVER])]);
    expect(messagesTo(s.openid)).toHaveLength(1);
    expect(await leaseChecks(d!.id)).toBe(1);
    // At the claim's expiry the check finds the delivery sent and does nothing.
    const expiry = new Date(d!.claimed_until!).getTime() + 1000;
    clock.set(new Date(expiry));
    await app.platform.runDue(JOB_DELIVER, new Date(expiry));
    expect(messagesTo(s.openid)).toHaveLength(1);
    const id = (await alarmRecords(app, s.admin)).Data[0].id;
    const wx = (await alarmDeliveries(app, s.admin, id)).find((x: { Channel: number }) => x.Channel === 4);
    expect(wx).toMatchObject({ Status: 'sent', Attempts: [expect.objectContaining({ Attempt_No: 1 })] });
  });

  it('takes over a delivery whose claimer died once its claim expires, not before, and sends it once', async () => {
    // A level-1 alarm inside the admin's quiet hours: its push waits (deferred) until 11:00.
    const s = await buildAlarmSite(app, fake, { def: { Alarm_Level: 1 } });
    await app.http
      .put('/api_3/alarm_notify_settings')
      .set(s.admin.auth)
      .send({ Quiet_Start: '09:00', Quiet_End: '11:00' })
      .expect(200);
    await s.read(T0, 0.7);
    const d = (await wechatDelivery(s.admin.orgId))!;
    expect(d.status).toBe('deferred');
    // At 11:00 a worker claimed it and died mid-attempt (what a kill -9 leaves: a claim, no answer).
    const eleven = T0 + 3_600_000;
    const claimedUntil = new Date(eleven + 60_000);
    await app.deps.database.rows(
      sql`update alarm_deliveries set status = 'sending', attempts = attempts + 1,
            claimed_until = ${claimedUntil.toISOString()}::timestamptz where id = ${d.id}`,
    );
    clock.set(new Date(eleven));
    await app.platform.runDue(JOB_DELIVER, new Date(eleven)); // the deferred job meets the live claim
    expect(messagesTo(s.openid)).toHaveLength(0);
    expect(await leaseChecks(d.id)).toBe(1);
    clock.set(new Date(claimedUntil.getTime() + 1000));
    await app.platform.runDue(JOB_DELIVER, clock.now());
    expect(messagesTo(s.openid)).toHaveLength(1);
    const id = (await alarmRecords(app, s.admin)).Data[0].id;
    const wx = (await alarmDeliveries(app, s.admin, id)).find((x: { Channel: number }) => x.Channel === 4);
    // Attempt 1 was the dead worker's (no answer recorded); attempt 2 sent it.
    expect(wx).toMatchObject({
      Status: 'sent',
      Attempts: [expect.objectContaining({ Attempt_No: 2, Result: 'ok' })],
    });
  });
});

describe('two instances', () => {
  it('deliver each push once when both run workers on one database and job schema', async () => {
    const schema = `pgboss_t${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
    const wx = await startTestWeChat();
    const env = {
      ...wx.env,
      WECHAT_ALARM_TEMPLATE_ID: TEST_TEMPLATE,
      WD_JOBS_SCHEMA: schema,
      WD_JOB_WORKERS: 'true',
    };
    const first = await startTestApp({ env });
    const second = await startTestApp({ env, database: first.deps.database });
    try {
      const sites = [];
      for (let i = 0; i < 6; i++) sites.push(await buildAlarmSite(i % 2 ? second : first, wx.fake));
      // Readings arrive at both instances; either one's workers evaluate and deliver.
      const ts = Date.now() - 60_000;
      await Promise.all(
        sites.map((s, i) =>
          postReadings(i % 2 ? first : second, s.admin, [
            { meter: s.meter.id, ts, total: 1, params: { PF: 0.7 } },
          ]),
        ),
      );
      await first.platform.settle();
      await second.platform.settle();
      for (const s of sites) {
        expect(wx.fake.state.messages.filter((m) => m.touser === s.openid)).toHaveLength(1);
        const q = { Time_Start: '2020-01-01 00:00:00', Time_End: '2040-01-01 00:00:00' };
        const list = await first.http.get('/api_3/alarm_message').set(s.admin.auth).query(q).expect(200);
        expect(list.body.Total_Numbers).toBe(1);
        const ds = await alarmDeliveries(first, s.admin, list.body.Data[0].id);
        // Sent, with one successful attempt each (a timed-out attempt on a loaded machine may come first).
        const ok = (d: { Attempts: { Result: string }[] }) =>
          d.Attempts.filter((x) => x.Result === 'ok').length;
        expect(
          ds
            .map((d: { Channel: number; Status: string; Attempts: { Result: string }[] }) => [
              d.Channel,
              d.Status,
              ok(d),
            ])
            .sort(),
        ).toEqual([
          [1, 'sent', 1],
          [4, 'sent', 1],
        ]);
        expect(ds).toHaveLength(2);
      }
    } finally {
      await second.close();
      await first.close();
      await first.deps.database.execScript(`drop schema if exists ${schema} cascade`).catch(() => undefined);
      await wx.fake.close();
    }
  }, 180_000);
});
