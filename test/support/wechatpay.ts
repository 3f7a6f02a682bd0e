import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { startFakeWeChatPay, type FakeWeChatPay } from '../../bff/src/fakes/wechatpay/server';
import type { FakeWeChatPayOptions } from '../../bff/src/fakes/wechatpay/state';
import type { ChargingRecordSubmitted } from '../../bff/src/features/charging/events';
import type { TestApp } from './app';
import { randomIp } from './builders';
import type { FakeWeChat } from '../../bff/src/fakes/wechat/server';
import { TEST_APPID } from './wechat';

export { until } from './bff-process';

export const TEST_MCHID = '1230000109';

/**
 * A fake WeChat Pay with one merchant (fresh keys, the private key written to a temp file) and the env
 * that points a test app's WeChat Pay client at it (public-key mode configured too, so both modes work).
 */
export async function startTestWeChatPay(
  opts: FakeWeChatPayOptions = {},
): Promise<{ fake: FakeWeChatPay; env: Record<string, string>; merchantPublicKey: string; dir: string }> {
  const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serial = crypto.randomBytes(20).toString('hex').toUpperCase();
  const apiV3Key = crypto.randomBytes(24).toString('base64url').slice(0, 32);
  const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const fake = await startFakeWeChatPay({
    scheduleScale: 0.002,
    ...opts,
    merchants: [{ mchid: TEST_MCHID, appid: TEST_APPID, serialNo: serial, publicKeyPem, apiV3Key }],
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wd-pay-keys-'));
  fs.writeFileSync(
    path.join(dir, 'apiclient_key.pem'),
    pair.privateKey.export({ type: 'pkcs8', format: 'pem' }),
  );
  fs.writeFileSync(path.join(dir, 'pub_key.pem'), fake.state.publicKeyMode.publicPem);
  return {
    fake,
    merchantPublicKey: publicKeyPem,
    dir,
    env: {
      WECHATPAY_MCHID: TEST_MCHID,
      WECHATPAY_APPID: TEST_APPID,
      WECHATPAY_API_BASE: fake.url,
      WECHATPAY_MCH_SERIAL: serial,
      WECHATPAY_PRIVATE_KEY_FILE: path.join(dir, 'apiclient_key.pem'),
      WECHATPAY_API_V3_KEY: apiV3Key,
      WECHATPAY_PUBLIC_KEY_ID: fake.state.publicKeyMode.id,
      WECHATPAY_PUBLIC_KEY_FILE: path.join(dir, 'pub_key.pem'),
      WECHATPAY_NOTIFY_BASE: 'https://pay.wattdesk.test',
      WECHATPAY_TIMEOUT_MS: '10000',
    },
  };
}

type Record_ = ChargingRecordSubmitted;
let recordSeq = crypto.randomInt(1, 1_000_000) * 1000;

/** What the charging feature emits for a finished session (the test stands in for it), then settles. */
export async function submitRecord(
  app: Pick<TestApp, 'deps' | 'platform'>,
  orgId: number,
  over: Partial<Record_> = {},
): Promise<Record_> {
  const recordPk = ++recordSeq;
  const p: Record_ = {
    recordPk,
    operatorPk: 1,
    operatorId: `OP${orgId}`,
    recordId: `R${recordPk}`,
    stationId: 'ST01',
    equipmentId: 'EQ01',
    cellId: `C${recordPk}`,
    startTime: '2026-01-01 08:00:00',
    endTime: '2026-01-01 09:00:00',
    totalPower: 20.5,
    totalMoney: 24.6,
    elecMoney: 16.4,
    serviceMoney: 8.2,
    plateNo: `粤B${String(recordPk).slice(-5)}`,
    phone: `1380000${String(recordPk).slice(-4)}`,
    ...over,
  };
  await app.deps.database.db.transaction((tx) =>
    app.platform.events.emit(tx, 'charging.record.submitted', orgId, p),
  );
  await app.platform.settle();
  return p;
}

/** A driver signed in with a wx.login code made on the fake WeChat. */
export async function driverLogin(
  app: TestApp,
  wechat: FakeWeChat,
): Promise<{ openid: string; token: string; auth: { Authorization: string }; ip: string }> {
  const { code, openid } = wechat.state.login();
  const ip = randomIp();
  const res = await app.http
    .post('/api_3/driver_login')
    .set('X-Forwarded-For', ip)
    .send({ code })
    .expect(200);
  const token = res.body.Data[0].Driver_Token as string;
  return { openid, token, auth: { Authorization: `Bearer ${token}` }, ip };
}

/** The `payments.bill.changed` events of a bill, in order. */
export async function billEvents(app: Pick<TestApp, 'deps'>, billId: number): Promise<{ state: string }[]> {
  return app.deps.database.rows<{ state: string }>(
    sql`select payload->>'state' as state from platform_events
      where type = 'payments.bill.changed' and payload->>'billId' = ${String(billId)} order by id`,
  );
}
