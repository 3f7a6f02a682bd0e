import { sql } from 'drizzle-orm';
import { seedDatetime } from '../../adapters/operator-callback/signing';
import { FakeOperatorReceiver } from '../../fakes/charging-operator/receiver';
import type { FakeWeChat } from '../../fakes/wechat/server';
import { ManualClock } from '../../infra/clock';
import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg, type TestUser } from '../../../../test/support/builders';
import {
  alarmRecords,
  bindWeChat,
  buildAlarmDefinition,
  buildAlarmRule,
} from '../../../../test/support/alarms';
import {
  buildOperator as buildChargingOperator,
  registerAssets,
  type TestOperator,
} from '../../../../test/support/charging';
import { startTestWeChat, TEST_TEMPLATE } from '../../../../test/support/wechat';
import './events';
import { JOB_FAULT_CHECK } from './safety';

const T0 = Date.parse('2026-03-02T02:00:00Z');
const MIN = 60_000;
jest.setTimeout(120_000);

let app: TestApp;
let fake: FakeWeChat;
let clock: ManualClock;

/** An operator (created by its organization's admin, signed seed 004 client) and its callback receiver. */
interface Op {
  pk: number;
  operatorId: string;
  admin: TestUser;
  client: TestOperator;
  receiver: FakeOperatorReceiver;
  url: string;
}
const receivers: FakeOperatorReceiver[] = [];

beforeAll(async () => {
  clock = new ManualClock(new Date(T0));
  const wx = await startTestWeChat({ now: () => clock.now().getTime() });
  fake = wx.fake;
  app = await startTestApp({
    env: {
      ...wx.env,
      WECHAT_ALARM_TEMPLATE_ID: TEST_TEMPLATE,
      CHARGING_CALLBACK_ALLOW_HTTP: 'true',
      CHARGING_CALLBACK_ALLOWED_NETWORKS: '127.0.0.1/32',
      CHARGING_CALLBACK_RETRIES: '3',
      CHARGING_FAULT_WARNING_MINUTES: '5',
    },
    clock,
  });
});
afterAll(async () => {
  await app.close();
  await fake.close();
  for (const r of receivers) await r.close();
});

/** An organization (or the given admin's) with one operator, its station S1 / E1 / cell C1, and a receiver. */
async function buildOperator(admin?: TestUser): Promise<Op> {
  const owner = admin ?? (await buildOrg(app));
  const client = await buildChargingOperator(app, clock, owner);
  await registerAssets(client);
  for (const cell of ['C2', 'C3'])
    await registerAssets(client, { station: `S-${cell}`, equipment: `E-${cell}`, cell });
  const receiver = new FakeOperatorReceiver(client.secret);
  receivers.push(receiver);
  const url = await receiver.start();
  return { pk: client.pk, operatorId: client.operatorId, admin: owner, client, receiver, url };
}

/** The operator's signed headers (a token fetched first when it has none). */
const signed = async (op: Op) => {
  if (!op.client.token) await op.client.fetchToken();
  return op.client.headers();
};

const put = async (op: Op, path: string, body: unknown, headers?: Record<string, string>) =>
  app.http
    .put(`/platform/management/${path}`)
    .set(headers ?? (await signed(op)))
    .send(body as object);

const attempts = async (op: Op) =>
  (
    await app.http
      .get('/platform/management/callbackAttempts')
      .set(await signed(op))
      .expect(200)
  ).body.data;

/** Reports a connector's status through the seed 004 API at `ts` (the clock moves there), then settles. */
async function report(op: Op, cellId: string, ts: number, fields: Record<string, unknown> = {}) {
  clock.set(new Date(ts));
  const res = await op.client.call('post', '/platform/management/cellStatus', {
    cellId,
    status: 1,
    statusTime: seedDatetime(new Date(ts)),
    voltage: 380,
    current: 0,
    temperature: 30,
    ...fields,
  });
  if (res.status !== 200) throw new Error(`cellStatus: ${res.status} ${JSON.stringify(res.body)}`);
  await app.platform.settle();
}

/** Emits `charging.report.refused` directly, in a transaction (one refused item per id). */
const emitRefused = (
  op: Op,
  ev: { report: 'cellStatus' | 'chargeRecord'; requestId: string; ids: string[]; reason: string; ts: number },
) =>
  app.deps.db.transaction((tx) =>
    app.platform.events.emit(tx, 'charging.report.refused', op.admin.orgId, {
      operatorPk: op.pk,
      operatorId: op.operatorId,
      items: ev.ids.map((id, index) => ({ index, id, message: ev.reason })),
      ...ev,
    }),
  );

const urlRows = (op: Op) =>
  app.deps.database.rows(
    sql`select kind, url from charging_callback_urls where operator_pk = ${op.pk} order by kind`,
  );

describe('callback addresses', () => {
  it('saves a checked address and refuses private, loopback and link-local ones with a 400 naming url', async () => {
    const op = await buildOperator();
    for (const url of [
      'http://10.0.0.5/cb',
      'http://169.254.169.254/latest',
      'http://[::1]:8080/cb',
      'http://192.168.1.1/cb',
    ]) {
      const res = await put(op, 'safetyWarningCallback', { operatorId: op.operatorId, url });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 400, data: { field: 'url' } });
    }
    expect(await urlRows(op)).toEqual([]);
    const ok = await put(op, 'safetyWarningCallback', {
      operatorId: op.operatorId,
      url: `${op.url}/warning`,
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ status: 200, message: '请求成功!', data: '修改成功!' });
    const list = await app.http
      .get('/platform/management/callbackUrls')
      .set(await signed(op))
      .expect(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({ kind: 'safetyWarning', url: `${op.url}/warning` }),
    ]);
  });

  it("refuses bad input, a missing signature and another operator's id, changing nothing", async () => {
    const op = await buildOperator();
    const other = await buildOperator();
    const url = `${op.url}/x`;
    const cases: [unknown, number, string][] = [
      [{ operatorId: op.operatorId }, 400, 'url'],
      [{ operatorId: op.operatorId, url, extra: 1 }, 400, 'extra'],
      [{ operatorId: op.operatorId, url: 42 }, 400, 'url'],
      [{ operatorId: other.operatorId, url }, 400, 'operatorId'],
    ];
    for (const [body, status, field] of cases) {
      const res = await put(op, 'realtimeQueryCallback', body);
      expect([res.status, res.body.data?.field]).toEqual([status, field]);
    }
    const unsigned = await put(
      op,
      'realtimeQueryCallback',
      { operatorId: op.operatorId, url },
      { OperatorId: op.operatorId },
    );
    expect(unsigned.status).toBe(401);
    const forged = { ...(await signed(op)), Signature: 'AAAA' };
    expect((await put(op, 'realtimeQueryCallback', { operatorId: op.operatorId, url }, forged)).status).toBe(
      401,
    );
    // The other operator's own address is its own; deleting one never set is a 404.
    await put(other, 'reportFailureCallback', { operatorId: other.operatorId, url: `${other.url}/f` }).then(
      (r) => expect(r.status).toBe(200),
    );
    const del = await app.http
      .delete('/platform/management/reportFailureCallback')
      .set(await signed(op))
      .send({ operatorId: op.operatorId });
    expect(del.status).toBe(404);
    expect(await urlRows(op)).toEqual([]);
    expect(await urlRows(other)).toEqual([{ kind: 'reportFailure', url: `${other.url}/f` }]);
  });
});

describe('platform → operator calls', () => {
  it('signs each call, retries a failing operator and logs every attempt (fail twice, then succeed: three attempts)', async () => {
    const op = await buildOperator();
    const other = await buildOperator();
    await put(op, 'reportFailureCallback', { operatorId: op.operatorId, url: `${op.url}/failed` }).then((r) =>
      expect(r.status).toBe(200),
    );
    op.receiver.fail(2);
    const refused = {
      report: 'cellStatus' as const,
      requestId: 'req-1',
      ids: ['C1'],
      reason: '充电口不存在',
      ts: T0,
    };
    await emitRefused(op, refused);
    // Delivered twice (at least once): still one call.
    await emitRefused(op, refused);
    await app.platform.settle();
    expect(op.receiver.calls).toHaveLength(3);
    expect(op.receiver.calls.every((c) => c.signed && c.headers.operatorId === op.operatorId)).toBe(true);
    expect(new Set(op.receiver.calls.map((c) => c.headers.token)).size).toBe(3);
    expect(op.receiver.calls[2]).toMatchObject({
      path: '/failed',
      body: {
        operatorId: op.operatorId,
        report: 'cellStatus',
        requestId: 'req-1',
        ids: ['C1'],
        items: [{ index: 0, id: 'C1', message: '充电口不存在' }],
        reason: '充电口不存在',
        reportTime: '2026-03-02 10:00:00',
      },
    });
    const data = await attempts(op);
    expect(data.total).toBe(3);
    expect(
      data.list.map((a: { attemptNo: number; result: string; httpStatus: number }) => [
        a.attemptNo,
        a.result,
        a.httpStatus,
      ]),
    ).toEqual([
      [3, 'ok', 200],
      [2, 'http_error', 500],
      [1, 'http_error', 500],
    ]);
    expect(data.list[0]).toMatchObject({ kind: 'reportFailure', callStatus: 'delivered' });
    expect((await attempts(other)).total).toBe(0);
    // The organization's admin sees them too; another organization's admin does not.
    const admin = await app.http
      .get('/api_3/charging_callback_attempts')
      .set(op.admin.auth)
      .query({ Operator_Id: op.operatorId })
      .expect(200);
    expect(admin.body.Total_Numbers).toBe(3);
    expect(admin.body.Data[0]).toMatchObject({ operatorId: op.operatorId, result: 'ok' });
    const foreign = await app.http
      .get('/api_3/charging_callback_attempts')
      .set(other.admin.auth)
      .query({ Operator_Id: op.operatorId })
      .expect(200);
    expect(foreign.body.Total_Numbers).toBe(0);
  });

  it('gives up after the retry limit, and never calls an address that now resolves inside', async () => {
    const op = await buildOperator();
    await put(op, 'reportFailureCallback', { operatorId: op.operatorId, url: `${op.url}/f` });
    op.receiver.fail(10);
    const ev = {
      report: 'chargeRecord' as const,
      requestId: 'req-2',
      ids: ['R1'],
      reason: 'x',
      ts: T0,
    };
    await emitRefused(op, ev);
    await app.platform.settle();
    expect(op.receiver.calls).toHaveLength(4); // first attempt + CHARGING_CALLBACK_RETRIES=3
    expect((await attempts(op)).list[0]).toMatchObject({ attemptNo: 4, callStatus: 'failed' });
    // An address stored before the network policy changed is checked again before the call.
    await app.deps.database.rows(
      sql`update charging_callback_urls set url = 'http://10.9.9.9/f' where operator_pk = ${op.pk}`,
    );
    await emitRefused(op, { ...ev, requestId: 'req-3', ts: T0 + 1000 });
    await app.platform.settle();
    expect((await attempts(op)).list[0]).toMatchObject({
      result: 'url_refused',
      callStatus: 'failed',
      url: 'http://10.9.9.9/f',
    });
  });

  it('tells the 上报失败 callback once per list request, with each refused item and why (status and records)', async () => {
    const op = await buildOperator();
    await put(op, 'reportFailureCallback', { operatorId: op.operatorId, url: `${op.url}/failed` });
    clock.set(new Date(T0));
    const now = seedDatetime(new Date(T0));
    const ok = { cellId: 'C1', status: 1, statusTime: now };
    const res = await op.client.call('post', '/platform/management/cellStatusList', {
      list: [ok, { cellId: 'NO-SUCH', status: 1, statusTime: now }],
    });
    expect(res.body.data.map((o: { accepted: boolean }) => o.accepted)).toEqual([true, false]);
    // A list whose items are all accepted tells nothing.
    await op.client.call('post', '/platform/management/cellStatusList', { list: [ok] });
    await app.platform.settle();
    await app.platform.settle();
    expect(op.receiver.calls).toHaveLength(1);
    expect(op.receiver.calls[0]).toMatchObject({
      path: '/failed',
      signed: true,
      headers: { operatorId: op.operatorId },
      body: {
        operatorId: op.operatorId,
        report: 'cellStatus',
        ids: ['NO-SUCH'],
        items: [{ index: 1, id: 'NO-SUCH', field: 'cellId', message: '充电口不存在' }],
        reportTime: '2026-03-02 10:00:00',
      },
    });
    // Records: nothing accepted (the event has a transaction of its own), each refused item listed.
    const record = {
      recordId: 'R-bad',
      stationId: 'S1',
      equipmentId: 'E1',
      cellId: 'C1',
      startTime: '2026-03-02 09:00:00',
      endTime: '2026-03-02 08:00:00',
      totalPower: 10,
      elecPrice: 0.8,
      servicePrice: 0.4,
      elecMoney: 8,
      serviceMoney: 4,
      totalMoney: 12,
    };
    const recs = await op.client.call('post', '/platform/management/chargeOrderList', {
      list: [record, { recordId: 'R-x' }],
    });
    expect(recs.body.data.map((o: { accepted: boolean }) => o.accepted)).toEqual([false, false]);
    await app.platform.settle();
    expect(op.receiver.calls).toHaveLength(2);
    expect(op.receiver.calls[1]!.body).toMatchObject({
      report: 'chargeRecord',
      ids: ['R-bad', 'R-x'],
      items: [
        { index: 0, id: 'R-bad', field: 'endTime' },
        { index: 1, id: 'R-x', field: expect.any(String) },
      ],
    });
    expect(
      await app.deps.database.rows(sql`select 1 from charging_records where operator_pk = ${op.pk}`),
    ).toEqual([]);
  });

  it("asks the operator for a connector's live data for a manager, and answers another organization's operator as missing", async () => {
    const op = await buildOperator();
    const other = await buildOperator();
    const bad = await app.http
      .post('/api_3/charging_cell_realtime_query')
      .set(op.admin.auth)
      .send({ Operator_Id: op.operatorId });
    expect(bad.status).toBe(400);
    expect(bad.body.Err_Msg).toContain('Cell_Id');
    const foreign = await app.http
      .post('/api_3/charging_process_data_request')
      .set(op.admin.auth)
      .send({ Operator_Id: other.operatorId, Cell_Id: 'C1' });
    expect(foreign.status).toBe(404);
    expect(other.receiver.calls).toHaveLength(0);
    await put(op, 'realtimeQueryCallback', { operatorId: op.operatorId, url: `${op.url}/live` });
    const asked = await app.http
      .post('/api_3/charging_cell_realtime_query')
      .set(op.admin.auth)
      .send({ Operator_Id: op.operatorId, Cell_Id: 'C1' })
      .expect(200);
    await app.platform.settle();
    expect(op.receiver.calls).toEqual([
      expect.objectContaining({
        path: '/live',
        signed: true,
        body: expect.objectContaining({
          operatorId: op.operatorId,
          stationId: 'S1',
          equipmentId: 'E1',
          cellId: 'C1',
          requestId: asked.body.Data[0].Request_Id,
        }),
      }),
    ]);
  });
});

describe('safety warnings', () => {
  /** An operator whose organization's admin gets device alarms for charging over WeChat. */
  async function alarmedOperator() {
    const admin = await buildOrg(app);
    const openid = await bindWeChat(app, fake, admin, 5);
    const def = await buildAlarmDefinition(app, admin, {
      Alarm_Name: '充电安全预警',
      Alarm_Type: 3,
      Alarm_Notify: 4,
      Notify_Address: admin.name,
    });
    await buildAlarmRule(app, admin, {
      Alarm_id: def,
      Rule_Name: '充电口',
      Device_Uid: 'charging',
      LowerLimit: 0,
      UpperLimit: 0,
    });
    const op = await buildOperator(admin);
    await put(op, 'safetyWarningCallback', { operatorId: op.operatorId, url: `${op.url}/warning` });
    return { op, openid };
  }
  const warnings = (op: Op) =>
    op.receiver.calls.filter((c) => c.path === '/warning').map((c) => c.body as Record<string, unknown>);
  const pushes = (openid: string) => fake.state.messages.filter((m) => m.touser === openid);

  it('raises a warning after N minutes in 255 on the test clock, to the operator and to the site manager', async () => {
    const { op, openid } = await alarmedOperator();
    await report(op, 'C1', T0, { status: 255 });
    await app.platform.runDue(JOB_FAULT_CHECK, new Date(T0 + 4 * MIN));
    expect(warnings(op)).toHaveLength(0);
    clock.set(new Date(T0 + 5 * MIN));
    await app.platform.runDue(JOB_FAULT_CHECK, new Date(T0 + 5 * MIN));
    expect(warnings(op)).toEqual([
      expect.objectContaining({
        cellId: 'C1',
        warningType: 'fault',
        warningStatus: 1,
        warningTime: '2026-03-02 10:00:00',
        limit: 5,
      }),
    ]);
    expect(op.receiver.calls.every((c) => c.signed)).toBe(true);
    const pushed = pushes(openid);
    expect(pushed).toHaveLength(1);
    expect(pushed[0]!.data.thing1!.value).toBe('充电安全预警');
    const rec = (await alarmRecords(app, op.admin)).Data;
    expect(rec).toEqual([
      expect.objectContaining({
        Alarm_Name: '充电安全预警',
        Alarm_State: 1,
        Alarm_Content: '充电站 S1 充电桩 E1 充电口 C1 故障已持续 5 分钟（限值 5 分钟）',
      }),
    ]);
    // Recovery clears it, for the operator (warningStatus 0) and the alarm.
    await report(op, 'C1', T0 + 6 * MIN, { status: 1 });
    expect(warnings(op).map((w) => w.warningStatus)).toEqual([1, 0]);
    expect((await alarmRecords(app, op.admin)).Data[0]).toMatchObject({ Alarm_State: 3 });
    clock.set(new Date(T0));
  });

  it('raises nothing when the connector recovers before N minutes, nor for an older report arriving late', async () => {
    const { op, openid } = await alarmedOperator();
    await report(op, 'C2', T0, { status: 255 });
    await report(op, 'C2', T0 + 2 * MIN, { status: 1 });
    await report(op, 'C2', T0 + MIN, { status: 255 }); // out of order: ignored
    // The fault check was cancelled when the status changed: nothing left to run.
    expect(await app.platform.runDue(JOB_FAULT_CHECK, new Date(T0 + 10 * MIN))).toBe(0);
    expect(warnings(op)).toHaveLength(0);
    expect(pushes(openid)).toHaveLength(0);
  });

  it('raises an over-voltage warning at once, once per excursion, and clears it back within the rated limit', async () => {
    const { op, openid } = await alarmedOperator();
    await report(op, 'C3', T0, { status: 3, voltage: 762.5, current: 16 });
    await report(op, 'C3', T0 + 15_000, { status: 3, voltage: 763, current: 16 });
    expect(warnings(op)).toEqual([
      expect.objectContaining({ warningType: 'overVoltage', warningStatus: 1, value: 762.5, limit: 750 }),
    ]);
    expect(String(warnings(op)[0]!.warningDesc)).toContain('762.5 V');
    expect(pushes(openid)).toHaveLength(1);
    await report(op, 'C3', T0 + 30_000, { status: 3, voltage: 740, current: 16 });
    expect(warnings(op).map((w) => [w.warningType, w.warningStatus])).toEqual([
      ['overVoltage', 1],
      ['overVoltage', 0],
    ]);
  });
});
