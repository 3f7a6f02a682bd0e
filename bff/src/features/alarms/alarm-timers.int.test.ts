import { ManualClock } from '../../infra/clock';
import type { FakeWeChat } from '../../fakes/wechat/server';
import type { DomainEventType, DomainEventTypes } from '../../platform/contract';
import type { TestApp } from '../../../../test/support/app';
import { buildMember, buildOrg, type TestUser } from '../../../../test/support/builders';
import { buildMeter, postReadings } from '../../../../test/support/metering/builders';
import { registerDevice } from '../../../../test/support/devices';
import {
  bindWeChat,
  buildAlarmDefinition,
  buildAlarmRule,
  startAlarmApp,
} from '../../../../test/support/alarms';

const T0 = Date.parse('2026-03-02T02:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const range = { Time_Start: '2026-03-01 00:00:00', Time_End: '2026-04-01 00:00:00' };

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
beforeEach(() => clock.set(new Date(T0)));

const messagesTo = (openid: string) => fake.state.messages.filter((m) => m.touser === openid);
const records = async (user: TestUser) =>
  (await app.http.get('/api_3/alarm_message').set(user.auth).query(range).expect(200)).body.Data;
const at = (t: number) => {
  clock.set(new Date(t));
  return app.platform.runDue('alarms.escalate', new Date(t));
};

/** Emits a device event through the outbox, as the devices feature does when it stores telemetry. */
async function emit<T extends DomainEventType>(type: T, orgId: number, payload: DomainEventTypes[T]) {
  await app.deps.db.transaction((tx) => app.platform.events.emit(tx, type, orgId, payload));
  await app.platform.settle();
}

describe('escalation, re-alarm, shelving, chattering', () => {
  it('escalates to Escalate_To after N minutes, reminds again every N, and an acknowledgement stops every step', async () => {
    const admin = await buildOrg(app);
    const boss = await buildMember(app, admin, 'operator');
    const meter = await buildMeter(app, admin);
    const adminId = await bindWeChat(app, fake, admin, 10);
    const bossId = await bindWeChat(app, fake, boss, 10);
    const def = await buildAlarmDefinition(app, admin, {
      Alarm_Notify: 4,
      Notify_Address: admin.name,
      Escalate_Minutes: 10,
      Escalate_To: boss.name,
    });
    await buildAlarmRule(app, admin, { Alarm_id: def, Meter_id: meter.id, Meter_Parameter: 'PF' });
    await postReadings(app, admin, [{ meter: meter.id, ts: T0, total: 1, params: { PF: 0.7 } }]);
    await app.platform.settle();
    expect(messagesTo(adminId)).toHaveLength(1);
    await at(T0 + 9 * MIN);
    expect(messagesTo(bossId)).toHaveLength(0); // not due yet
    await at(T0 + 10 * MIN);
    expect(messagesTo(bossId)).toHaveLength(1);
    await at(T0 + 20 * MIN);
    expect(messagesTo(bossId)).toHaveLength(2);
    const id = (await records(admin))[0].id;
    expect((await records(admin))[0].Escalation_Level).toBe(2);
    await app.http
      .post('/api_3/alarm_acknowledge')
      .set(boss.auth)
      .send({ id, Ack_Comment: '收到' })
      .expect(200);
    await at(T0 + 30 * MIN);
    await at(T0 + 60 * MIN);
    expect(messagesTo(bossId)).toHaveLength(2);
    expect(messagesTo(adminId)).toHaveLength(1);
  });

  it('re-alarms every Realarm_Minutes while active, making an acknowledged alarm unacknowledged again', async () => {
    const admin = await buildOrg(app);
    const meter = await buildMeter(app, admin);
    const openid = await bindWeChat(app, fake, admin, 10);
    const def = await buildAlarmDefinition(app, admin, { Alarm_Notify: 4, Notify_Address: admin.name });
    await buildAlarmRule(app, admin, {
      Alarm_id: def,
      Meter_id: meter.id,
      Meter_Parameter: 'PF',
      Realarm_Minutes: 30,
    });
    await postReadings(app, admin, [{ meter: meter.id, ts: T0, total: 1, params: { PF: 0.7 } }]);
    await app.platform.settle();
    const id = (await records(admin))[0].id;
    await app.http.post('/api_3/alarm_acknowledge').set(admin.auth).send({ id }).expect(200);
    clock.set(new Date(T0 + 30 * MIN));
    await app.platform.runDue('alarms.realarm', clock.now());
    const rec = (await records(admin))[0];
    expect(rec).toMatchObject({ Alarm_State: 1, Ack_Time: '' });
    expect(messagesTo(openid)).toHaveLength(2);
  });

  it('holds notifications of a shelved point until the shelve expires, then sends what is still active', async () => {
    const admin = await buildOrg(app);
    const meter = await buildMeter(app, admin);
    const openid = await bindWeChat(app, fake, admin, 10);
    const def = await buildAlarmDefinition(app, admin, { Alarm_Notify: 4, Notify_Address: admin.name });
    await buildAlarmRule(app, admin, { Alarm_id: def, Meter_id: meter.id, Meter_Parameter: 'PF' });
    const read = async (ts: number, total: number, pf: number) => {
      await postReadings(app, admin, [{ meter: meter.id, ts, total, params: { PF: pf } }]);
      await app.platform.settle();
    };
    await read(T0, 1, 0.7);
    const first = (await records(admin))[0].id;
    const sh = await app.http
      .post('/api_3/alarm_shelve')
      .set(admin.auth)
      .send({ id: first, Shelve_Reason: '电容柜检修', Shelve_Minutes: 60 })
      .expect(200);
    expect(sh.body.Data[0]).toMatchObject({ Shelved: 1, Shelved_Until: '2026-03-02 11:00:00' });
    await read(T0 + MIN, 2, 0.95); // clears (the clear is held)
    await read(T0 + 2 * MIN, 3, 0.7); // a new alarm on the shelved point
    expect(messagesTo(openid)).toHaveLength(1);
    const second = (await records(admin))[0];
    expect(second.id).not.toBe(first);
    clock.set(new Date(T0 + 60 * MIN));
    await app.platform.runDue('alarms.unshelve', clock.now());
    expect(messagesTo(openid)).toHaveLength(2); // the still-active alarm is annunciated at expiry
  });

  it('flags a chattering rule (3 transitions within a minute) and holds its notifications back', async () => {
    const admin = await buildOrg(app);
    const meter = await buildMeter(app, admin);
    const openid = await bindWeChat(app, fake, admin, 10);
    const def = await buildAlarmDefinition(app, admin, { Alarm_Notify: 4, Notify_Address: admin.name });
    const rule = await buildAlarmRule(app, admin, {
      Alarm_id: def,
      Meter_id: meter.id,
      Meter_Parameter: 'PF',
    });
    const values = [0.7, 0.95, 0.7, 0.95, 0.7];
    for (const [i, pf] of values.entries()) {
      await postReadings(app, admin, [
        { meter: meter.id, ts: T0 + i * 10_000, total: i + 1, params: { PF: pf } },
      ]);
      await app.platform.settle();
    }
    // raise (sent), clear (sent), raise + chattering (held), clear, raise: held
    expect(messagesTo(openid)).toHaveLength(2);
    const list = await app.http
      .get('/api_3/alarm_status_rules')
      .set(admin.auth)
      .query({ id: rule })
      .expect(200);
    expect(list.body.Data[0].Rule_Chattering).toBe(1);
    expect((await records(admin))[0]).toMatchObject({ Chattering: 1, Alarm_State: 1 });
  });
});

describe('hourly consumption and BMS alarms', () => {
  it('re-evaluates a closed hour when late data changes it, raising the excursion it revealed', async () => {
    const admin = await buildOrg(app);
    const meter = await buildMeter(app, admin);
    const def = await buildAlarmDefinition(app, admin, { Alarm_Type: 1, Alarm_Name: '小时用量超标' });
    await buildAlarmRule(app, admin, { Alarm_id: def, Meter_id: meter.id, LowerLimit: 0, UpperLimit: 10 });
    const H = T0; // 10:00–11:00 local
    await postReadings(app, admin, [
      { meter: meter.id, ts: H, total: 100 },
      { meter: meter.id, ts: H + 30 * MIN, total: 104 },
    ]);
    clock.set(new Date(H + HOUR + 6 * MIN));
    await app.platform.runCron('alarms.hourly');
    expect(await records(admin)).toHaveLength(0); // 4 kWh in the hour: inside
    // The 11:00 reading arrives late: the hour closed with 25 kWh.
    await postReadings(app, admin, [{ meter: meter.id, ts: H + HOUR, total: 125 }]);
    await app.platform.settle();
    const recs = await records(admin);
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({
      Alarm_Type: 1,
      Alarm_Value: 25,
      Reading_Time: '2026-03-02 10:00:00',
      UpperLimit: 10,
    });
    // A second delivery of the same late data changes nothing.
    await postReadings(app, admin, [{ meter: meter.id, ts: H + HOUR, total: 125 }]);
    await app.platform.settle();
    expect(await records(admin)).toHaveLength(1);
  });

  it('raises a device alarm when bms.alarm_status rises above 0 and clears it on a fault reset that reads back 0', async () => {
    const admin = await buildOrg(app);
    const { uid } = await registerDevice(app, admin, 'ems', '1# 储能柜');
    const def = await buildAlarmDefinition(app, admin, {
      Alarm_Type: 3,
      Alarm_Name: '储能 BMS 故障',
      Alarm_Level: 3,
    });
    await buildAlarmRule(app, admin, { Alarm_id: def, Device_Uid: uid, LowerLimit: 0, UpperLimit: 0 });
    const telemetry = (n: number, ts: number) => ({
      deviceId: 1,
      deviceUid: uid,
      kind: 'ems',
      ts,
      bms: { alarm_status: n },
      data: {},
    });
    await emit('device.telemetry', admin.orgId, telemetry(0, T0));
    await emit('device.telemetry', admin.orgId, telemetry(2, T0 + 10_000));
    await emit('device.telemetry', admin.orgId, telemetry(2, T0 + 10_000)); // the same event again
    let recs = await records(admin);
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ Alarm_Type: 3, Alarm_Value: 2, Device_Uid: uid, Alarm_State: 1 });
    const detail = await app.http
      .get('/api_3/alarm_message_detail')
      .set(admin.auth)
      .query({ id: recs[0].id })
      .expect(200);
    expect(detail.body.Data[0].Reset_Path).toBe('/wad/ems/v1/api/bms-control');
    clock.set(new Date(T0 + MIN));
    await emit('device.command.completed', admin.orgId, {
      commandId: 'c1',
      deviceId: 1,
      deviceUid: uid,
      method: 'bms.command',
      outcome: 'succeeded',
      userId: admin.id,
      readback: { alarm_status: 0 },
    });
    recs = await records(admin);
    expect(recs[0]).toMatchObject({ Alarm_State: 3 });
    const after = await app.http
      .get('/api_3/alarm_message_detail')
      .set(admin.auth)
      .query({ id: recs[0].id })
      .expect(200);
    expect(after.body.Data[0].History.at(-1)).toMatchObject({ Action: 'reset', Usr_ID: String(admin.id) });
  });
});
