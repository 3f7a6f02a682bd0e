import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { startTestApp, testDbKind } from '../../../../test/support/app';
import { boot, childEnv, kill9, until, type Bff } from '../../../../test/support/bff-process';
import { buildOrg } from '../../../../test/support/builders';
import { startTestWeChat } from '../../../../test/support/wechat';
import { driverLogin, startTestWeChatPay, submitRecord } from '../../../../test/support/wechatpay';
import { openDatabase, type Database } from '../../infra/db/client';
import { migrate } from '../../infra/db/migrate';
import type { FakeWeChat } from '../../fakes/wechat/server';
import type { FakeWeChatPay } from '../../fakes/wechatpay/server';

// Issue 11 item 6: kill -9 of the real BFF between receiving WeChat Pay's notification and our commit of
// it. After the restart WeChat Pay's re-send (its 15 s … 6 h schedule, compressed) is applied and the bill
// is paid exactly once. On PostgreSQL the window is held open deterministically: the test holds the
// order's row lock, so the BFF's notification transaction waits in it, and is killed there. On PGlite
// (one process owns the data folder) the BFF is killed while the notification is in flight.

let wechat: FakeWeChat;
let pay: FakeWeChatPay;
let dataDir: string;
let keyDir: string;
let env: Record<string, string>;
const schema = `pgboss_t${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
const onPostgres = testDbKind() === 'postgres';

const openDb = async (): Promise<Database> => {
  const db = onPostgres
    ? await openDatabase({ url: process.env.WD_TEST_DATABASE_URL!, pgliteDir: 'memory://', poolSize: 2 })
    : await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
  if (!onPostgres) await migrate(db);
  return db;
};
/** Closes the test's own connection; a PGlite folder is handed back to the BFF (our lock file removed). */
const closeDb = async (db: Database): Promise<void> => {
  await db.close();
  if (!onPostgres) fs.rmSync(path.join(dataDir, 'pglite', 'wattdesk.pid'), { force: true });
};

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wd-pay-crash-'));
  const wx = await startTestWeChat();
  wechat = wx.fake;
  // 0.005 × (15 s, 15 s, 30 s, 3 min, 10 min, 20 min, 30 min…) = 75 ms … 9 s: re-sends keep coming while the BFF restarts.
  const wp = await startTestWeChatPay({ scheduleScale: 0.005 });
  pay = wp.fake;
  keyDir = wp.dir;
  env = {
    ...wx.env,
    ...wp.env,
    ...childEnv(dataDir, schema),
  };
});
afterAll(async () => {
  await pay?.close();
  await wechat?.close();
  if (onPostgres) {
    const db = await openDb();
    await db.execScript(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    await closeDb(db);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(keyDir, { recursive: true, force: true });
});

it('pays a bill exactly once when the BFF is killed -9 between the notification and its commit', async () => {
  // A claimed bill and its JSAPI order, made through an in-process app on the same database.
  const setupDb = await openDb();
  const setup = await startTestApp({ env: { ...env, WD_JOB_WORKERS: 'false' }, database: setupDb });
  const admin = await buildOrg(setup);
  const driver = await driverLogin(setup, wechat);
  const rec = await submitRecord(setup, admin.orgId, {
    endTime: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' '),
  });
  const claim = await setup.http
    .post('/api_3/driver_bill_claim')
    .set(driver.auth)
    .send({ Qr_Code: `WDPAY:${rec.operatorId}:${rec.cellId}` })
    .expect(200);
  const billId = claim.body.Data[0].Bill_ID as number;
  const o = (
    await setup.http.post('/api_3/driver_bill_pay').set(driver.auth).send({ Bill_ID: billId }).expect(200)
  ).body.Data[0];
  await setup.close();
  await closeDb(setupDb);
  const outTradeNo = o.Out_Trade_No as string;
  const deliveries = () => pay.state.deliveries.filter((d) => d.outTradeNo === outTradeNo);

  let bff: Bff = await boot(env);
  pay.state.redirectNotify = bff.url;
  if (onPostgres) {
    const lockDb = await openDb();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = lockDb.db.transaction(async (tx) => {
      await tx.execute(sql`select 1 from pay_orders where out_trade_no = ${outTradeNo} for update`);
      locked();
      await held;
    });
    await isLocked;
    pay.pay(outTradeNo);
    // The BFF verified and decrypted the notification and waits inside its transaction for the order's row.
    await until('the BFF waiting on the order row', async () => {
      const [r] = await lockDb.rows<{ n: number }>(
        sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like '%pay_orders%'`,
      );
      return Number(r!.n) > 0;
    });
    await kill9(bff);
    release();
    await holder;
    const [order] = await lockDb.rows<{ state: string }>(
      sql`select state from pay_orders where out_trade_no = ${outTradeNo}`,
    );
    expect(order!.state).toBe('open');
    await closeDb(lockDb);
  } else {
    pay.pay(outTradeNo);
    await until('the notification in flight', () => pay.state.inFlight > 0);
    await kill9(bff);
  }
  // WeChat Pay saw no 2xx for it, so it keeps re-sending.
  expect(deliveries().some((d) => d.status === 204)).toBe(false);

  bff = await boot(env);
  pay.state.redirectNotify = bff.url;
  await until('WeChat Pay re-sent it and we acknowledged it', () => pay.notifier.acknowledged(outTradeNo));
  const bill = await request(bff.url)
    .get('/api_3/driver_bill')
    .set(driver.auth)
    .query({ Bill_ID: billId })
    .expect(200);
  expect(bill.body.Data[0]).toMatchObject({ State: 'paid', Amount_Fen: 2460 });
  // Further re-sends (a replay now) change nothing.
  pay.notifier.replay(outTradeNo);
  await until('the replay answered', () => deliveries().filter((d) => d.status === 204).length >= 2);
  bff.child.kill('SIGTERM');
  await bff.exited;

  const db = await openDb();
  const paid = await db.rows<{ n: number }>(
    sql`select count(*)::int as n from platform_events where type = 'payments.bill.changed'
      and payload->>'billId' = ${String(billId)} and payload->>'state' = 'paid'`,
  );
  const orders = await db.rows<{ state: string }>(
    sql`select state from pay_orders where bill_id = ${billId}`,
  );
  const notes = await db.rows<{ id: string }>(
    sql`select id from pay_notifications where out_trade_no = ${outTradeNo}`,
  );
  await closeDb(db);
  expect(Number(paid[0]!.n)).toBe(1);
  expect(orders).toEqual([{ state: 'paid' }]);
  expect(notes).toHaveLength(1);
  expect(deliveries().length).toBeGreaterThanOrEqual(3);
}, 300_000);
