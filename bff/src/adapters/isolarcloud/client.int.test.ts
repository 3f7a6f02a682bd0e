import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { ManualClock } from '../../infra/clock';
import type { Database } from '../../infra/db/client';
import type { FakeIsolarCloud } from '../../fakes/isolarcloud/server';
import { DEMO_APP } from '../../fakes/isolarcloud/state';
import { deleteKeys, openTestDatabase, startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg, type TestUser } from '../../../../test/support/builders';
import {
  connectLegacy,
  connectOAuth,
  plantsOf,
  startTestIsolarCloud,
} from '../../../../test/support/isolarcloud';
import { IsolarCloudClient } from './client';
import { RELOGIN_CODES } from './errors';

// The client against the fake iSolarCloud, with two BFF instances (apps) on one database, each with its
// own Redis key prefix: renewals must be single across both (the row lock), not just within one process.
jest.setTimeout(120_000);

const T0 = Date.parse('2026-06-21T02:00:00Z');
let clock: ManualClock;
let fake: FakeIsolarCloud;
let database: Database;
let a: TestApp;
let b: TestApp;
let admin: TestUser;
const calls = (api: string) => fake.state.calls[api] ?? 0;
const control = (path: string, body: unknown) =>
  fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  clock = new ManualClock(new Date(T0));
  const started = await startTestIsolarCloud(clock);
  fake = started.fake;
  database = await openTestDatabase();
  a = await startTestApp({ clock, env: started.env, database });
  b = await startTestApp({ clock, env: started.env, database });
  admin = await buildOrg(a);
  await connectOAuth(a, fake, admin);
  await a.platform.settle();
});
afterAll(async () => {
  await a.close();
  await b.close();
  await database.close();
  await fake.close();
});

/** Each test starts inside a fresh hour (no back-off left over) with the token fresh. */
let hour = 0;
beforeEach(() => {
  hour += 1;
  clock.set(new Date(T0 + hour * 3_600_000 * 24));
});

const clients = () => [plantsOf(a).client, plantsOf(b).client];

/** Brings the organization's token to a known fresh state (one refresh if it is due). */
async function freshToken(orgId = admin.orgId) {
  await plantsOf(a)
    .client.listPlants(orgId)
    .catch(() => undefined);
}

describe('token renewal (OAuth, §4.4)', () => {
  it('refreshes exactly once when 20 concurrent calls on two instances find the token due', async () => {
    const before = calls('refreshToken');
    const [ca, cb] = clients();
    const lists = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? ca! : cb!).listPlants(admin.orgId)),
    );
    expect(lists.every((l) => l.length === 3)).toBe(true);
    expect(calls('refreshToken') - before).toBe(1);
  });

  it('rotates the single-use refresh token: each refresh stores the new one (the old one is refused)', async () => {
    await freshToken();
    const store = plantsOf(a).store;
    // What the database holds (each test app has a Redis cache of its own).
    const stored = async () => {
      await store.forget(admin.orgId);
      return store.load(admin.orgId);
    };
    const first = await stored();
    if (first?.mode !== 'oauth') throw new Error('expected oauth credentials');
    clock.advance(3600_000); // past expiry
    await plantsOf(b).client.listPlants(admin.orgId);
    const second = await stored();
    if (second?.mode !== 'oauth') throw new Error('expected oauth credentials');
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.version).toBe(first.version + 1);
    const reused = await fetch(`${fake.url}/r1/openapi/apiManage/refreshToken`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-access-key': DEMO_APP.accessKey },
      body: JSON.stringify({ appkey: DEMO_APP.appkey, refresh_token: first.refreshToken }),
    }).then((r) => r.json());
    expect(reused.result_data).toEqual({ code: '5' });
  });

  it('answers E00003 after /__fake/expire_tokens by refreshing once and retrying, for all concurrent callers', async () => {
    await freshToken();
    await control('/__fake/expire_tokens', {});
    const before = calls('refreshToken');
    const [ca, cb] = clients();
    const lists = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? ca! : cb!).listPlants(admin.orgId)),
    );
    expect(lists.every((l) => l.length === 3)).toBe(true);
    expect(calls('refreshToken') - before).toBe(1);
  });

  it.each(RELOGIN_CODES)('renews and retries once after re-login code %s', async (code) => {
    await freshToken();
    const before = calls('refreshToken');
    fake.state.fail(code, 1, 'list');
    await expect(plantsOf(a).client.listPlants(admin.orgId)).resolves.toHaveLength(3);
    expect(calls('refreshToken') - before).toBe(1);
  });

  it('retries only once: a second re-login answer is an error, after one refresh', async () => {
    await freshToken();
    const before = calls('refreshToken');
    fake.state.fail('E00003', 2, 'list');
    await expect(plantsOf(a).client.listPlants(admin.orgId)).rejects.toMatchObject({
      reason: 'token_invalid',
    });
    expect(calls('refreshToken') - before).toBe(1);
  });

  it('reads tokens at the top level of the answer as well as under result_data', async () => {
    fake.state.tokenShape = 'top';
    try {
      const org = await buildOrg(a);
      const res = await connectOAuth(a, fake, org);
      expect(res.body.Data[0]).toMatchObject({ Connected: 1, Plant_Count: 3 });
      clock.advance(3600_000);
      const before = calls('refreshToken');
      await expect(plantsOf(b).client.listPlants(org.orgId)).resolves.toHaveLength(3);
      expect(calls('refreshToken') - before).toBe(1);
    } finally {
      fake.state.tokenShape = 'result_data';
    }
  });

  it('asks for a new authorisation when the refresh token has expired', async () => {
    const org = await buildOrg(a);
    await connectOAuth(a, fake, org);
    clock.advance(31 * 86_400_000);
    await expect(plantsOf(a).client.listPlants(org.orgId)).rejects.toMatchObject({ reason: 'reauthorize' });
  });
});

describe('legacy login (§4.3)', () => {
  it('logs in again after every re-login code, and its region decides the gateway', async () => {
    const org = await buildOrg(a);
    const wrongRegion = await a.http
      .post('/api_3/pv_connection_login')
      .set(org.auth)
      .send({ Region: 3, Account: 'demo-owner@wattdesk.local', Password: 'demo-solar-2026' })
      .expect(400);
    expect(wrongRegion.body.Err_Detail).toMatchObject({ field: 'Account' });
    await connectLegacy(a, org).expect(200);
    for (const code of [...RELOGIN_CODES, 'expired']) {
      const before = calls('login');
      if (code === 'expired') await control('/__fake/expire_tokens', {});
      else fake.state.fail(code, 1, 'list');
      await expect(plantsOf(b).client.listPlants(org.orgId)).resolves.toHaveLength(3);
      expect(calls('login') - before).toBe(1);
    }
  });
});

describe('quota (§4.6)', () => {
  it('backs off after E999 until the next hour without calling iSolarCloud, then calls again', async () => {
    await freshToken();
    await control('/__fake/fail', { code: 'E999' });
    const client = plantsOf(a).client;
    await expect(client.listPlants(admin.orgId)).rejects.toMatchObject({ reason: 'quota', code: 'E999' });
    const seen = calls('list');
    // The back-off is kept in Redis under the application's key: later calls do not reach iSolarCloud.
    await expect(client.listPlants(admin.orgId)).rejects.toMatchObject({ reason: 'quota', code: 'backoff' });
    expect(calls('list')).toBe(seen);
    clock.set(new Date((Math.floor(clock.now().getTime() / 3_600_000) + 1) * 3_600_000));
    await expect(client.listPlants(admin.orgId)).resolves.toHaveLength(3);
  });

  it('backs off a day after E998 (the month’s calls are used up)', async () => {
    await freshToken();
    fake.state.fail('E998', 1);
    const client = plantsOf(a).client;
    await expect(client.listPlants(admin.orgId)).rejects.toMatchObject({ reason: 'quota', code: 'E998' });
    clock.advance(23 * 3_600_000);
    await expect(client.listPlants(admin.orgId)).rejects.toMatchObject({ code: 'backoff' });
    clock.advance(3_600_000);
    await expect(client.listPlants(admin.orgId)).resolves.toHaveLength(3);
  });

  it('counts calls against the configured hourly quota and refuses past it without calling', async () => {
    await freshToken();
    const prefix = `wdtest:isolar:${crypto.randomUUID()}:`;
    const redis = new Redis(a.config.REDIS_URL, { keyPrefix: prefix });
    try {
      const small = new IsolarCloudClient({
        app: DEMO_APP,
        gateways: { api: fake.apiBase, web: fake.webBase },
        store: plantsOf(a).store,
        redis,
        clock,
        hourlyQuota: 2,
      });
      await small.listPlants(admin.orgId);
      await small.realTime(admin.orgId, [700100001]);
      const seen = calls('list');
      await expect(small.listPlants(admin.orgId)).rejects.toMatchObject({
        reason: 'quota',
        code: 'hourly_quota',
      });
      expect(calls('list')).toBe(seen);
      expect(await small.callsThisHour()).toBe(3);
    } finally {
      await deleteKeys(redis, prefix);
      await redis.quit();
    }
  });
});
