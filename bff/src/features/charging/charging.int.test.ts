import { ManualClock } from '../../infra/clock';
import { defineFeature, type DomainEvent, type FeatureModule } from '../../platform/contract';
import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg, type TestUser } from '../../../../test/support/builders';
import {
  assetBodies,
  buildOperator,
  registerAssets,
  type TestOperator,
} from '../../../../test/support/charging';
import { operatorDatetime } from '../../fakes/charging-operator/client';

const T0 = new Date('2026-03-10T02:00:00Z'); // 10:00 in Asia/Shanghai
const at = (ms: number) => operatorDatetime(new Date(T0.getTime() + ms), 'Asia/Shanghai');
const MIN = 60_000;

const seen: DomainEvent[] = [];
const probe = defineFeature('charging-probe', () => ({
  consumers: [
    {
      name: 'charging-probe.events',
      events: ['charging.cell.status', 'charging.record.submitted'],
      handle: async (events) => void seen.push(...events),
    },
  ],
})) as FeatureModule<string, unknown>;

let app: TestApp;
const clock = new ManualClock(T0);
let admin: TestUser;
let a: TestOperator;
let b: TestOperator;

beforeAll(async () => {
  app = await startTestApp({ clock, features: [probe] });
  admin = await buildOrg(app);
  a = await buildOperator(app, clock, admin);
  b = await buildOperator(app, clock, await buildOrg(app));
  await registerAssets(a);
}, 120_000);
afterAll(() => app.close());
beforeEach(() => clock.set(T0));

const eventsOf = async (type: string, cellOrRecord: string) => {
  await app.platform.settle(['charging-probe.events']);
  return seen.filter(
    (e) =>
      e.type === type &&
      ((e.payload as { cellId?: string; recordId?: string }).cellId === cellOrRecord ||
        (e.payload as { recordId?: string }).recordId === cellOrRecord),
  );
};

describe('operator identity (seed 004 signature and token)', () => {
  it('issues a token for a request signed with an empty token, and accepts calls signed with it', async () => {
    const token = await a.fetchToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const res = await a.call('get', '/platform/management/station');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 200, data: { total: 1, list: [{ stationId: 'S1' }] } });
  });

  it('accepts two honest identical requests in one second (the signature covers no body)', async () => {
    const h = a.headers();
    const r1 = await app.http.get('/platform/management/cell').set(h);
    const r2 = await app.http.get('/platform/management/cell').set(h);
    expect([r1.status, r2.status]).toEqual([200, 200]);
  });

  it('refuses a wrong signature (4001), an unknown operator (4005), a missing header (4003)', async () => {
    const h = a.headers();
    const bad = await app.http
      .get('/platform/management/cell')
      .set({ ...h, Signature: a.headers('x'.repeat(43)).Signature });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({
      status: 401,
      message: '签名错误',
      data: { field: 'Signature', code: 4001 },
    });
    const unknown = await app.http.get('/platform/management/cell').set({ ...h, OperatorId: 'NO-SUCH-OP' });
    expect(unknown.body).toMatchObject({ status: 401, data: { field: 'OperatorId', code: 4005 } });
    const { Token: _t, ...noToken } = h;
    const missing = await app.http.get('/platform/management/cell').set(noToken);
    expect(missing.body).toMatchObject({ status: 401, data: { field: 'Token', code: 4003 } });
    // Another operator's token with this operator's signature: refused as a token error.
    await b.fetchToken();
    const foreign = await app.http.get('/platform/management/cell').set(a.headers(b.token));
    expect(foreign.body).toMatchObject({ status: 401, data: { code: 4002 } });
  });

  it('refuses a Datetime more than 5 minutes from the server clock (4010), accepts 4 minutes', async () => {
    await a.fetchToken();
    const late = await app.http
      .get('/platform/management/cell')
      .set(a.headers(a.token, new Date(T0.getTime() - 6 * MIN)));
    expect(late.body).toMatchObject({ status: 401, data: { field: 'Datetime', code: 4010 } });
    const ahead = await app.http
      .get('/platform/management/cell')
      .set(a.headers(a.token, new Date(T0.getTime() + 4 * MIN)));
    expect(ahead.status).toBe(200);
  });

  it('expires a token after 2 hours; a token renewed before expiry keeps working', async () => {
    const old = await a.fetchToken();
    clock.advance(110 * MIN);
    const renewed = await a.fetchToken();
    expect(renewed).not.toBe(old);
    clock.advance(11 * MIN);
    const expired = await app.http.get('/platform/management/cell').set(a.headers(old));
    expect(expired.body).toMatchObject({ status: 401, data: { field: 'Token', code: 4002 } });
    expect((await app.http.get('/platform/management/cell').set(a.headers(renewed))).status).toBe(200);
  });

  it('rotating the secret shows a new one once and revokes the old secret and its tokens', async () => {
    const op = await buildOperator(app, clock, admin);
    const oldToken = await op.fetchToken();
    const res = await app.http
      .post('/api_3/charging_operators/secret')
      .set(admin.auth)
      .send({ id: op.pk })
      .expect(200);
    const fresh = res.body.Data[0].Operator_Secret as string;
    expect(fresh).not.toBe(op.secret);
    expect((await app.http.get('/platform/management/cell').set(op.headers(oldToken))).body.data.code).toBe(
      4001,
    );
    op.secret = fresh;
    expect((await app.http.get('/platform/management/cell').set(op.headers(oldToken))).body.data.code).toBe(
      4002,
    );
    await op.fetchToken();
    expect((await op.call('get', '/platform/management/cell')).status).toBe(200);
    const list = await app.http.get('/api_3/charging_operators').set(admin.auth).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(fresh);
  });

  it('another organization cannot rotate or delete this organization’s operator', async () => {
    const other = await buildOrg(app);
    await app.http.post('/api_3/charging_operators/secret').set(other.auth).send({ id: a.pk }).expect(404);
    await app.http.delete('/api_3/charging_operators').set(other.auth).query({ id: a.pk }).expect(404);
  });
});

describe('stations, equipment, cells', () => {
  it('refuses the seed example body (fireControl 97, smokeSensation 46) naming the field', async () => {
    const seedBody = {
      cellId: '95',
      equipmentId: '37',
      operatorId: '99',
      cellType: 5,
      cellStandard: 'nisi exercitation qui ullamco',
      ratedVoltageUpperLimit: 29,
      ratedVoltageLowerLimit: 19,
      ratedCurrent: 55,
      ratedPower: 81,
      electricityFee: '文山壮族苗族自治州',
      serviceFee: 'ad in esse deserunt elit',
      fireControl: 97,
      smokeSensation: 46,
    };
    const r = await a.call('post', '/platform/management/cell', seedBody);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ status: 400, data: { field: 'fireControl' } });
    const r2 = await a.call('post', '/platform/management/cell', { ...seedBody, fireControl: 1 });
    expect(r2.body.data.field).toBe('smokeSensation');
    expect((await a.call('get', '/platform/management/cell', { cellId: '95' })).body.data.total).toBe(0);
  });

  it('needs the referenced equipment / station under the same operator, and the caller’s own operatorId', async () => {
    const body = assetBodies(a).cell;
    expect(
      (await a.call('post', '/platform/management/cell', { ...body, cellId: 'CX', equipmentId: 'NOPE' })).body
        .data.field,
    ).toBe('equipmentId');
    const bEq = assetBodies(b, { station: 'S1', equipment: 'E1', cell: 'C1' }).equipment;
    // B refers to A's station id: B has no such station.
    expect((await b.call('post', '/platform/management/equipment', bEq)).body.data.field).toBe('stationId');
    expect(
      (await a.call('post', '/platform/management/cell', { ...body, cellId: 'CY', operatorId: b.operatorId }))
        .body.data.field,
    ).toBe('operatorId');
  });

  it('keeps ids unique per operator (409), and lets another operator use the same ids', async () => {
    const dup = await a.call('post', '/platform/management/cell', assetBodies(a).cell);
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ status: 409, data: { field: 'cellId' } });
    await registerAssets(b);
    expect((await b.call('get', '/platform/management/cell')).body.data).toMatchObject({
      total: 1,
      list: [{ operatorId: b.operatorId }],
    });
  });

  it('one operator never sees, changes or deletes another’s records', async () => {
    const mine = (await a.call('get', '/platform/management/cell')).body.data;
    expect(mine.list.every((c: { operatorId: string }) => c.operatorId === a.operatorId)).toBe(true);
    // B deletes "S9" of A: A's station is not B's.
    await registerAssets(a, { station: 'S9', equipment: 'E9', cell: 'C9' });
    expect((await b.call('delete', '/platform/management/cell', { cellId: 'C9' })).status).toBe(404);
    expect(
      (
        await b.call('put', '/platform/management/station', {
          ...assetBodies(b, { station: 'S9', equipment: 'E9', cell: 'C9' }).station,
          stationName: 'x',
        })
      ).status,
    ).toBe(404);
    expect((await a.call('get', '/platform/management/cell', { cellId: 'C9' })).body.data.total).toBe(1);
  });

  it('answers another operator’s ids on every endpoint as absent, and changes nothing of them', async () => {
    const ids = { station: 'S8', equipment: 'E8', cell: 'C8' };
    await registerAssets(a, ids);
    const theirs = assetBodies(b, ids);
    for (const [kind, key, id] of [
      ['station', 'stationId', 'S8'],
      ['equipment', 'equipmentId', 'E8'],
      ['cell', 'cellId', 'C8'],
    ] as const) {
      const path = `/platform/management/${kind}`;
      expect((await b.call('delete', path, { [key]: id })).status).toBe(404);
      const put = await b.call('put', path, theirs[kind]);
      expect([400, 404]).toContain(put.status);
      expect((await b.call('get', path, { [key]: id })).body.data).toEqual({ total: 0, list: [] });
      expect((await a.call('get', path, { [key]: id })).body.data.total).toBe(1);
    }
    expect(
      (
        await b.call('post', '/platform/management/cellStatus', {
          cellId: 'C8',
          status: 3,
          statusTime: at(0),
        })
      ).status,
    ).toBe(404);
    expect((await b.call('get', '/platform/management/chargeOrder', { cellId: 'C1' })).body.data.total).toBe(
      0,
    );
  });

  it('modifies, pages and deletes in order (a station with equipment is in use)', async () => {
    const ids = { station: 'S7', equipment: 'E7', cell: 'C7' };
    const bodies = await registerAssets(a, ids);
    expect(
      (await a.call('put', '/platform/management/cell', { ...bodies.cell, ratedPower: 60 })).body,
    ).toMatchObject({ status: 200, data: '修改成功!' });
    const page = await a.call('get', '/platform/management/cell', { pageNum: 1, pageSize: 1 });
    expect(page.body.data.list).toHaveLength(1);
    expect(page.body.data.total).toBeGreaterThanOrEqual(3);
    expect(
      (await a.call('get', '/platform/management/cell', { cellId: 'C7' })).body.data.list[0].ratedPower,
    ).toBe(60);
    expect((await a.call('delete', '/platform/management/station', { stationId: 'S7' })).status).toBe(409);
    expect((await a.call('delete', '/platform/management/cell', { cellId: 'C7' })).status).toBe(200);
    expect((await a.call('delete', '/platform/management/equipment', { equipmentId: 'E7' })).status).toBe(
      200,
    );
    expect((await a.call('delete', '/platform/management/station', { stationId: 'S7' })).status).toBe(200);
    expect((await a.call('get', '/platform/management/station', { stationId: 'S7' })).body.data.total).toBe(
      0,
    );
  });
});

describe('real-time status', () => {
  it('shows a station exactly as the schema says: counts by status, power, cells in order, times in the site zone', async () => {
    const bodies = await registerAssets(a, { station: 'SV1', equipment: 'EV1', cell: 'CV1a' });
    for (const cellId of ['CV1b', 'CV1c'])
      expect((await a.call('post', '/platform/management/cell', { ...bodies.cell, cellId })).status).toBe(
        200,
      );
    const report = (body: object) => a.call('post', '/platform/management/cellStatus', body);
    expect(
      (
        await report({
          cellId: 'CV1a',
          status: 3,
          statusTime: at(-30_000),
          power: 7.1,
          voltage: 380.5,
          current: 18.25,
          soc: 55,
          totalPower: 1.25,
          startTime: at(-5 * MIN),
        })
      ).status,
    ).toBe(200);
    expect((await report({ cellId: 'CV1b', status: 255, statusTime: at(-MIN), power: 0.2 })).status).toBe(
      200,
    );
    const res = await app.http
      .get('/api_3/charging_stations')
      .query({ Station_Id: 'SV1' })
      .set(admin.auth)
      .expect(200)
      .expect('Content-Type', /json/);
    const cell = (id: string, rest: object) => ({
      Cell_Id: id,
      Cell_Type: 2,
      Rated_Power: 120,
      Status: 0,
      Status_Name: '离网',
      Status_Time: null,
      Power: null,
      Voltage: null,
      Current: null,
      Soc: null,
      Temperature: null,
      Session_Energy: null,
      Charging_Since: null,
      Today_Energy: 0,
      ...rest,
    });
    expect(res.body).toEqual({
      Err_No: '0',
      Err_Msg: 'ok',
      Total_Numbers: 1,
      Data: [
        {
          Station_Id: 'SV1',
          Station_Name: '测试充电站',
          Operator_Id: a.operatorId,
          Site: '一号厂区',
          Address: '测试路 1 号',
          Station_Status: 50,
          Counts: { Offline: 1, Idle: 0, Occupied: 0, Charging: 1, Reserved: 0, Fault: 1 },
          Power: 7.3,
          Today_Energy: 0,
          Today_Sessions: 0,
          Today_Revenue: 0,
          Month_Energy: 0,
          Month_Sessions: 0,
          Month_Revenue: 0,
          Equipment: [
            {
              Equipment_Id: 'EV1',
              Equipment_Name: '1# 桩',
              Equipment_Type: 1,
              Power: 120,
              Cells: [
                cell('CV1a', {
                  Status: 3,
                  Status_Name: '充电中',
                  Status_Time: at(-30_000),
                  Power: 7.1,
                  Voltage: 380.5,
                  Current: 18.25,
                  Soc: 55,
                  Session_Energy: 1.25,
                  Charging_Since: at(-5 * MIN),
                }),
                cell('CV1b', { Status: 255, Status_Name: '故障', Status_Time: at(-MIN), Power: 0.2 }),
                cell('CV1c', {}),
              ],
            },
          ],
        },
      ],
    });
  });

  it('keeps the newest report; an older one never overwrites it; a kept report emits charging.cell.status', async () => {
    const r1 = await a.call('post', '/platform/management/cellStatus', {
      cellId: 'C1',
      status: 3,
      statusTime: at(0),
      power: 60.5,
      voltage: 500,
      current: 121,
      soc: 40,
      totalPower: 5.2,
      startTime: at(-10 * MIN),
    });
    expect(r1.body).toMatchObject({ status: 200, data: { cellId: 'C1', kept: true } });
    const older = await a.call('post', '/platform/management/cellStatus/reReport', {
      cellId: 'C1',
      status: 1,
      statusTime: at(-MIN),
    });
    expect(older.body).toMatchObject({ status: 200, data: { kept: false } });
    const stations = await app.http.get('/api_3/charging_stations').set(admin.auth).expect(200);
    const cell = stations.body.Data.find((s: { Station_Id: string }) => s.Station_Id === 'S1').Equipment[0]
      .Cells[0];
    expect(cell).toMatchObject({
      Cell_Id: 'C1',
      Status: 3,
      Status_Name: '充电中',
      Power: 60.5,
      Soc: 40,
      Session_Energy: 5.2,
      Charging_Since: at(-10 * MIN),
    });
    const events = await eventsOf('charging.cell.status', 'C1');
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({
      operatorId: a.operatorId,
      stationId: 'S1',
      equipmentId: 'E1',
      cellId: 'C1',
      status: 3,
      ts: T0.getTime(),
      voltage: 500,
      current: 121,
      power: 60.5,
      soc: 40,
      temperature: null,
      ratedVoltageUpperLimit: 750,
      ratedVoltageLowerLimit: 200,
      ratedCurrent: 250,
      ratedPower: 120,
    });
  });

  it('answers a list by position: bad items refused naming the field, good ones kept', async () => {
    const r = await a.call('post', '/platform/management/cellStatusList', {
      list: [
        { cellId: 'C1', status: 1, statusTime: at(MIN) },
        { cellId: 'C1', status: 7, statusTime: at(2 * MIN) },
        { cellId: 'NOPE', status: 1, statusTime: at(2 * MIN) },
        'x',
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.data.map((o: { accepted: boolean }) => o.accepted)).toEqual([true, false, false, false]);
    expect(r.body.data[1]).toMatchObject({ index: 1, field: 'status' });
    const cells = (await a.call('get', '/platform/management/cell', { cellId: 'C1' })).body.data;
    expect(cells.total).toBe(1);
    const stations = await app.http
      .get('/api_3/charging_stations')
      .set(admin.auth)
      .query({ Station_Id: 'S1' })
      .expect(200);
    expect(stations.body.Data[0].Equipment[0].Cells[0]).toMatchObject({
      Status: 1,
      Session_Energy: null,
      Charging_Since: null,
    });
  });

  it('checks a report against the cell as it is now: a changed limit is used at once, a deleted cell is 404', async () => {
    const ids = { station: 'S-CACHE', equipment: 'E-CACHE', cell: 'C-CACHE' };
    const bodies = await registerAssets(a, ids);
    // On the real clock: the cell rows are stamped by the database's now().
    const base = Date.now() + 1000;
    clock.set(new Date(base));
    await a.fetchToken();
    const report = (ms: number, voltage: number) => {
      clock.set(new Date(base + ms));
      return a.call('post', '/platform/management/cellStatus', {
        cellId: ids.cell,
        status: 3,
        statusTime: operatorDatetime(new Date(base + ms), 'Asia/Shanghai'),
        voltage,
        current: 100,
        power: 50,
      });
    };
    expect((await report(0, 700)).body.data).toMatchObject({ kept: true }); // first report: one event
    expect((await report(MIN, 700)).body.data).toMatchObject({ kept: true }); // steady: no event
    expect(await eventsOf('charging.cell.status', ids.cell)).toHaveLength(1);
    // The operator lowers the rated upper limit below the voltage it reports: the very next report
    // is checked against 650 V and emitted with the new limit (a cached copy of the cell would say 750).
    clock.set(new Date(base + 1.5 * MIN));
    const put = await a.call('put', '/platform/management/cell', {
      ...bodies.cell,
      ratedVoltageUpperLimit: 650,
    });
    expect(put.status).toBe(200);
    expect((await report(2 * MIN, 700)).body.data).toMatchObject({ kept: true });
    const events = await eventsOf('charging.cell.status', ids.cell);
    expect(events).toHaveLength(2);
    expect(events[1]!.payload).toMatchObject({ voltage: 700, ratedVoltageUpperLimit: 650 });
    // Deleted after it was last read: answered as absent, nothing stored.
    expect((await a.call('delete', '/platform/management/cell', { cellId: ids.cell })).status).toBe(200);
    const gone = await report(3 * MIN, 700);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ status: 404, data: { field: 'cellId' } });
  });

  it('refuses a report from the future and another operator’s cell', async () => {
    expect(
      (
        await a.call('post', '/platform/management/cellStatus', {
          cellId: 'C1',
          status: 1,
          statusTime: at(10 * MIN),
        })
      ).body.data.field,
    ).toBe('statusTime');
    expect(
      (
        await b.call('post', '/platform/management/cellStatus', {
          cellId: 'C9',
          status: 1,
          statusTime: at(0),
        })
      ).status,
    ).toBe(404);
  });
});

const record = (recordId: string, over: object = {}) => ({
  recordId,
  stationId: 'S1',
  equipmentId: 'E1',
  cellId: 'C1',
  startTime: at(-60 * MIN),
  endTime: at(-5 * MIN),
  totalPower: 30,
  elecPrice: 0.8,
  servicePrice: 0.4,
  elecMoney: 24,
  serviceMoney: 12,
  totalMoney: 36,
  plateNo: '沪A12345',
  ...over,
});

describe('charging records', () => {
  it('is idempotent on the record id: a re-submission is accepted once and emits one event', async () => {
    const first = await a.call('post', '/platform/management/chargeOrder', record('R-1'));
    expect(first.body).toMatchObject({
      status: 200,
      data: { recordId: 'R-1', accepted: true, duplicate: false },
    });
    const again = await a.call(
      'post',
      '/platform/management/chargeOrder',
      record('R-1', { totalPower: 31, elecMoney: 24.8, totalMoney: 36.8 }),
    );
    expect(again.body.data).toMatchObject({ accepted: true, duplicate: true });
    const events = await eventsOf('charging.record.submitted', 'R-1');
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({
      recordId: 'R-1',
      totalPower: 30,
      totalMoney: 36,
      plateNo: '沪A12345',
      phone: null,
    });
    const list = await a.call('get', '/platform/management/chargeOrder', { recordId: 'R-1' });
    expect(list.body.data).toMatchObject({ total: 1, list: [{ totalPower: 30, payState: 'none' }] });
  });

  it('checks times and money, naming the field', async () => {
    const f = async (over: object) =>
      (await a.call('post', '/platform/management/chargeOrder', record('R-bad', over))).body.data.field;
    expect(await f({ endTime: at(-60 * MIN) })).toBe('endTime');
    expect(await f({ totalMoney: 40 })).toBe('totalMoney');
    expect(await f({ elecMoney: 30, totalMoney: 42 })).toBe('elecMoney');
    expect(await f({ totalPower: -1 })).toBe('totalPower');
    expect(await f({ cellId: 'C9', equipmentId: 'E9', stationId: 'S1' })).toBe('stationId');
    expect(
      (
        await b.call(
          'post',
          '/platform/management/chargeOrder',
          record('R-b', { cellId: 'C9', equipmentId: 'E9', stationId: 'S9' }),
        )
      ).body.data.field,
    ).toBe('cellId');
    expect(
      (await a.call('get', '/platform/management/chargeOrder', { recordId: 'R-bad' })).body.data.total,
    ).toBe(0);
  });

  it('answers a list by position', async () => {
    const r = await a.call('post', '/platform/management/chargeOrderList', {
      list: [record('R-2'), record('R-3', { totalMoney: 1 }), record('R-1')],
    });
    expect(
      r.body.data.map((o: { accepted: boolean; duplicate?: boolean }) => [o.accepted, o.duplicate ?? null]),
    ).toEqual([
      [true, false],
      [false, null],
      [true, true],
    ]);
    expect(r.body.data[1].field).toBe('totalMoney');
  });

  it('keeps the bill state from payments.bill.changed, once per event, and shows it to the operator only', async () => {
    const rec = (await a.call('get', '/platform/management/chargeOrder', { recordId: 'R-2' })).body.data;
    expect(rec.total).toBe(1);
    const recordPk = (await eventsOf('charging.record.submitted', 'R-2'))[0]!.payload as { recordPk: number };
    // The payments feature has billed the record by now (its own payments.bill.changed, 'unpaid'); the
    // events below stand for its later changes.
    await app.platform.settle();
    const emit = (state: 'paying' | 'paid') =>
      app.deps.db.transaction((tx) =>
        app.platform.events.emit(tx, 'payments.bill.changed', admin.orgId, {
          recordPk: recordPk.recordPk,
          billId: 'B-1',
          state,
          amountFen: 3600,
          refundedFen: 0,
          paidAt: state === 'paid' ? at(0) : null,
        }),
      );
    await emit('paying');
    await emit('paid');
    await app.platform.settle();
    const pay = await a.call('get', '/platform/management/chargeOrder/payState', { recordId: 'R-2' });
    expect(pay.body).toMatchObject({
      status: 200,
      data: { recordId: 'R-2', payState: 'paid', billId: 'B-1', amountFen: 3600, paidAt: at(0) },
    });
    expect(
      (await b.call('get', '/platform/management/chargeOrder/payState', { recordId: 'R-2' })).status,
    ).toBe(404);
  });
});

describe('manager endpoints', () => {
  it('lists records with filters and totals, today’s energy per cell, and utilisation per day', async () => {
    const recs = await app.http
      .get('/api_3/charging_records')
      .set(admin.auth)
      .query({ Station_Id: 'S1' })
      .expect(200);
    expect(recs.body.Total_Numbers).toBe(2);
    expect(recs.body.Data[0]).toMatchObject({
      Station_Id: 'S1',
      Station_Name: '测试充电站',
      Operator_Id: a.operatorId,
      Total_Power: 30,
    });
    const paid = await app.http
      .get('/api_3/charging_records')
      .set(admin.auth)
      .query({ Pay_State: 'paid' })
      .expect(200);
    expect(paid.body.Data.map((r: { Record_Id: string }) => r.Record_Id)).toEqual(['R-2']);
    const totals = await app.http.get('/api_3/charging_record_totals').set(admin.auth).expect(200);
    expect(totals.body.Data[0]).toMatchObject({
      Sessions: 2,
      Total_Power: 60,
      Total_Money: 72,
      Charging_Seconds: 2 * 55 * 60,
    });
    const st = await app.http
      .get('/api_3/charging_stations')
      .set(admin.auth)
      .query({ Station_Id: 'S1' })
      .expect(200);
    expect(st.body.Data[0]).toMatchObject({
      Today_Energy: 60,
      Today_Sessions: 2,
      Today_Revenue: 72,
      Month_Energy: 60,
    });
    expect(st.body.Data[0].Equipment[0].Cells[0].Today_Energy).toBe(60);
    const u = await app.http
      .get('/api_3/charging_utilisation')
      .set(admin.auth)
      .query({ Start_Date: '2026-03-09', End_Date: '2026-03-10', Station_Id: 'S1' })
      .expect(200);
    expect(u.body.Data).toEqual([
      expect.objectContaining({ Date: '2026-03-09', Sessions: 0, Charging_Seconds: 0 }),
      expect.objectContaining({
        Date: '2026-03-10',
        Cells: 1,
        Sessions: 2,
        Energy: 60,
        Charging_Seconds: 6600,
        Utilisation: Math.round((6600 / 86400) * 1e4) / 1e4,
      }),
    ]);
  });

  it('pages the stations (20 by default, oldest first), answering the number of every matching station', async () => {
    const owner = await buildOrg(app);
    const op = await buildOperator(app, clock, owner);
    const ids = Array.from({ length: 23 }, (_, i) => `PS-${String(i + 1).padStart(2, '0')}`);
    for (const id of ids) {
      const res = await op.call(
        'post',
        '/platform/management/station',
        assetBodies(op, {
          station: id,
          equipment: 'x',
          cell: 'x',
        }).station,
      );
      expect(res.status).toBe(200);
    }
    const page = (q: object) => app.http.get('/api_3/charging_stations').set(owner.auth).query(q);
    const idsOf = (body: { Data: { Station_Id: string }[] }) => body.Data.map((d) => d.Station_Id);
    const first = (await page({}).expect(200)).body;
    expect([first.Total_Numbers, idsOf(first)]).toEqual([23, ids.slice(0, 20)]);
    const second = (await page({ Page_Counts: 2 }).expect(200)).body;
    expect([second.Total_Numbers, idsOf(second)]).toEqual([23, ids.slice(20)]);
    const third = (await page({ Per_Page_Counts: 5, Page_Counts: 3 }).expect(200)).body;
    expect([third.Total_Numbers, idsOf(third)]).toEqual([23, ids.slice(10, 15)]);
    // A filter counts what it matches; too large a page is a 400 naming the field.
    const one = (await page({ Station_Id: 'PS-07' }).expect(200)).body;
    expect([one.Total_Numbers, idsOf(one)]).toEqual([1, ['PS-07']]);
    const big = await page({ Per_Page_Counts: 101 });
    expect(big.status).toBe(400);
    expect(big.body.Err_Detail.field).toBe('Per_Page_Counts');
  });

  it('counts for each day only the cells that existed that day: cells added or deleted today leave yesterday alone', async () => {
    const owner = await buildOrg(app);
    const op = await buildOperator(app, clock, owner);
    const call = async (method: 'post' | 'delete', path: string, body: object, when: Date) => {
      clock.set(when);
      op.token = ''; // a day later the token has expired
      const res = await op.call(method, path, body);
      expect([path, res.status]).toEqual([path, 200]);
    };
    const yesterday = new Date('2026-03-09T02:00:00Z'); // 10:00 on 03-09 in Asia/Shanghai
    clock.set(yesterday);
    await registerAssets(op, { station: 'U1', equipment: 'UE', cell: 'U-C1' });
    const cell = (cellId: string) => assetBodies(op, { station: 'U1', equipment: 'UE', cell: cellId }).cell;
    await call('post', '/platform/management/cell', cell('U-C2'), yesterday);
    await call(
      'post',
      '/platform/management/chargeOrder',
      {
        recordId: 'U-R1',
        stationId: 'U1',
        equipmentId: 'UE',
        cellId: 'U-C1',
        startTime: '2026-03-09 10:30:00',
        endTime: '2026-03-09 12:30:00',
        totalPower: 20,
        elecPrice: 0.8,
        servicePrice: 0.4,
        elecMoney: 16,
        serviceMoney: 8,
        totalMoney: 24,
      },
      new Date('2026-03-09T05:00:00Z'),
    );
    // Today (03-10): two cells added, U-C2 deleted.
    await call('post', '/platform/management/cell', cell('U-C3'), new Date(T0.getTime() + MIN));
    await call('post', '/platform/management/cell', cell('U-C4'), new Date(T0.getTime() + 2 * MIN));
    await call('delete', '/platform/management/cell', { cellId: 'U-C2' }, new Date(T0.getTime() + 3 * MIN));
    const u = await app.http
      .get('/api_3/charging_utilisation')
      .set(owner.auth)
      .query({ Start_Date: '2026-03-08', End_Date: '2026-03-11', Station_Id: 'U1' })
      .expect(200);
    // 03-08: none yet; 03-09: U-C1, U-C2; 03-10: U-C1, U-C2 (until it was deleted), U-C3, U-C4;
    // 03-11: U-C1, U-C3, U-C4.
    expect(u.body.Data.map((d: { Date: string; Cells: number }) => [d.Date, d.Cells])).toEqual([
      ['2026-03-08', 0],
      ['2026-03-09', 2],
      ['2026-03-10', 4],
      ['2026-03-11', 3],
    ]);
    expect(u.body.Data[1]).toMatchObject({
      Charging_Seconds: 7200,
      Utilisation: Math.round((7200 / (2 * 86400)) * 1e4) / 1e4,
      Sessions: 1,
    });
  });

  it('shows another organization none of it, and refuses bad filters naming the field', async () => {
    const other = await buildOrg(app);
    expect(
      (await app.http.get('/api_3/charging_stations').set(other.auth).expect(200)).body.Data.every(
        (s: { Operator_Id: string }) => s.Operator_Id !== a.operatorId,
      ),
    ).toBe(true);
    expect(
      (await app.http.get('/api_3/charging_records').set(other.auth).expect(200)).body.Total_Numbers,
    ).toBe(0);
    const bad = await app.http
      .get('/api_3/charging_utilisation')
      .set(admin.auth)
      .query({ Start_Date: '2026-03-10', End_Date: '2026-03-01' });
    expect(bad.status).toBe(400);
    expect(bad.body.Err_Detail.field).toBe('End_Date');
  });
});

describe('charging energy in the energy views', () => {
  it('books each station’s daily record energy on its own meter, not counted into the site total', async () => {
    await app.platform.settle(['charging.energy-meter']);
    const q = { Time_Type: 2, Time_Start: '2026-03-01 00:00:00', Time_End: '2026-03-31 23:59:59' };
    const byMeter = await app.http
      .get('/api_3/allenergy')
      .set(admin.auth)
      .query({ ...q, Amount_Type: 2 })
      .expect(200);
    const row = byMeter.body.Data.find((r: { Meter_Superior: string }) =>
      r.Meter_Superior.includes('（S1）'),
    );
    expect(row).toMatchObject({ Meter_Department: '充电站', Ene_Type: '0' });
    expect(Number(row.Total_Amount)).toBeCloseTo(60, 6);
    // By energy type only counted meters add up: the charging meter is inside the site's total meter.
    const byType = await app.http
      .get('/api_3/allenergy')
      .set(admin.auth)
      .query({ ...q, Amount_Type: 1 })
      .expect(200);
    expect(
      byType.body.Data.filter((r: { Ene_Type: string }) => r.Ene_Type === '0').map(
        (r: { Total_Amount: string }) => Number(r.Total_Amount),
      ),
    ).not.toContain(60);
    // A repeated event re-computes the day's amount instead of adding to it.
    const [first] = await eventsOf('charging.record.submitted', 'R-2');
    await app.deps.db.transaction((tx) =>
      app.platform.events.emit(tx, 'charging.record.submitted', admin.orgId, first!.payload as never),
    );
    await app.platform.settle(['charging.energy-meter']);
    const again = await app.http
      .get('/api_3/allenergy')
      .set(admin.auth)
      .query({ ...q, Amount_Type: 2 })
      .expect(200);
    expect(
      Number(
        again.body.Data.find((r: { Meter_Superior: string }) => r.Meter_Superior.includes('（S1）'))
          .Total_Amount,
      ),
    ).toBeCloseTo(60, 6);
  });
});
