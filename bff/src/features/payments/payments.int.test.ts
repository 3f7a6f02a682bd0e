import crypto from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg, type TestUser } from '../../../../test/support/builders';
import { startTestWeChat } from '../../../../test/support/wechat';
import {
  billEvents,
  driverLogin,
  startTestWeChatPay,
  submitRecord,
  until,
} from '../../../../test/support/wechatpay';
import { ManualClock } from '../../infra/clock';
import { createLogger } from '../../infra/logger';
import { buildOperator, registerAssets } from '../../../../test/support/charging';
import { operatorDatetime } from '../../fakes/charging-operator/client';
import type { FakeWeChat } from '../../fakes/wechat/server';
import type { FakeWeChatPay } from '../../fakes/wechatpay/server';
import { paySignString, rsaVerify } from '../../adapters/wechatpay/crypto';
import { JOB_CLOSE, JOB_QUERY } from './service';
import { JOB_RECONCILE } from './reconcile';
import type { PaymentsApi } from './feature';

// Issue 11 items 5–6: the whole pay flow against the fake WeChat Pay — notifications in both key modes,
// duplicated and forged ones, the query when none arrives, expiry, refunds, reconciliation, and who may
// do what (driver tokens vs manager tokens, another driver, another organization).

let app: TestApp;
let wechat: FakeWeChat;
let pay: FakeWeChatPay;
let merchantPublicKey: string;
let keyDir: string;
const clock = new ManualClock(new Date());
/** Every warning the app logs (JSON lines). */
const warnings: Record<string, unknown>[] = [];
const log = createLogger('warn', false, {
  write: (line: string) => void warnings.push(JSON.parse(line) as Record<string, unknown>),
});

beforeAll(async () => {
  const wx = await startTestWeChat();
  wechat = wx.fake;
  const wp = await startTestWeChatPay({ now: () => clock.now().getTime() });
  pay = wp.fake;
  merchantPublicKey = wp.merchantPublicKey;
  keyDir = wp.dir;
  app = await startTestApp({ env: { ...wx.env, ...wp.env }, clock, log });
  pay.state.redirectNotify = await app.listen();
});
afterAll(async () => {
  await app?.close();
  await pay?.close();
  await wechat?.close();
  fs.rmSync(keyDir, { recursive: true, force: true });
});

type Driver = Awaited<ReturnType<typeof driverLogin>>;

/** A record of `admin`'s organization, claimed by `driver` through the connector's QR code. */
async function claimedBill(admin: TestUser, driver: Driver, money = 24.6) {
  const rec = await submitRecord(app, admin.orgId, {
    totalMoney: money,
    // Ended just now on the app's clock (the QR code finds sessions of the last 2 hours).
    endTime: new Date(clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' '),
  });
  const res = await app.http
    .post('/api_3/driver_bill_claim')
    .set(driver.auth)
    .set('X-Forwarded-For', driver.ip)
    .send({ Qr_Code: `WDPAY:${rec.operatorId}:${rec.cellId}` })
    .expect(200);
  return { rec, billId: res.body.Data[0].Bill_ID as number };
}

const order = async (driver: Driver, billId: number) =>
  (
    await app.http
      .post('/api_3/driver_bill_pay')
      .set(driver.auth)
      .set('X-Forwarded-For', driver.ip)
      .send({ Bill_ID: billId })
      .expect(200)
  ).body.Data[0];
const driverBill = async (driver: Driver, billId: number) =>
  (await app.http.get('/api_3/driver_bill').set(driver.auth).query({ Bill_ID: billId }).expect(200)).body
    .Data[0];
const orderRows = (billId: number) =>
  app.deps.database.rows<{ out_trade_no: string; state: string }>(
    sql`select out_trade_no, state from pay_orders where bill_id = ${billId} order by created_at`,
  );
const prepayOf = (o: { Pay_Params: { package: string } }) => o.Pay_Params.package.slice('prepay_id='.length);

/** A bill of a new organization, claimed and paid (through the notification) by a new driver. */
async function paidBill(money: number) {
  const admin = await buildOrg(app);
  const driver = await driverLogin(app, wechat);
  const { billId } = await claimedBill(admin, driver, money);
  const o = await order(driver, billId);
  pay.pay(prepayOf(o));
  await until('paid', async () => (await driverBill(driver, billId)).State === 'paid');
  return { admin, driver, billId, o };
}

describe('paying a bill', () => {
  let admin: TestUser;
  let driver: Driver;
  beforeAll(async () => {
    admin = await buildOrg(app);
    driver = await driverLogin(app, wechat);
  });

  it('turns a record into a bill of fen, claims it by QR code, orders it and signs wx.requestPayment', async () => {
    const { billId } = await claimedBill(admin, driver, 24.6);
    const bill = await driverBill(driver, billId);
    expect(bill).toMatchObject({ Amount_Fen: 2460, Elec_Fen: 1640, Service_Fen: 820, State: 'unpaid' });
    const o = await order(driver, billId);
    expect(o).toMatchObject({ Bill_ID: billId, Amount_Fen: 2460 });
    const p = o.Pay_Params;
    expect(p).toMatchObject({ appId: pay.state.merchants.values().next().value!.appid, signType: 'RSA' });
    expect(
      rsaVerify(paySignString(p.appId, p.timeStamp, p.nonceStr, p.package), p.paySign, merchantPublicKey),
    ).toBe(true);
    // The fake saw a JSAPI order signed by us, for the driver's openid, to our notify_url.
    const seen = pay.state.orders.get(o.Out_Trade_No)!;
    expect(seen).toMatchObject({
      amountFen: 2460,
      openid: driver.openid,
      notifyUrl: 'https://pay.wattdesk.test/api_3/wechatpay_notify',
    });
    // Ordering again while open keeps the same out_trade_no.
    expect((await order(driver, billId)).Out_Trade_No).toBe(o.Out_Trade_No);
    expect(await orderRows(billId)).toHaveLength(1);
    expect((await driverBill(driver, billId)).State).toBe('paying');
  });

  it('is paid exactly once when WeChat Pay sends the notification three times at once', async () => {
    const { rec, billId } = await claimedBill(admin, driver);
    const o = await order(driver, billId);
    pay.pay(prepayOf(o), { duplicate: 2 });
    await until('the notifications answered', () => pay.notifier.acknowledged(o.Out_Trade_No));
    await until(
      'three deliveries',
      () => pay.state.deliveries.filter((d) => d.outTradeNo === o.Out_Trade_No).length >= 3,
    );
    const answers = pay.state.deliveries.filter((d) => d.outTradeNo === o.Out_Trade_No).map((d) => d.status);
    expect(answers).toEqual([204, 204, 204]);
    expect(await driverBill(driver, billId)).toMatchObject({ State: 'paid', State_Name: '已支付' });
    // What the operator-side endpoint reads (charging's operator API, through this feature's api).
    const api = app.platform.registry.api('payments' as never) as PaymentsApi;
    expect(await api.billOfRecord(rec.recordPk)).toMatchObject({
      billId,
      state: 'paid',
      amountFen: 2460,
      refundedFen: 0,
    });
    expect(await api.billOfRecord(-1)).toBeNull();
    expect((await billEvents(app, billId)).map((e) => e.state)).toEqual(['unpaid', 'paying', 'paid']);
    // Paying again is refused.
    const again = await app.http
      .post('/api_3/driver_bill_pay')
      .set(driver.auth)
      .send({ Bill_ID: billId })
      .expect(409);
    expect(again.body.Err_Detail).toMatchObject({ field: 'Bill_ID' });
  });

  it.each(['certificate', 'public_key'] as const)(
    'verifies notifications signed in %s mode',
    async (mode) => {
      pay.state.mode = mode;
      try {
        const { billId } = await claimedBill(admin, driver);
        const o = await order(driver, billId);
        pay.pay(prepayOf(o));
        await until('the notification answered', () => pay.notifier.acknowledged(o.Out_Trade_No));
        expect((await driverBill(driver, billId)).State).toBe('paid');
      } finally {
        pay.state.mode = 'mixed';
      }
    },
  );

  it.each(['signature', 'tag'] as const)(
    'refuses a notification with a bad %s and changes nothing; the genuine re-send pays',
    async (corrupt) => {
      const { billId } = await claimedBill(admin, driver);
      const o = await order(driver, billId);
      pay.pay(prepayOf(o), { corrupt, once: true });
      await until('the forged delivery', () =>
        pay.state.deliveries.find((d) => d.outTradeNo === o.Out_Trade_No),
      );
      const forged = pay.state.deliveries.filter((d) => d.outTradeNo === o.Out_Trade_No);
      expect(forged.map((d) => d.status)).toEqual([corrupt === 'signature' ? 401 : 400]);
      expect((await driverBill(driver, billId)).State).toBe('paying');
      expect((await billEvents(app, billId)).map((e) => e.state)).toEqual(['unpaid', 'paying']);
      expect(
        await app.deps.database.rows(
          sql`select id from pay_notifications where out_trade_no = ${o.Out_Trade_No}`,
        ),
      ).toEqual([]);
      pay.notifier.replay(o.Out_Trade_No);
      await until('the genuine notification', () => pay.notifier.acknowledged(o.Out_Trade_No));
      expect((await driverBill(driver, billId)).State).toBe('paid');
    },
  );

  it('learns of a payment whose notification never arrived from the query job', async () => {
    const { billId } = await claimedBill(admin, driver);
    const o = await order(driver, billId);
    pay.pay(prepayOf(o), { drop: true });
    expect((await driverBill(driver, billId)).State).toBe('paying');
    await app.platform.runDue(JOB_QUERY, new Date(clock.now().getTime() + 31_000));
    expect((await driverBill(driver, billId)).State).toBe('paid');
    expect(await orderRows(billId)).toEqual([{ out_trade_no: o.Out_Trade_No, state: 'paid' }]);
  });

  it('does not mark a bill paid by a genuine notification whose amount differs from the order', async () => {
    const { billId } = await claimedBill(admin, driver);
    const o = await order(driver, billId);
    pay.state.orders.get(o.Out_Trade_No)!.amountFen = 1;
    pay.pay(prepayOf(o));
    await until('the notification answered', () => pay.notifier.acknowledged(o.Out_Trade_No));
    expect((await driverBill(driver, billId)).State).toBe('paying');
    expect((await orderRows(billId)).map((r) => r.state)).toEqual(['open']);
  });

  it('applies a payment found by the last query at expiry instead of closing the order', async () => {
    const { billId } = await claimedBill(admin, driver);
    const o = await order(driver, billId);
    pay.pay(prepayOf(o), { drop: true });
    const expires = new Date(o.Expires_At);
    clock.set(new Date(expires.getTime() + 1000));
    try {
      await app.platform.runDue(JOB_CLOSE, clock.now());
    } finally {
      clock.set(new Date(Math.max(Date.now(), expires.getTime() - 15 * 60_000)));
    }
    expect((await driverBill(driver, billId)).State).toBe('paid');
    expect(pay.state.orders.get(o.Out_Trade_No)!.state).toBe('SUCCESS');
  });

  it('closes an unpaid order at expiry, at WeChat Pay too, and a new order can follow', async () => {
    const { billId } = await claimedBill(admin, driver);
    const o = await order(driver, billId);
    const expires = new Date(o.Expires_At);
    clock.set(new Date(expires.getTime() + 1000));
    try {
      await app.platform.runDue(JOB_CLOSE, clock.now());
    } finally {
      clock.set(new Date(Math.max(Date.now(), expires.getTime() - 15 * 60_000)));
    }
    expect(pay.state.orders.get(o.Out_Trade_No)!.state).toBe('CLOSED');
    expect((await driverBill(driver, billId)).State).toBe('closed');
    const next = await order(driver, billId);
    expect(next.Out_Trade_No).not.toBe(o.Out_Trade_No);
    expect((await orderRows(billId)).map((r) => r.state)).toEqual(['closed', 'open']);
  });
});

describe('with the charging feature', () => {
  it('bills an operator’s record, and the operator reads the payment state once the driver paid', async () => {
    const admin = await buildOrg(app);
    const driver = await driverLogin(app, wechat);
    const op = await buildOperator(app, clock, admin);
    await registerAssets(op);
    const t = (ms: number) => operatorDatetime(new Date(clock.now().getTime() + ms), 'Asia/Shanghai');
    const submitted = await op.call('post', '/platform/management/chargeOrder', {
      recordId: 'R-PAY-1',
      stationId: 'S1',
      equipmentId: 'E1',
      cellId: 'C1',
      startTime: t(-3_600_000),
      endTime: t(-60_000),
      totalPower: 30,
      elecPrice: 0.8,
      servicePrice: 0.4,
      elecMoney: 24,
      serviceMoney: 12,
      totalMoney: 36,
      plateNo: '沪A12345',
    });
    expect(submitted.body).toMatchObject({ status: 200, data: { accepted: true } });
    await app.platform.settle();
    const claim = await app.http
      .post('/api_3/driver_bill_claim')
      .set(driver.auth)
      .send({ Qr_Code: `WDPAY:${op.operatorId}:C1` })
      .expect(200);
    expect(claim.body.Data[0]).toMatchObject({
      Amount_Fen: 3600,
      Station_ID: 'S1',
      Station_Name: '测试充电站',
      Cell_ID: 'C1',
      Plate_No: '沪A·***45',
    });
    const billId = claim.body.Data[0].Bill_ID as number;
    // The admins' view names the station too.
    const bills = await app.http.get('/api_3/charging_bills').set(admin.auth).expect(200);
    expect(bills.body.Data).toEqual([
      expect.objectContaining({ Bill_ID: billId, Station_ID: 'S1', Station_Name: '测试充电站' }),
    ]);
    const o = await order(driver, billId);
    expect(pay.state.orders.get(o.Out_Trade_No)?.description).toBe('充电费用 测试充电站 C1');
    pay.pay(prepayOf(o));
    await until('paid', async () => (await driverBill(driver, billId)).State === 'paid');
    await app.platform.settle();
    const state = await op.call('get', '/platform/management/chargeOrder/payState', { recordId: 'R-PAY-1' });
    expect(state.body).toMatchObject({
      status: 200,
      data: { payState: 'paid', billId: String(billId), amountFen: 3600 },
    });
  });
});

describe('refunds', () => {
  it('refunds once per Refund_No, follows the refund notification, and refuses more than was paid', async () => {
    const { admin, driver, billId, o } = await paidBill(10);

    const body = {
      Bill_ID: billId,
      Refund_No: `rf${crypto.randomBytes(4).toString('hex')}`,
      Refund_Fen: 400,
      Reason: '充电枪故障，部分退款',
    };
    const first = await app.http.post('/api_3/charging_bill_refund').set(admin.auth).send(body).expect(200);
    expect(first.body.Data[0]).toMatchObject({ Refund_Fen: 400, State: 'processing', Reason: body.Reason });
    const second = await app.http.post('/api_3/charging_bill_refund').set(admin.auth).send(body).expect(200);
    expect(second.body.Data[0].Refund_No).toBe(body.Refund_No);
    await app.platform.settle();
    const atWeChat = [...pay.state.refunds.values()].filter((r) => r.outTradeNo === o.Out_Trade_No);
    expect(atWeChat).toHaveLength(1);
    expect((await driverBill(driver, billId)).State).toBe('refunding');

    pay.completeRefund(atWeChat[0]!.outRefundNo);
    await until(
      'refund applied',
      async () => (await driverBill(driver, billId)).State === 'partially_refunded',
    );
    expect((await driverBill(driver, billId)).Refunded_Fen).toBe(400);

    // The same Refund_No for another amount is a different refund: refused.
    const clash = await app.http
      .post('/api_3/charging_bill_refund')
      .set(admin.auth)
      .send({ ...body, Refund_Fen: 100 })
      .expect(409);
    expect(clash.body.Err_Detail).toMatchObject({ field: 'Refund_No' });
    const tooMuch = await app.http
      .post('/api_3/charging_bill_refund')
      .set(admin.auth)
      .send({ ...body, Refund_No: `rf${crypto.randomBytes(4).toString('hex')}`, Refund_Fen: 601 })
      .expect(400);
    expect(tooMuch.body.Err_Detail).toMatchObject({ field: 'Refund_Fen' });
    const list = await app.http
      .get('/api_3/charging_bill_refunds')
      .set(admin.auth)
      .query({ Bill_ID: billId })
      .expect(200);
    expect(list.body.Data.map((r: { State: string }) => r.State)).toEqual(['success']);
    // Another organization's admin cannot see or refund it.
    const other = await buildOrg(app);
    await app.http
      .post('/api_3/charging_bill_refund')
      .set(other.auth)
      .send({ ...body, Refund_No: 'other-1' })
      .expect(404);
    await app.http.get('/api_3/charging_bill_refunds').set(other.auth).query({ Bill_ID: billId }).expect(404);
  });
});

describe('daily reconciliation', () => {
  it('records a planted difference for the bill’s organization only', async () => {
    const { admin, billId, o } = await paidBill(5);
    const billDate = pay.state.orders.get(o.Out_Trade_No)!.successTime!.slice(0, 10);
    pay.state.billOverrides.set(o.Out_Trade_No, { totalFen: 499 });
    await app.deps.database.db.transaction((tx) =>
      app.platform.jobs.sendInTx(tx, JOB_RECONCILE, { billDate }, { key: `recon-${billDate}-${billId}` }),
    );
    await app.platform.settle([JOB_RECONCILE]);
    const res = await app.http
      .get('/api_3/pay_reconciliation')
      .set(admin.auth)
      .query({ Bill_Date: billDate })
      .expect(200);
    expect(res.body.Data).toEqual([
      expect.objectContaining({
        Out_Trade_No: o.Out_Trade_No,
        Bill_ID: billId,
        Kind: 'amount_mismatch',
        Ours_Fen: 500,
        Theirs_Fen: 499,
      }),
    ]);
    const other = await buildOrg(app);
    const none = await app.http
      .get('/api_3/pay_reconciliation')
      .set(other.auth)
      .query({ Bill_Date: billDate })
      .expect(200);
    expect(none.body.Data ?? []).toEqual([]);
  });
});

describe('reconciliation of trades we have no order for', () => {
  it('gives a trade naming one of our bills to that bill’s organization, and logs one of nobody’s for the installation', async () => {
    const { billId: paidId, o, admin: payer } = await paidBill(6);
    const successTime = pay.state.orders.get(o.Out_Trade_No)!.successTime!;
    const billDate = successTime.slice(0, 10);
    // A bill whose order row we lost (say, a database restored from an older backup), and a foreign trade.
    const owner = await buildOrg(app);
    const { billId } = await claimedBill(owner, await driverLogin(app, wechat), 7);
    const lost = `WD${billId}T0123456789ab`;
    const foreign = `OTHER-SHOP-${crypto.randomBytes(4).toString('hex')}`;
    pay.state.billOverrides.set(lost, { totalFen: 700, extra: { successTime } });
    pay.state.billOverrides.set(foreign, { totalFen: 1234, extra: { successTime } });
    await app.deps.database.db.transaction((tx) =>
      app.platform.jobs.sendInTx(
        tx,
        JOB_RECONCILE,
        { billDate },
        { key: `recon-${billDate}-${paidId}-lost` },
      ),
    );
    await app.platform.settle([JOB_RECONCILE]);
    const diffsOf = async (user: TestUser) =>
      (
        await app.http
          .get('/api_3/pay_reconciliation')
          .set(user.auth)
          .query({ Bill_Date: billDate, Per_Page_Counts: 100 })
          .expect(200)
      ).body.Data as { Out_Trade_No: string }[];
    expect(await diffsOf(owner)).toEqual([
      expect.objectContaining({ Out_Trade_No: lost, Bill_ID: billId, Kind: 'missing_ours', Theirs_Fen: 700 }),
    ]);
    // Nobody's trade reaches no organization's admin; it is kept without one and logged.
    for (const user of [owner, payer])
      expect((await diffsOf(user)).map((d) => d.Out_Trade_No)).not.toContain(foreign);
    expect(
      await app.deps.database.rows(
        sql`select org_id, bill_id, kind, theirs_fen from pay_recon_diffs where out_trade_no = ${foreign}`,
      ),
    ).toEqual([{ org_id: null, bill_id: null, kind: 'missing_ours', theirs_fen: 1234 }]);
    expect(warnings).toContainEqual(
      expect.objectContaining({ outTradeNo: foreign, billDate, kind: 'missing_ours', theirsFen: 1234 }),
    );
    expect(warnings.some((w) => w.outTradeNo === lost)).toBe(false);
    pay.state.billOverrides.delete(lost);
    pay.state.billOverrides.delete(foreign);
  });
});

describe('who may do what', () => {
  it('keeps driver tokens off manager endpoints and manager tokens off driver endpoints', async () => {
    const admin = await buildOrg(app);
    const driver = await driverLogin(app, wechat);
    for (const path of ['/api/users', '/api_3/charging_bills', '/api_3/pay_reconciliation'])
      await app.http.get(path).set(driver.auth).expect(401);
    const r = await app.http.get('/api_3/driver_bills').set(admin.auth).expect(401);
    expect(r.body.Err_No).toBe('4101');
    await app.http.get('/api_3/driver_bills').expect(401);
  });

  it('shows a driver only the bills it claimed, and a claimed bill to nobody else', async () => {
    const admin = await buildOrg(app);
    const a = await driverLogin(app, wechat);
    const b = await driverLogin(app, wechat);
    const { rec, billId } = await claimedBill(admin, a);
    await app.http.get('/api_3/driver_bill').set(b.auth).query({ Bill_ID: billId }).expect(404);
    await app.http.post('/api_3/driver_bill_pay').set(b.auth).send({ Bill_ID: billId }).expect(404);
    await app.http
      .post('/api_3/driver_bill_claim')
      .set(b.auth)
      .send({ Qr_Code: `WDPAY:${rec.operatorId}:${rec.cellId}` })
      .expect(404);
    const mine = await app.http.get('/api_3/driver_bills').set(b.auth).expect(200);
    expect(mine.body.Data ?? []).toEqual([]);
    const theirs = await app.http.get('/api_3/driver_bills').set(a.auth).expect(200);
    expect(theirs.body.Data.map((x: { Bill_ID: number }) => x.Bill_ID)).toEqual([billId]);
    expect(theirs.body.Data[0].Plate_No).toMatch(/^粤B·\*\*\*\d\d$/);
  });

  it('claims by plate and phone only when both match', async () => {
    const admin = await buildOrg(app);
    const d = await driverLogin(app, wechat);
    const rec = await submitRecord(app, admin.orgId);
    await app.http
      .post('/api_3/driver_bill_claim')
      .set(d.auth)
      .send({ Plate_No: rec.plateNo, Phone: '13900000000' })
      .expect(404);
    const ok = await app.http
      .post('/api_3/driver_bill_claim')
      .set(d.auth)
      .send({ Plate_No: rec.plateNo, Phone: rec.phone })
      .expect(200);
    expect(ok.body.Data).toHaveLength(1);
  });

  it('answers bad input with a 400 naming the field', async () => {
    const d = await driverLogin(app, wechat);
    const bad = await app.http
      .post('/api_3/driver_bill_pay')
      .set(d.auth)
      .send({ Bill_ID: 'abc' })
      .expect(400);
    expect(bad.body.Err_Detail.field).toBe('Bill_ID');
    const qr = await app.http
      .post('/api_3/driver_bill_claim')
      .set(d.auth)
      .send({ Qr_Code: 'https://example.cn' })
      .expect(400);
    expect(qr.body.Err_Detail.field).toBe('Qr_Code');
    await app.http.post('/api_3/driver_bill_claim').set(d.auth).send({ Plate_No: '粤B12345' }).expect(400);
    const code = await app.http.post('/api_3/driver_login').send({ code: 'no-such-code' }).expect(400);
    expect(code.body.Err_Detail.field).toBe('code');
  });
});
