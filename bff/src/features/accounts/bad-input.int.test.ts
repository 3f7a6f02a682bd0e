import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Test } from 'supertest';
import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildMember, buildOrg, randomIp, type TestUser } from '../../../../test/support/builders';
import { accountsState } from '../../../../test/support/snapshot';
import { startTestWeChat, userInfoBind } from '../../../../test/support/wechat';
import type { FakeWeChat } from '../../fakes/wechat/server';

// Every endpoint of issue 2 gets bad input; each answer is the documented error and changes nothing.
let app: TestApp;
let fake: FakeWeChat;
let a: TestUser; // admin of organization A
let viewer: TestUser; // viewer in A
let b: TestUser; // admin of organization B
beforeAll(async () => {
  const wx = await startTestWeChat();
  fake = wx.fake;
  app = await startTestApp({ env: { ...wx.env, BODY_LIMIT_KB: '8' } });
  a = await buildOrg(app);
  viewer = await buildMember(app, a, 'viewer');
  b = await buildOrg(app);
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

const forged = { Authorization: `Bearer ${crypto.randomBytes(32).toString('base64url')}` };
const big = 'x'.repeat(9 * 1024);
type Case = [name: string, send: () => Test, status: number, errNo: string, field?: string];
const h = () => app.http;
const ip = () => ({ 'X-Forwarded-For': randomIp() });

const cases = (): Case[] => [
  // 1.1 POST /api/auth
  [
    'login without Usr_Password',
    () => h().post('/api/auth').set(ip()).send({ Usr_Name: a.name }),
    400,
    '4103',
    'Usr_Password',
  ],
  [
    'login with an extra field',
    () => h().post('/api/auth').set(ip()).send({ Usr_Name: a.name, Usr_Password: a.password, Is_Admin: 1 }),
    400,
    '4103',
    'Is_Admin',
  ],
  [
    'login with a numeric Usr_Name',
    () => h().post('/api/auth').set(ip()).send({ Usr_Name: 12345, Usr_Password: 'x' }),
    400,
    '4103',
    'Usr_Name',
  ],
  [
    'login with an oversized body',
    () => h().post('/api/auth').set(ip()).send({ Usr_Name: big, Usr_Password: 'x' }),
    413,
    '4103',
  ],
  [
    'login with a body that is not JSON',
    () => h().post('/api/auth').set(ip()).set('Content-Type', 'application/json').send('{"Usr_Name":'),
    400,
    '4103',
    'body',
  ],
  // 1.2 DELETE /api/auth
  ['logout without a token', () => h().delete('/api/auth'), 401, '4101'],
  ['logout with a forged token', () => h().delete('/api/auth').set(forged), 401, '4101'],
  [
    'logout with a Basic header',
    () => h().delete('/api/auth').set('Authorization', `Basic ${a.token}`),
    401,
    '4101',
  ],
  // 1.3 POST /api/users
  [
    'register without Usr_Email',
    () => h().post('/api/users').set(ip()).send({ Usr_Name: 'nobody_1', Usr_Password: 'Passw0rd!!' }),
    400,
    '4103',
    'Usr_Email',
  ],
  [
    'register with a bad email',
    () =>
      h()
        .post('/api/users')
        .set(ip())
        .send({ Usr_Name: 'nobody_2', Usr_Password: 'Passw0rd!!', Usr_Email: 'not-an-email' }),
    400,
    '4103',
    'Usr_Email',
  ],
  [
    'register with a short password',
    () =>
      h()
        .post('/api/users')
        .set(ip())
        .send({ Usr_Name: 'nobody_3', Usr_Password: 'short', Usr_Email: 'n@example.cn' }),
    400,
    '4103',
    'Usr_Password',
  ],
  [
    'register an existing name',
    () =>
      h()
        .post('/api/users')
        .set(ip())
        .send({ Usr_Name: a.name.toUpperCase(), Usr_Password: 'Passw0rd!!', Usr_Email: 'n@example.cn' }),
    409,
    '4003',
    'Usr_Name',
  ],
  [
    'register with an oversized body',
    () =>
      h().post('/api/users').set(ip()).send({
        Usr_Name: 'nobody_4',
        Usr_Password: 'Passw0rd!!',
        Usr_Email: 'n@example.cn',
        Usr_Company: big,
      }),
    413,
    '4103',
  ],
  // 1.5 GET /api/users
  ['profile with a forged token', () => h().get('/api/users').set(forged), 401, '4101'],
  [
    'profile with an unknown query parameter',
    () => h().get('/api/users?Usr_ID=1').set(a.auth),
    400,
    '4103',
    'Usr_ID',
  ],
  // 1.4 PUT /api/users
  [
    'profile edit without id',
    () => h().put('/api/users').set(a.auth).send({ Usr_Name: a.name, Usr_Email: 'z@example.cn' }),
    400,
    '4103',
    'id',
  ],
  [
    'profile edit with a non-numeric id',
    () => h().put('/api/users').set(a.auth).send({ id: 'abc', Usr_Name: a.name, Usr_Email: 'z@example.cn' }),
    400,
    '4103',
    'id',
  ],
  [
    'profile edit with an extra field',
    () =>
      h()
        .put('/api/users')
        .set(a.auth)
        .send({ id: a.id, Usr_Name: a.name, Usr_Email: 'z@example.cn', Usr_Role: 'admin' }),
    400,
    '4103',
    'Usr_Role',
  ],
  [
    'profile edit of another organization’s user',
    () => h().put('/api/users').set(a.auth).send({ id: b.id, Usr_Name: b.name, Usr_Email: 'z@example.cn' }),
    404,
    '4002',
  ],
  [
    'profile edit of the admin by a viewer',
    () =>
      h().put('/api/users').set(viewer.auth).send({ id: a.id, Usr_Name: a.name, Usr_Email: 'z@example.cn' }),
    403,
    '4105',
  ],
  [
    'profile edit taking another user’s name',
    () => h().put('/api/users').set(a.auth).send({ id: a.id, Usr_Name: b.name, Usr_Email: 'z@example.cn' }),
    409,
    '4003',
    'Usr_Name',
  ],
  [
    'profile edit with an oversized body',
    () =>
      h()
        .put('/api/users')
        .set(a.auth)
        .send({ id: a.id, Usr_Name: a.name, Usr_Email: 'z@example.cn', Usr_Detail_Addr: big }),
    413,
    '4103',
  ],
  // GET /api/org_users
  ['member list by a viewer', () => h().get('/api/org_users').set(viewer.auth), 403, '4105'],
  [
    'member list with Per_Page_Counts=0',
    () => h().get('/api/org_users?Per_Page_Counts=0').set(a.auth),
    400,
    '4103',
    'Per_Page_Counts',
  ],
  [
    'member list with a text page',
    () => h().get('/api/org_users?Page_Counts=two').set(a.auth),
    400,
    '4103',
    'Page_Counts',
  ],
  [
    'member list with a repeated parameter',
    () => h().get('/api/org_users?Page_Counts=1&Page_Counts=2').set(a.auth),
    400,
    '4103',
    'Page_Counts',
  ],
  // POST /api/org_users
  [
    'member create with an unknown role',
    () =>
      h()
        .post('/api/org_users')
        .set(a.auth)
        .send({ Usr_Name: 'm_x1', Usr_Password: 'Passw0rd!!', Usr_Email: 'm@example.cn', Usr_Role: 'root' }),
    400,
    '4103',
    'Usr_Role',
  ],
  [
    'member create with an unknown permission',
    () =>
      h()
        .post('/api/org_users')
        .set(a.auth)
        .send({
          Usr_Name: 'm_x2',
          Usr_Password: 'Passw0rd!!',
          Usr_Email: 'm@example.cn',
          Usr_Role: 'viewer',
          Usr_Grants: ['everything'],
        }),
    400,
    '4103',
    'Usr_Grants',
  ],
  [
    'member create by a viewer',
    () =>
      h()
        .post('/api/org_users')
        .set(viewer.auth)
        .send({ Usr_Name: 'm_x3', Usr_Password: 'Passw0rd!!', Usr_Email: 'm@example.cn', Usr_Role: 'admin' }),
    403,
    '4105',
  ],
  // PUT /api/org_users
  [
    'role change of another organization’s user',
    () => h().put('/api/org_users').set(a.auth).send({ id: b.id, Usr_Role: 'viewer' }),
    404,
    '4002',
  ],
  [
    'role change demoting oneself',
    () => h().put('/api/org_users').set(a.auth).send({ id: a.id, Usr_Role: 'viewer' }),
    400,
    '4103',
    'Usr_Role',
  ],
  [
    'role change by a viewer to admin',
    () => h().put('/api/org_users').set(viewer.auth).send({ id: viewer.id, Usr_Role: 'admin' }),
    403,
    '4105',
  ],
  [
    'role change with a mistyped grants list',
    () =>
      h()
        .put('/api/org_users')
        .set(a.auth)
        .send({ id: viewer.id, Usr_Role: 'viewer', Usr_Grants: 'audit.read' }),
    400,
    '4103',
    'Usr_Grants',
  ],
  // GET /api/audit_logs, GET /api/permissions
  ['audit log by a viewer', () => h().get('/api/audit_logs').set(viewer.auth), 403, '4105'],
  ['audit log with a forged token', () => h().get('/api/audit_logs').set(forged), 401, '4101'],
  ['permissions without a token', () => h().get('/api/permissions'), 401, '4101'],
  [
    'permissions with an unknown parameter',
    () => h().get('/api/permissions?all=1').set(a.auth),
    400,
    '4103',
    'all',
  ],
  // 9.1 / WeChat login / 9.2
  [
    'WeChat bind without a token',
    () => h().post('/api_3/xcx_info_bind').send({ code: 'c', encryptedData: 'AAAA', iv: 'AAAA' }),
    401,
    '4101',
  ],
  [
    'WeChat bind without iv',
    () => h().post('/api_3/xcx_info_bind').set(a.auth).send({ code: 'c', encryptedData: 'AAAA' }),
    400,
    '4103',
    'iv',
  ],
  [
    'WeChat bind with a non-base64 iv',
    () => h().post('/api_3/xcx_info_bind').set(a.auth).send({ code: 'c', encryptedData: 'AAAA', iv: '***' }),
    400,
    '4103',
    'iv',
  ],
  [
    'WeChat bind with a numeric code',
    () => h().post('/api_3/xcx_info_bind').set(a.auth).send({ code: 1, encryptedData: 'AAAA', iv: 'AAAA' }),
    400,
    '4103',
    'code',
  ],
  [
    'WeChat bind with an extra field',
    () =>
      h()
        .post('/api_3/xcx_info_bind')
        .set(a.auth)
        .send({ code: 'c', encryptedData: 'AAAA', iv: 'AAAA', openid: 'o' }),
    400,
    '4103',
    'openid',
  ],
  [
    'WeChat bind with an oversized body',
    () => h().post('/api_3/xcx_info_bind').set(a.auth).send({ code: 'c', encryptedData: big, iv: 'AAAA' }),
    413,
    '4103',
  ],
  [
    'WeChat login with an oversized body',
    () => h().post('/api_3/xcx_login').send({ code: big }),
    413,
    '4103',
  ],
  [
    'WeChat login with an array body',
    () =>
      h()
        .post('/api_3/xcx_login')
        .send([{ code: 'c' }]),
    400,
    '4103',
  ],
  [
    'province list with an unknown parameter',
    () => h().get('/api_3/province_city_list?Province_Name=江苏省'),
    400,
    '4103',
    'Province_Name',
  ],
  ['an unknown /api path', () => h().get('/api/no_such_thing').set(a.auth), 404, '4002'],
];

describe('bad input on every issue-2 endpoint', () => {
  it('answers each with its documented error and envelope, and changes nothing', async () => {
    const before = await accountsState(app, [a.orgId, b.orgId]);
    const orgsBefore = await app.deps.database.rows<{ n: number }>(
      sql`select count(*)::int as n from organizations`,
    );
    const failures: string[] = [];
    for (const [name, send, status, errNo, field] of cases()) {
      const res = await send();
      const ok =
        res.status === status &&
        res.body.Err_No === errNo &&
        typeof res.body.Err_Msg === 'string' &&
        res.body.Err_Msg.length > 0 &&
        (field === undefined || res.body.Err_Detail?.field === field);
      if (!ok) failures.push(`${name}: got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(await accountsState(app, [a.orgId, b.orgId])).toEqual(before);
    expect(await app.deps.database.rows(sql`select count(*)::int as n from organizations`)).toEqual(
      orgsBefore,
    );
  });

  it('answers a bad request to the plain endpoints in their own shape, naming the parameter', async () => {
    for (const path of ['/healthz', '/readyz', '/openapi.json', '/docs']) {
      const res = await app.http.get(`${path}?verbose=1`).expect(400);
      expect(res.body).toMatchObject({ error: 'validation', details: { field: 'verbose' } });
    }
    const missing = await app.http.get('/docs/not-an-asset.js').expect(404);
    expect(missing.body.error).toBe('not_found');
  });
});

describe('expired and revoked sessions', () => {
  it('refuses a session whose expires_at has passed (4101) and leaves the profile as it was', async () => {
    const user = await buildOrg(app);
    await app.deps.database.rows(
      sql`update sessions set expires_at = now() - interval '1 second' where user_id = ${user.id}`,
    );
    const before = await accountsState(app, [user.orgId]);
    const res = await app.http
      .put('/api/users')
      .set(user.auth)
      .send({ id: user.id, Usr_Name: user.name, Usr_Email: 'late@example.cn' })
      .expect(401);
    expect(res.body.Err_No).toBe('4101');
    await app.http.get('/api/users').set(user.auth).expect(401);
    expect(await accountsState(app, [user.orgId])).toEqual(before);
  });

  it('refuses a WeChat bind with a revoked token, binding nothing', async () => {
    const user = await buildOrg(app);
    await app.http.delete('/api/auth').set(user.auth).expect(200);
    const wx = userInfoBind(fake);
    const res = await app.http
      .post('/api_3/xcx_info_bind')
      .set(user.auth)
      .send({ code: wx.code, encryptedData: wx.encryptedData, iv: wx.iv })
      .expect(401);
    expect(res.body.Err_No).toBe('4101');
    expect(
      await app.deps.database.rows(sql`select 1 from wechat_identities where user_id = ${user.id}`),
    ).toEqual([]);
  });
});
