import mqtt from 'mqtt';
import {
  startDeviceApp,
  registerDevice,
  startSimulator,
  eventually,
  unique,
} from '../../../../../test/support/devices';
import { buildMember, buildOrg, type TestUser } from '../../../../../test/support/builders';
import type { TestApp } from '../../../../../test/support/app';

const API = '/wad/ems/v1/api';

describe('device registry and broker authentication (embedded aedes)', () => {
  let app: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    app = await startDeviceApp('embedded');
    admin = await buildOrg(app);
  });
  afterAll(() => app.close());

  const connect = (uid: string, password: string, clientId = uid) =>
    mqtt.connectAsync(app.deps.devices.brokerUrl!, {
      clientId,
      username: uid,
      password,
      reconnectPeriod: 0,
      connectTimeout: 3000,
    });

  it('registers a device, shows its secret once, and lists it with online state and last telemetry', async () => {
    const reg = await registerDevice(app, admin);
    expect(reg.secret).toMatch(/^wds_[A-Za-z0-9_-]{43}$/);
    const list = await app.http.get(`${API}/devices`).set(admin.auth).expect(200);
    const item = list.body.data.find((d: { device_uid: string }) => d.device_uid === reg.uid);
    expect(item).toMatchObject({
      name: 'BMS 1#',
      kind: 'ems',
      site: '一号厂房',
      online: false,
      telemetry: {},
    });
    expect(JSON.stringify(list.body)).not.toContain(reg.secret);
    const sim = await startSimulator(app, admin, reg);
    await sim.publishTelemetry();
    const detail = await eventually(async () => {
      const res = await app.http.get(`${API}/devices/detail`).query({ device_uid: reg.uid }).set(admin.auth);
      return res.body.data.telemetry_at ? res.body.data : undefined;
    });
    expect(detail).toMatchObject({ online: true, telemetry: { 'bms.operating_status': 2, 'pf.a': 0.78 } });
    expect(Date.parse(detail.last_seen_at)).toBeGreaterThan(Date.now() - 10_000);
    await sim.stop();
  });

  it('refuses a duplicate uid with 409, bad fields with 400, and registration by non-admins with 403', async () => {
    const reg = await registerDevice(app, admin);
    const dup = await app.http
      .post(`${API}/devices`)
      .set(admin.auth)
      .send({ device_uid: reg.uid, name: 'x', kind: 'ems' });
    expect([dup.status, dup.body.code]).toEqual([409, 100009]);
    for (const body of [
      { device_uid: 'a+b', name: 'x', kind: 'ems' },
      { device_uid: unique('x'), name: '', kind: 'ems' },
      { device_uid: unique('x'), name: 'x', kind: 'pcs' },
      { device_uid: unique('x'), name: 'x', kind: 'ems', secret: 'mine' },
    ]) {
      const res = await app.http.post(`${API}/devices`).set(admin.auth).send(body);
      expect([res.status, res.body.code]).toEqual([400, 100001]);
    }
    const operator = await buildMember(app, admin, 'operator');
    const res = await app.http
      .post(`${API}/devices`)
      .set(operator.auth)
      .send({ device_uid: unique('x'), name: 'x', kind: 'ems' });
    expect([res.status, res.body.code]).toEqual([403, 100003]);
  });

  it("hides another organization's devices from lists, details, edits and secret rotation", async () => {
    const reg = await registerDevice(app, admin);
    const other = await buildOrg(app);
    const list = await app.http.get(`${API}/devices`).set(other.auth).expect(200);
    expect(list.body.data).toEqual([]);
    for (const res of [
      await app.http.get(`${API}/devices/detail`).query({ device_uid: reg.uid }).set(other.auth),
      await app.http.put(`${API}/devices`).set(other.auth).send({ device_uid: reg.uid, name: 'mine' }),
      await app.http.post(`${API}/devices/secret`).set(other.auth).send({ device_uid: reg.uid }),
      await app.http.delete(`${API}/devices`).query({ device_uid: reg.uid }).set(other.auth),
    ])
      expect([res.status, res.body.code]).toEqual([404, 100004]);
    const mine = await app.http.get(`${API}/devices/detail`).query({ device_uid: reg.uid }).set(admin.auth);
    expect(mine.body.data.name).toBe('BMS 1#');
  });

  it('lets a device connect only with its current secret; a rotated secret replaces the old one', async () => {
    const reg = await registerDevice(app, admin);
    await expect(connect(reg.uid, 'wds_wrong')).rejects.toThrow(/Bad username or password|Not authorized/i);
    await expect(connect(reg.uid, reg.secret, 'someone-else')).rejects.toThrow();
    const ok = await connect(reg.uid, reg.secret);
    await ok.endAsync();
    const rotated = await app.http
      .post(`${API}/devices/secret`)
      .set(admin.auth)
      .send({ device_uid: reg.uid })
      .expect(200);
    expect(rotated.body.data.secret).not.toBe(reg.secret);
    await expect(connect(reg.uid, reg.secret)).rejects.toThrow();
    const again = await connect(reg.uid, rotated.body.data.secret);
    await again.endAsync();
  });

  it("keeps a device to its own topics: another device's topics are neither readable nor writable", async () => {
    const a = await registerDevice(app, admin);
    const b = await registerDevice(app, admin);
    const client = await connect(a.uid, a.secret);
    const own = await client.subscribeAsync(`wd/${a.uid}/rpc/request`, { qos: 1 });
    expect(own[0]!.qos).toBe(1);
    // The broker grants 128 (failure), which mqtt.js reports as a subscribe error.
    await expect(client.subscribeAsync(`wd/${b.uid}/rpc/request`, { qos: 1 })).rejects.toThrow(
      /Subscribe error/,
    );
    await expect(client.subscribeAsync('wd/+/rpc/request', { qos: 1 })).rejects.toThrow(/Subscribe error/);
    // Publishing into another device's topic is refused: the broker drops the connection.
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    client.publish(`wd/${b.uid}/status`, 'offline', { qos: 1, retain: true });
    await closed;
    client.end(true);
    const detail = await app.http.get(`${API}/devices/detail`).query({ device_uid: b.uid }).set(admin.auth);
    expect(detail.body.data.status_changed_at).toBeNull();
  });

  it('answers the HTTP auth/ACL questions of an external broker with the same decisions', async () => {
    const reg = await registerDevice(app, admin);
    const auth = (clientid: string, username: string, password: string) =>
      app.http.post(`${API}/mqtt/auth`).send({ clientid, username, password });
    const ok = await auth(reg.uid, reg.uid, reg.secret).expect(200);
    expect(ok.body).toEqual({ result: 'allow', is_superuser: false });
    expect((await auth(reg.uid, reg.uid, 'wds_wrong')).body).toEqual({ result: 'deny' });
    expect((await auth(reg.uid, reg.uid, 'wds_wrong')).status).toBe(403);
    expect((await auth('other', reg.uid, reg.secret)).status).toBe(403);
    expect((await auth('ghost', 'ghost', 'x')).status).toBe(403);
    const acl = (username: string, topic: string, extra: Record<string, unknown> = {}) =>
      app.http.post(`${API}/mqtt/acl`).send({ clientid: username, username, topic, ...extra });
    expect((await acl(reg.uid, `wd/${reg.uid}/telemetry`, { action: 'publish' })).status).toBe(200);
    expect((await acl(reg.uid, `wd/${reg.uid}/rpc/request`, { acc: 4 })).status).toBe(200);
    expect((await acl(reg.uid, 'wd/other/telemetry', { action: 'publish' })).status).toBe(403);
    expect((await acl(reg.uid, 'wd/#', { acc: 4 })).status).toBe(403);
    expect((await acl('ghost', 'wd/ghost/telemetry')).status).toBe(403);
    const su = await app.http.post(`${API}/mqtt/superuser`).send({ username: 'wd-bff' });
    expect(su.status).toBe(200);
    expect((await app.http.post(`${API}/mqtt/superuser`).send({ username: reg.uid })).status).toBe(403);
  });

  it('deletes a device without commands, and refuses to delete one whose records must be kept', async () => {
    const fresh = await registerDevice(app, admin);
    await app.http.delete(`${API}/devices`).query({ device_uid: fresh.uid }).set(admin.auth).expect(200);
    await app.http.get(`${API}/devices/detail`).query({ device_uid: fresh.uid }).set(admin.auth).expect(404);
    const used = await registerDevice(app, admin);
    await app.http
      .post(`${API}/bms-control`)
      .set(admin.auth)
      .send({ device_uid: used.uid, command: 1 })
      .expect(409);
    const res = await app.http.delete(`${API}/devices`).query({ device_uid: used.uid }).set(admin.auth);
    expect([res.status, res.body.code]).toEqual([409, 100009]);
  });
});
