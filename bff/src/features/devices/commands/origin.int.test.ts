import { startDeviceApp, registerDevice, startSimulator } from '../../../../../test/support/devices';
import { buildOrg, type TestUser } from '../../../../../test/support/builders';
import type { TestApp } from '../../../../../test/support/app';
import type { SimulatedDevice } from '../../../fakes/devices/device';

const API = '/wad/ems/v1/api';

// A read the app makes by itself when a page opens is recorded, but not listed as the user's command.
describe('automatic reads (X-Command-Origin: auto) are not the user’s commands', () => {
  let app: TestApp;
  let admin: TestUser;
  const sims: SimulatedDevice[] = [];

  beforeAll(async () => {
    app = await startDeviceApp('embedded');
    admin = await buildOrg(app);
  });
  afterAll(async () => {
    for (const s of sims) await s.stop();
    await app.close();
  });

  it('lists the user’s sync and command, leaves the automatic read out unless include_auto=1', async () => {
    const reg = await registerDevice(app, admin);
    sims.push(await startSimulator(app, admin, reg));
    const uid = reg.uid;
    await app.http
      .put(`${API}/bms-control/sync`)
      .query({ device_uid: uid })
      .set(admin.auth)
      .set('X-Command-Origin', 'auto')
      .expect(200);
    await app.http.put(`${API}/bms-control/sync`).query({ device_uid: uid }).set(admin.auth).expect(200);
    await app.http
      .put(`${API}/reactive-power-control/sync`)
      .query({ device_uid: uid })
      .set(admin.auth)
      .set('X-Command-Origin', 'auto')
      .expect(200);

    const mine = (
      await app.http.get(`${API}/device-commands`).query({ device_uid: uid }).set(admin.auth).expect(200)
    ).body.data;
    expect(mine.total).toBe(1);
    expect(mine.items.map((c: { method: string; origin: string }) => [c.method, c.origin])).toEqual([
      ['bms.status', 'user'],
    ]);

    const all = (
      await app.http
        .get(`${API}/device-commands`)
        .query({ device_uid: uid, include_auto: '1' })
        .set(admin.auth)
        .expect(200)
    ).body.data;
    expect(all.total).toBe(3);
    expect(all.items.filter((c: { origin: string }) => c.origin === 'auto')).toHaveLength(2);
  });

  it('a state-changing command is always the user’s, whatever the header says', async () => {
    const reg = await registerDevice(app, admin);
    sims.push(await startSimulator(app, admin, reg));
    await app.http
      .post(`${API}/reactive-power-control`)
      .set(admin.auth)
      .set('X-Command-Origin', 'auto')
      .send({ device_uid: reg.uid, phase_min_power_factor_a: 0.95, mode: 1 })
      .expect(200);
    const h = (
      await app.http.get(`${API}/device-commands`).query({ device_uid: reg.uid }).set(admin.auth).expect(200)
    ).body.data;
    expect(h.items).toHaveLength(1);
    expect(h.items[0]).toMatchObject({ method: 'reactive.set', origin: 'user' });
  });

  it('refuses an unknown origin with 400 naming the header, and sends nothing', async () => {
    const reg = await registerDevice(app, admin);
    const res = await app.http
      .put(`${API}/bms-control/sync`)
      .query({ device_uid: reg.uid })
      .set(admin.auth)
      .set('X-Command-Origin', 'robot');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(100001);
    expect(res.body.data.field).toBe('X-Command-Origin');
  });
});
