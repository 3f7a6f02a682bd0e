import { ManualClock } from '../../infra/clock';
import type { FakeWeChat } from '../../fakes/wechat/server';
import type { TestApp } from '../../../../test/support/app';
import { buildOrg, type TestUser } from '../../../../test/support/builders';
import { TEST_TEMPLATE } from '../../../../test/support/wechat';
import {
  alarmDeliveries,
  alarmRecords,
  alarmsState,
  buildAlarmSite,
  startAlarmApp,
} from '../../../../test/support/alarms';

const T0 = Date.parse('2026-03-02T02:00:00Z'); // 10:00 in Asia/Shanghai
const MIN = 60_000;

// PGlite migrations and the job schema take a while on a loaded machine.
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

const site = (opts: Parameters<typeof buildAlarmSite>[2] = {}) => buildAlarmSite(app, fake, opts);

const messagesTo = (openid: string) => fake.state.messages.filter((m) => m.touser === openid);
const records = (user: TestUser) => alarmRecords(app, user);
const deliveries = (user: TestUser, id: number) => alarmDeliveries(app, user, id);

describe('alarm evaluation and delivery', () => {
  it('raises one alarm for an excursion, pushes it once over WeChat and shows it in 6.9 with its value and limits', async () => {
    const s = await site();
    await s.read(T0, 0.95);
    expect(messagesTo(s.openid)).toHaveLength(0);
    await s.read(T0 + MIN, 0.82);
    await s.read(T0 + 2 * MIN, 0.8); // still outside: the same alarm
    const body = await records(s.admin);
    expect(body.Total_Numbers).toBe(1);
    expect(body.Data[0]).toMatchObject({
      Alarm_Name: '功率因数过低',
      Rule_Name: 'PF 下限',
      Meter_Name: s.meter.name,
      Alarm_Type: 2,
      Alarm_Level: 2,
      Alarm_State: 1,
      Alarm_Value: 0.82,
      LowerLimit: 0.9,
      UpperLimit: 1,
      Reading_Time: '2026-03-02 10:01:00',
      Alarm_Count: 1,
      Meter_Parameter: 'PF',
      Unread: 1,
    });
    const pushed = messagesTo(s.openid);
    expect(pushed).toHaveLength(1);
    expect(pushed[0]).toMatchObject({
      template_id: TEST_TEMPLATE,
      page: expect.stringContaining(`id=${body.Data[0].id}`),
    });
    expect(pushed[0]!.data.thing1!.value).toBe('功率因数过低');
    const sub = await app.http.get('/api_3/wechat_subscriptions').set(s.admin.auth).expect(200);
    expect(sub.body.Data[0]).toEqual({ Template_Id: TEST_TEMPLATE, Remaining_Times: 4, WeChat_Bound: 1 });
    const ds = await deliveries(s.admin, body.Data[0].id);
    expect(ds.map((d: { Channel: number; Status: string }) => `${d.Channel}:${d.Status}`).sort()).toEqual([
      '1:sent',
      '4:sent',
    ]);
    expect(ds.find((d: { Channel: number }) => d.Channel === 4).Attempts).toEqual([
      expect.objectContaining({ Attempt_No: 1, Result: 'ok', Answer: 'errcode 0' }),
    ]);
    const unread = await app.http.get('/api_3/alarm_unread').set(s.admin.auth).expect(200);
    expect(unread.body.Data[0]).toEqual({ Unread_Numbers: 1, Active_Numbers: 1, Active_Unack_Numbers: 1 });
  });

  it('counts a re-trigger from the deadband zone and clears only inside it, pushing the clear', async () => {
    const s = await site();
    await s.read(T0, 0.8);
    await s.read(T0 + MIN, 0.9005); // inside the limits, within the 1 % deadband
    await s.read(T0 + 2 * MIN, 0.85);
    let rec = (await records(s.admin)).Data[0];
    expect(rec).toMatchObject({ Alarm_State: 1, Alarm_Count: 2 });
    await s.read(T0 + 3 * MIN, 0.95);
    rec = (await records(s.admin)).Data[0];
    expect(rec).toMatchObject({
      Alarm_State: 3,
      Alarm_State_Name: '已恢复未确认',
      Clear_Time: '2026-03-02 10:00:00',
    });
    expect(messagesTo(s.openid).map((m) => m.data.phrase5!.value)).toEqual(['警告告警', '已恢复']);
    const detail = await app.http
      .get('/api_3/alarm_message_detail')
      .set(s.admin.auth)
      .query({ id: rec.id })
      .expect(200);
    expect(detail.body.Data[0].History.map((h: { Action: string }) => h.Action)).toEqual([
      'raise',
      'retrigger',
      'clear',
    ]);
    expect(detail.body.Data[0].Unread).toBe(0);
  });

  it('acknowledges with a comment (idempotent) and keeps who and when in the history', async () => {
    const s = await site();
    await s.read(T0, 0.8);
    const id = (await records(s.admin)).Data[0].id;
    const ack = await app.http
      .post('/api_3/alarm_acknowledge')
      .set(s.admin.auth)
      .send({ id, Ack_Comment: '已派人检查电容柜' })
      .expect(200);
    expect(ack.body.Data[0]).toMatchObject({
      Alarm_State: 2,
      Ack_Usr_Name: s.admin.name,
      Ack_Comment: '已派人检查电容柜',
    });
    await app.http
      .post('/api_3/alarm_acknowledge')
      .set(s.admin.auth)
      .send({ id, Ack_Comment: '第二次' })
      .expect(200);
    const detail = await app.http
      .get('/api_3/alarm_message_detail')
      .set(s.admin.auth)
      .query({ id })
      .expect(200);
    const acks = detail.body.Data[0].History.filter((h: { Action: string }) => h.Action === 'acknowledge');
    expect(acks).toEqual([
      expect.objectContaining({ Usr_Name: s.admin.name, Comment: '已派人检查电容柜', Alarm_State: 2 }),
    ]);
  });

  it('43101 from WeChat sets the remaining count to 0 and falls back to the platform channel', async () => {
    const s = await site({ times: 0 });
    // The app reported an acceptance the phone never gave: WeChat answers 43101.
    await app.http
      .post('/api_3/wechat_subscriptions')
      .set(s.admin.auth)
      .send({ Template_Id: TEST_TEMPLATE, Accepted: 1 })
      .expect(200);
    await s.read(T0, 0.7);
    const id = (await records(s.admin)).Data[0].id;
    const ds = await deliveries(s.admin, id);
    const wx = ds.find((d: { Channel: number }) => d.Channel === 4);
    expect(wx.Status).toBe('fallback');
    expect(wx.Attempts[0].Answer).toContain('43101');
    expect(ds.find((d: { Channel: number }) => d.Channel === 1).Status).toBe('sent');
    const sub = await app.http.get('/api_3/wechat_subscriptions').set(s.admin.auth).expect(200);
    expect(sub.body.Data[0].Remaining_Times).toBe(0);
    expect(messagesTo(s.openid)).toHaveLength(0);
  });

  it('retries a busy WeChat with backoff and records every attempt and answer', async () => {
    const s = await site();
    fake.state.fail('send', -1, 4); // the client retries -1 once itself: two delivery attempts fail
    await s.read(T0, 0.7);
    const id = (await records(s.admin)).Data[0].id;
    const wx = (await deliveries(s.admin, id)).find((d: { Channel: number }) => d.Channel === 4);
    expect(wx.Status).toBe('sent');
    expect(wx.Attempts.map((a: { Result: string }) => a.Result)).toEqual(['error', 'error', 'ok']);
    expect(wx.Attempts[0].Answer).toContain('errcode -1');
    expect(messagesTo(s.openid)).toHaveLength(1);
  });

  it("answers another organization's alarm as missing (4002) and changes nothing", async () => {
    const s = await site();
    await s.read(T0, 0.7);
    const id = (await records(s.admin)).Data[0].id;
    const intruder = await buildOrg(app);
    const before = await alarmsState(app, [s.admin.orgId]);
    for (const [method, path, params] of [
      ['get', '/api_3/alarm_message_detail', { id }],
      ['post', '/api_3/alarm_acknowledge', { id }],
      ['post', '/api_3/alarm_shelve', { id, Shelve_Reason: '检修', Shelve_Minutes: 30 }],
      ['delete', '/api_3/alarm_shelve', { id }],
      ['get', '/api_3/alarm_deliveries', { id }],
      ['post', '/api_3/alarm_read', { id }],
    ] as const) {
      const req = app.http[method](path).set(intruder.auth);
      const res = await (method === 'get' || method === 'delete' ? req.query(params) : req.send(params));
      expect([path, res.status, res.body.Err_No]).toEqual([path, 404, '4002']);
    }
    expect((await records(intruder)).Total_Numbers).toBe(0);
    expect(await alarmsState(app, [s.admin.orgId])).toEqual(before);
  });

  it('6.10 counts alarms per day and per level in the organization calendar', async () => {
    const s = await site();
    await s.read(T0, 0.7); // raised 10:00
    await s.read(T0 + MIN, 0.95);
    clock.set(new Date(T0 + 2 * MIN));
    await s.read(T0 + 2 * MIN, 0.7); // a second alarm
    clock.set(new Date(T0));
    const q = { Time_Type: 2, Time_Start: '2026-03-01 00:00:00', Time_End: '2026-03-04 00:00:00' };
    const total = await app.http
      .get('/api_3/alarm_statistic_nums')
      .set(s.admin.auth)
      .query({ ...q, Statistic_Method: 0, Return_Format: 1 })
      .expect(200);
    expect(total.body.Data).toEqual([{ Time: '2026-03-01 00:00:00', Total_Amount: 2 }]);
    const byDay = await app.http
      .get('/api_3/alarm_statistic_nums')
      .set(s.admin.auth)
      .query({ ...q, Statistic_Method: 1, Return_Format: 2 })
      .expect(200);
    const day2 = byDay.body.Data.filter((r: { Time: string }) => r.Time === '2026-03-02 00:00:00');
    expect(day2).toEqual([
      { Time: '2026-03-02 00:00:00', Total_Amount: 0, Alarm_Level: 1 },
      { Time: '2026-03-02 00:00:00', Total_Amount: 2, Alarm_Level: 2 },
      { Time: '2026-03-02 00:00:00', Total_Amount: 0, Alarm_Level: 3 },
    ]);
    expect(byDay.body.Data).toHaveLength(9);
  });
});
