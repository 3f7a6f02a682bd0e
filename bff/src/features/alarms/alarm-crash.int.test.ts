import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { testDbKind, type TestApp } from '../../../../test/support/app';
import { boot, childEnv, kill9, until, type Bff } from '../../../../test/support/bff-process';
import { openDatabase } from '../../infra/db/client';
import { postReadings } from '../../../../test/support/metering/builders';
import { buildAlarmSite, type AlarmSite } from '../../../../test/support/alarms';
import { startTestWeChat, TEST_TEMPLATE } from '../../../../test/support/wechat';
import type { FakeWeChat } from '../../fakes/wechat/server';

// Issue 9 item 9: kill -9 of the BFF between an alarm's commit and its WeChat delivery. After a
// restart the push is delivered; a duplicate happens only when the kill fell between WeChat's answer
// and our commit of it, and is counted.

const WECHAT_TIMEOUT_MS = 5000;

let fake: FakeWeChat;
let dataDir: string;
let env: Record<string, string>;
const schema = `pgboss_t${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wd-alarm-crash-'));
  const wx = await startTestWeChat();
  fake = wx.fake;
  env = {
    ...wx.env,
    ...childEnv(dataDir, schema),
    WECHAT_ALARM_TEMPLATE_ID: TEST_TEMPLATE,
    // A claim outlives one attempt (3 × the WeChat timeout + 5 s = 20 s): after that a restart takes over.
    WECHAT_TIMEOUT_MS: String(WECHAT_TIMEOUT_MS),
    ALARM_DELIVERY_CLAIM_SECONDS: '1',
  };
});
afterAll(async () => {
  await fake.close();
  if (testDbKind() === 'postgres') {
    const db = await openDatabase({ url: process.env.WD_TEST_DATABASE_URL!, pgliteDir: 'memory://' });
    await db.execScript(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    await db.close();
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const messagesTo = (openid: string) => fake.state.messages.filter((m) => m.touser === openid);
/** The builders only need `http`: here it is the child process's real listener. */
const over = (bff: Bff) => ({ http: request(bff.url) }) as unknown as TestApp;

async function wechatStatus(bff: Bff, site: AlarmSite): Promise<{ Status: string; Attempts: unknown[] }> {
  const q = { Time_Start: '2026-01-01 00:00:00', Time_End: '2036-01-01 00:00:00' };
  const list = await request(bff.url).get('/api_3/alarm_message').set(site.admin.auth).query(q).expect(200);
  const id = list.body.Data[0].id;
  const ds = await request(bff.url)
    .get('/api_3/alarm_deliveries')
    .set(site.admin.auth)
    .query({ id })
    .expect(200);
  return ds.body.Data.find((d: { Channel: number }) => d.Channel === 4);
}

it('delivers an alarm push after a kill -9 between the commit and the send; a duplicate only from the answer-to-commit window', async () => {
  let bff = await boot(env);
  // Two organizations, each with a PF rule pushed over WeChat to its admin.
  const before = await buildAlarmSite(over(bff), fake);
  const during = await buildAlarmSite(over(bff), fake);
  const reading = (site: AlarmSite) =>
    postReadings(over(bff), site.admin, [
      { meter: site.meter.id, ts: Date.now() - 1000, total: 1, params: { PF: 0.7 } },
    ]);

  // 1. Killed after the alarm committed, before its push reached WeChat (the token fetch is in flight).
  fake.state.fail('stable_token', 0, 1, 3000);
  await reading(before);
  await until('the token request', () => fake.state.calls.stable_token > 0);
  await kill9(bff);
  expect(messagesTo(before.openid)).toHaveLength(0);
  bff = await boot(env);
  await until('the push after the restart', () => messagesTo(before.openid).length > 0);
  await until(
    'the delivery recorded as sent',
    async () => (await wechatStatus(bff, before)).Status === 'sent',
  );

  // 2. Killed while WeChat is answering the send: WeChat delivers, our commit of its answer never happens.
  const sendsBefore = fake.state.calls.send;
  fake.state.fail('send', 0, 1, 1500);
  await reading(during);
  await until('the send request', () => fake.state.calls.send > sendsBefore);
  await kill9(bff);
  const inWindow = fake.state.calls.send - sendsBefore; // sends whose answer we never committed
  await until('WeChat delivering the killed send', () => messagesTo(during.openid).length > 0);
  bff = await boot(env);
  await until('the push re-sent after the restart', () => messagesTo(during.openid).length > 1);
  await until(
    'the delivery recorded as sent',
    async () => (await wechatStatus(bff, during)).Status === 'sent',
  );
  const duplicates = messagesTo(during.openid).length - 1;
  expect(duplicates).toBeLessThanOrEqual(inWindow);
  expect(duplicates).toBe(1);
  // The first case had no send in the window: exactly one push.
  expect(messagesTo(before.openid)).toHaveLength(1);

  bff.child.kill('SIGTERM');
  await bff.exited;
}, 600_000);
