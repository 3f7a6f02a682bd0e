import { ManualClock } from '../../infra/clock';
import type { FakeWeChat } from '../../fakes/wechat/server';
import { startSmtpSink, type SmtpSink } from '../../fakes/smtp/server';
import { startFakeSms, type FakeSms } from '../../fakes/sms/server';
import type { TestApp } from '../../../../test/support/app';
import { buildMeter } from '../../../../test/support/metering/builders';
import {
  alarmDeliveries,
  alarmRecords,
  buildAlarmRule,
  buildAlarmSite,
  startAlarmApp,
} from '../../../../test/support/alarms';

// Issue 9 item 5: email over SMTP (a real local SMTP server), SMS through the adapter and its fake,
// the platform channel's real-time stream with the unread count, and the daily digest of level-1 pushes.

const T0 = Date.parse('2026-03-02T02:00:00Z'); // 10:00 in Asia/Shanghai
const MIN = 60_000;
jest.setTimeout(120_000);

let app: TestApp;
let fake: FakeWeChat;
let smtp: SmtpSink;
let sms: FakeSms;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock(new Date(T0));
  smtp = await startSmtpSink();
  sms = await startFakeSms({ now: () => clock.now().getTime() });
  ({ app, fake } = await startAlarmApp(clock, {
    SMTP_URL: smtp.url,
    SMS_API_BASE: sms.url,
    SMS_API_KEY: sms.apiKey,
  }));
});
afterAll(async () => {
  await app.close();
  await fake.close();
  await smtp.close();
  await sms.close();
});
beforeEach(() => clock.set(new Date(T0)));

const channelOf = async (s: { admin: Parameters<typeof alarmRecords>[1] }, channel: number) => {
  const id = (await alarmRecords(app, s.admin)).Data[0].id;
  return (await alarmDeliveries(app, s.admin, id)).find((d: { Channel: number }) => d.Channel === channel);
};

describe('email and SMS', () => {
  it('mails the alarm over SMTP to the named user, retrying a temporary refusal, every attempt recorded', async () => {
    const s = await buildAlarmSite(app, fake, { def: { Alarm_Notify: 3 } });
    smtp.failNext(451); // the server refuses the first try for now
    await s.read(T0, 0.72);
    const mine = smtp.mails.filter((m) => m.to.includes(`${s.admin.name}@example.cn`));
    expect(mine).toHaveLength(1);
    const id = (await alarmRecords(app, s.admin)).Data[0].id;
    expect(mine[0]!.subject).toBe('【警告告警】功率因数过低');
    expect(mine[0]!.text).toContain('功率因数过低（规则：PF 下限）');
    expect(mine[0]!.text).toContain(`位置：`);
    expect(mine[0]!.text).toContain(s.meter.name);
    expect(mine[0]!.text).toContain('发生时间：2026-03-02 10:00:00');
    expect(mine[0]!.text).toContain(`告警编号：${id}`);
    const mail = await channelOf(s, 3);
    expect(mail.Status).toBe('sent');
    expect(mail.Attempts).toEqual([
      expect.objectContaining({ Attempt_No: 1, Result: 'error', Answer: expect.stringContaining('451') }),
      expect.objectContaining({ Attempt_No: 2, Result: 'ok', Answer: expect.stringMatching(/^250/) }),
    ]);
  });

  it('fails a mail the server refuses for good (5xx) after one attempt, and never sends it', async () => {
    const s = await buildAlarmSite(app, fake, { def: { Alarm_Notify: 3 } });
    smtp.failNext(550);
    await s.read(T0, 0.72);
    expect(smtp.mails.filter((m) => m.to.includes(`${s.admin.name}@example.cn`))).toHaveLength(0);
    const mail = await channelOf(s, 3);
    expect(mail.Status).toBe('failed');
    expect(mail.Attempts).toEqual([
      expect.objectContaining({ Result: 'error', Answer: expect.stringContaining('550') }),
    ]);
  });

  it('texts a mobile number through the SMS gateway, retrying its server error, every attempt recorded', async () => {
    const phone = '13800138000';
    const s = await buildAlarmSite(app, fake, { def: { Alarm_Notify: 2, Notify_Address: phone } });
    const fail = await fetch(`${sms.url}/__fake/fail`, {
      method: 'POST',
      body: JSON.stringify({ status: 500, times: 1 }),
    });
    expect(fail.status).toBe(200);
    const before = sms.messages.length;
    await s.read(T0, 0.66);
    const sent = sms.messages.slice(before);
    expect(sent).toEqual([
      expect.objectContaining({
        phone,
        params: {
          name: '功率因数过低',
          level: '警告',
          content: expect.stringMatching(/^告警：/),
          time: '2026-03-02 10:00',
        },
      }),
    ]);
    expect(sent[0]!.params.content).toContain('0.66');
    const text = await channelOf(s, 2);
    expect(text.Status).toBe('sent');
    expect(text.Attempts.map((a: { Result: string }) => a.Result)).toEqual(['error', 'ok']);
    expect(text.Attempts[0].Answer).toContain('SERVER_ERROR');
  });
});

/** Reads an SSE response into events (`event:` name and JSON `data:`) as they arrive. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const events: { event: string; data: any }[] = [];
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buf += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
    }
  })();
  /** Resolves with the first event matching, waiting for it to arrive. */
  const next = async (pred: (e: { event: string; data: any }) => boolean) => {
    for (let i = 0; i < 1000; i++) {
      const hit = events.find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no such event; got ${JSON.stringify(events)}`);
  };
  return { events, next, close: () => reader.cancel().then(() => pump) };
}

describe('platform channel and daily digest', () => {
  it('streams a raised alarm with the unread count to an open app (SSE)', async () => {
    const s = await buildAlarmSite(app, fake, { def: { Alarm_Notify: 1 } });
    const base = await app.listen();
    const ticket = await app.http.post('/api_3/alarm_stream_ticket').set(s.admin.auth).expect(200);
    const res = await fetch(`${base}${ticket.body.Data[0].Stream_Url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const sse = sseReader(res.body!);
    try {
      const hello = await sse.next((e) => e.event === 'hello');
      expect(hello.data).toMatchObject({ Unread_Numbers: 0, Active_Numbers: 0 });
      await s.read(T0, 0.7);
      const raised = await sse.next((e) => e.event === 'alarm' && e.data.Unread_Numbers === 1);
      expect(raised.data).toMatchObject({
        Event: 'raised',
        Unread_Numbers: 1,
        Alarm: { Alarm_Name: '功率因数过低', Alarm_State: 1, Alarm_Value: 0.7, Meter_Name: s.meter.name },
      });
      // A ticket opens one stream only.
      const again = await fetch(`${base}${ticket.body.Data[0].Stream_Url}`);
      expect(again.status).toBe(401);
    } finally {
      await sse.close();
    }
  });

  it('sums level-1 pushes up once a day at the user’s digest time instead of one push each', async () => {
    const s = await buildAlarmSite(app, fake, { def: { Alarm_Level: 1, Alarm_Name: '功率因数偏低' } });
    const second = await buildMeter(app, s.admin);
    await buildAlarmRule(app, s.admin, {
      Alarm_id: s.def,
      Meter_id: second.id,
      Meter_Parameter: 'PF',
      Rule_Name: '二号表 PF',
    });
    await app.http
      .put('/api_3/alarm_notify_settings')
      .set(s.admin.auth)
      .send({ Digest_Level1: 1, Digest_Time: '18:00' })
      .expect(200);
    await s.read(T0, 0.8);
    await app.http
      .post('/api_3/readings')
      .set(s.admin.auth)
      .send({ readings: [{ meter: second.id, ts: T0 + MIN, total: 1, params: { PF: 0.85 } }] })
      .expect(200);
    await app.platform.settle();
    const pushes = () => fake.state.messages.filter((m) => m.touser === s.openid);
    expect(pushes()).toHaveLength(0);
    expect((await alarmRecords(app, s.admin)).Total_Numbers).toBe(2);
    // 17:55 local: not yet.
    clock.set(new Date(T0 + 7 * 60 * MIN + 55 * MIN));
    await app.platform.runCron('alarms.digest');
    expect(pushes()).toHaveLength(0);
    // 18:00 local: one summary push for both alarms.
    clock.set(new Date(T0 + 8 * 60 * MIN));
    await app.platform.runCron('alarms.digest');
    expect(pushes()).toHaveLength(1);
    expect(pushes()[0]!.data.thing1!.value).toBe('一般告警每日汇总');
    expect(pushes()[0]!.data.thing4!.value).toMatch(/^共 2 条一般告警/);
    await app.platform.runCron('alarms.digest'); // the next tick sends nothing again
    expect(pushes()).toHaveLength(1);
    const records = (await alarmRecords(app, s.admin)).Data as { id: number }[];
    for (const r of records) {
      const wx = (await alarmDeliveries(app, s.admin, r.id)).find(
        (d: { Channel: number }) => d.Channel === 4,
      );
      expect(wx).toMatchObject({
        Status: 'sent',
        Attempts: [expect.objectContaining({ Result: 'ok', Answer: '每日汇总：errcode 0' })],
      });
    }
  });
});
