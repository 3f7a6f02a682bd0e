import { startTestApp, type TestApp } from '../../../../../test/support/app';
import { buildOrg, type TestUser } from '../../../../../test/support/builders';
import { registerDevice } from '../../../../../test/support/devices';

const API = '/wad/ems/v1/api/mqtt';
const SECRET = 'hook-secret-0123456789abcdef';

/** The broker's HTTP hook: only the broker may ask, and nobody learns which names exist. */
describe('broker auth hook (/mqtt/auth, /mqtt/acl, /mqtt/superuser)', () => {
  let loopbackOnly: TestApp;
  let secretOnly: TestApp;
  let admin: TestUser;
  let adminB: TestUser;
  let device: { uid: string; secret: string };
  let deviceB: { uid: string; secret: string };

  beforeAll(async () => {
    loopbackOnly = await startTestApp();
    // Loopback is not among the networks here: only the secret opens the hook.
    secretOnly = await startTestApp({
      env: { WD_MQTT_HOOK_SECRET: SECRET, WD_MQTT_HOOK_NETWORKS: '10.99.0.0/16' },
    });
    admin = await buildOrg(loopbackOnly);
    adminB = await buildOrg(secretOnly);
    device = await registerDevice(loopbackOnly, admin);
    deviceB = await registerDevice(secretOnly, adminB);
  }, 120_000); // two apps (PGlite migrations each) on a loaded machine
  afterAll(async () => {
    await loopbackOnly?.close();
    await secretOnly?.close();
  });

  const ask = (app: TestApp, path: string, body: object, headers: Record<string, string> = {}) =>
    app.http.post(`${API}/${path}`).set(headers).send(body);
  const answer = (res: { status: number; body: unknown }) => ({ status: res.status, body: res.body });
  const deny = { status: 403, body: { result: 'deny' } };

  it('without the secret, from outside the configured networks, answers deny alike for known and unknown names', async () => {
    const known = deviceB.uid;
    const questions: Array<[string, object]> = [
      ['auth', { clientid: known, username: known, password: deviceB.secret }],
      ['auth', { clientid: 'ghost', username: 'ghost', password: deviceB.secret }],
      ['acl', { clientid: known, username: known, topic: `wd/${known}/telemetry`, action: 'publish' }],
      ['acl', { clientid: 'ghost', username: 'ghost', topic: 'wd/ghost/telemetry', action: 'publish' }],
      ['superuser', { username: 'wd-bff' }],
      ['superuser', { username: 'ghost' }],
    ];
    for (const [path, body] of questions) {
      expect(answer(await ask(secretOnly, path, body))).toEqual(deny);
      const wrong = await ask(secretOnly, path, body, { Authorization: `Bearer ${SECRET}x` });
      expect(answer(wrong)).toEqual(deny);
    }
  });

  it('with the shared secret, answers the real decisions', async () => {
    const h = { Authorization: `Bearer ${SECRET}` };
    const known = deviceB.uid;
    const auth = await ask(
      secretOnly,
      'auth',
      { clientid: known, username: known, password: deviceB.secret },
      h,
    );
    expect(answer(auth)).toEqual({ status: 200, body: { result: 'allow', is_superuser: false } });
    const acl = await ask(
      secretOnly,
      'acl',
      { clientid: known, username: known, topic: `wd/${known}/telemetry`, action: 'publish' },
      h,
    );
    expect(acl.status).toBe(200);
    expect((await ask(secretOnly, 'superuser', { username: 'wd-bff' }, h)).status).toBe(200);
    expect(answer(await ask(secretOnly, 'superuser', { username: known }, h))).toEqual(deny);
  });

  it('on loopback, a proxied request (X-Forwarded-For / Forwarded) is not trusted as local', async () => {
    const known = device.uid;
    const body = { clientid: known, username: known, topic: `wd/${known}/telemetry`, action: 'publish' };
    expect((await ask(loopbackOnly, 'acl', body)).status).toBe(200);
    expect(answer(await ask(loopbackOnly, 'acl', body, { 'X-Forwarded-For': '203.0.113.7' }))).toEqual(deny);
    expect(answer(await ask(loopbackOnly, 'acl', body, { Forwarded: 'for=203.0.113.7' }))).toEqual(deny);
    const su = await ask(loopbackOnly, 'superuser', { username: 'wd-bff' }, { 'X-Real-IP': '203.0.113.7' });
    expect(answer(su)).toEqual(deny);
  });

  it('a 32-character non-ASCII password for the platform user is a plain deny, not a 500', async () => {
    for (const password of ['é'.repeat(32), '密'.repeat(32), '😀'.repeat(16), 'x'.repeat(32), '']) {
      const res = await ask(loopbackOnly, 'auth', { clientid: 'wd-bff-probe', username: 'wd-bff', password });
      expect(answer(res)).toEqual(deny);
    }
    // A device with a non-ASCII password: deny too.
    const res = await ask(loopbackOnly, 'auth', {
      clientid: device.uid,
      username: device.uid,
      password: 'é'.repeat(32),
    });
    expect(answer(res)).toEqual(deny);
  });
});
