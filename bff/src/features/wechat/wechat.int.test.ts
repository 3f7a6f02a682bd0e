import { sql } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg, type TestUser } from '../../../../test/support/builders';
import { startTestWeChat, TEST_APPID, userInfoBind } from '../../../../test/support/wechat';
import type { FakeWeChat } from '../../fakes/wechat/server';

let app: TestApp;
let fake: FakeWeChat;
beforeAll(async () => {
  const wx = await startTestWeChat();
  fake = wx.fake;
  app = await startTestApp({ env: wx.env });
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

const bind = (user: TestUser, body: object) =>
  app.http.post('/api_3/xcx_info_bind').set(user.auth).send(body);
const identities = (userId: number) =>
  app.deps.database.rows<{ openid: string; appid: string; nick_name: string | null; phone: string | null }>(
    sql`select openid, appid, nick_name, phone from wechat_identities where user_id = ${userId}`,
  );
const auditActions = async (userId: number) =>
  (
    await app.deps.database.rows<{ action: string; detail: Record<string, unknown> }>(
      sql`select action, detail from audit_log where actor_user_id = ${userId} order by id`,
    )
  ).map((r) => r.action);

describe('9.1 POST /api_3/xcx_info_bind', () => {
  it('binds the WeChat identity behind the code to the signed-in user and audits it', async () => {
    const user = await buildOrg(app);
    const wx = userInfoBind(fake);
    const res = await bind(user, { code: wx.code, encryptedData: wx.encryptedData, iv: wx.iv }).expect(200);
    expect(res.body).toEqual({
      Err_No: '0',
      Err_Msg: 'ok',
      Data: [
        { Usr_ID: String(user.id), Usr_WeChat_Bound: true, WeChat_Nick_Name: '测试用户', WeChat_Phone: '' },
      ],
      Total_Numbers: 1,
    });
    expect(await identities(user.id)).toEqual([
      { openid: wx.openid, appid: TEST_APPID, nick_name: '测试用户', phone: null },
    ]);
    const profile = await app.http.get('/api/users').set(user.auth).expect(200);
    expect(profile.body.Data[0].Usr_WeChat_Bound).toBe(true);
    expect(await auditActions(user.id)).toContain('wechat.bind');
  });

  it('keeps the phone number from a phone-number button (old-style encrypted getPhoneNumber)', async () => {
    const user = await buildOrg(app);
    const { code, openid } = fake.state.login();
    const enc = fake.state.encrypt(
      { code },
      { phoneNumber: '+8613580006666', purePhoneNumber: '13580006666', countryCode: '86' },
      TEST_APPID,
    )!;
    const res = await bind(user, { code, ...enc }).expect(200);
    expect(res.body.Data[0].WeChat_Phone).toBe('13580006666');
    expect((await identities(user.id))[0]).toMatchObject({ openid, phone: '13580006666' });
  });

  it('refuses with 4003 an openid already bound to another user, leaving both bindings as they were', async () => {
    const first = await buildOrg(app);
    const second = await buildOrg(app);
    const wx = userInfoBind(fake);
    await bind(first, { code: wx.code, encryptedData: wx.encryptedData, iv: wx.iv }).expect(200);
    const again = userInfoBind(fake, wx.openid);
    const res = await bind(second, {
      code: again.code,
      encryptedData: again.encryptedData,
      iv: again.iv,
    }).expect(409);
    expect(res.body).toMatchObject({ Err_No: '4003', Err_Detail: { field: 'code' } });
    expect(await identities(second.id)).toEqual([]);
    expect((await identities(first.id))[0]!.openid).toBe(wx.openid);
  });

  it('lets only one of two users binding the same WeChat at the same moment win; the other gets 4003', async () => {
    const first = await buildOrg(app);
    const second = await buildOrg(app);
    const one = userInfoBind(fake);
    const two = userInfoBind(fake, one.openid);
    const answers = await Promise.all([
      bind(first, { code: one.code, encryptedData: one.encryptedData, iv: one.iv }),
      bind(second, { code: two.code, encryptedData: two.encryptedData, iv: two.iv }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const owners = await app.deps.database.rows<{ user_id: number }>(
      sql`select user_id from wechat_identities where openid = ${one.openid}`,
    );
    expect(owners).toHaveLength(1);
  });

  it('refuses data watermarked for another mini-program (4103 on encryptedData) and binds nothing', async () => {
    const user = await buildOrg(app);
    const { code } = fake.state.login();
    const enc = fake.state.encrypt(
      { code },
      { nickName: 'x', watermark: { appid: 'wxother', timestamp: 1 } },
      TEST_APPID,
    )!;
    const res = await bind(user, { code, ...enc }).expect(400);
    expect(res.body).toMatchObject({ Err_No: '4103', Err_Detail: { field: 'encryptedData' } });
    expect(res.body.Err_Msg).toMatch(/watermark\.appid/);
    expect(await identities(user.id)).toEqual([]);
  });

  it('refuses data encrypted with the session_key of an earlier wx.login (the documented pitfall)', async () => {
    const user = await buildOrg(app);
    const old = userInfoBind(fake);
    const { code } = fake.state.login(old.openid); // re-login rotates the session_key
    const res = await bind(user, { code, encryptedData: old.encryptedData, iv: old.iv }).expect(400);
    expect(res.body).toMatchObject({ Err_No: '4103', Err_Detail: { field: 'encryptedData' } });
    expect(await identities(user.id)).toEqual([]);
  });

  it("refuses user info that names another user's openId than the code's", async () => {
    const user = await buildOrg(app);
    const { code } = fake.state.login();
    const enc = fake.state.encrypt({ code }, { openId: 'oSomebodyElse', nickName: 'x' }, TEST_APPID)!;
    const res = await bind(user, { code, ...enc }).expect(400);
    expect(res.body.Err_Detail.field).toBe('encryptedData');
    expect(await identities(user.id)).toEqual([]);
  });

  it('answers 4103 naming code for an unknown code (40029) and for a code used twice (40163)', async () => {
    const user = await buildOrg(app);
    const wx = userInfoBind(fake);
    const unknown = await bind(user, { code: 'deadbeef', encryptedData: wx.encryptedData, iv: wx.iv }).expect(
      400,
    );
    expect(unknown.body).toMatchObject({ Err_No: '4103', Err_Detail: { field: 'code' } });
    await bind(user, { code: wx.code, encryptedData: wx.encryptedData, iv: wx.iv }).expect(200);
    const reused = await bind(user, { code: wx.code, encryptedData: wx.encryptedData, iv: wx.iv }).expect(
      400,
    );
    expect(reused.body.Err_Msg).toMatch(/已被使用/);
  });

  it('answers 4105 for a user WeChat blocks as high-risk (40226)', async () => {
    const user = await buildOrg(app);
    const wx = userInfoBind(fake);
    fake.state.setUser(wx.openid, { blocked: true });
    const res = await bind(user, { code: wx.code, encryptedData: wx.encryptedData, iv: wx.iv }).expect(403);
    expect(res.body.Err_No).toBe('4105');
    expect(await identities(user.id)).toEqual([]);
  });

  it('answers 429/4201 when WeChat says the user logs in too often (45011), binding nothing', async () => {
    const user = await buildOrg(app);
    const wx = userInfoBind(fake);
    fake.state.fail('jscode2session', 45011, 1);
    const res = await bind(user, { code: wx.code, encryptedData: wx.encryptedData, iv: wx.iv }).expect(429);
    expect(res.body.Err_No).toBe('4201');
    expect(await identities(user.id)).toEqual([]);
  });

  it('answers 502/4501 with a generic message when WeChat stays busy or does not answer in time', async () => {
    const user = await buildOrg(app);
    const wx = userInfoBind(fake);
    fake.state.fail('jscode2session', -1, 2);
    const busy = await bind(user, { code: wx.code, encryptedData: wx.encryptedData, iv: wx.iv }).expect(502);
    expect(busy.body.Err_No).toBe('4501');
    expect(busy.body.Err_Msg).toMatch(/请求编号/);
    fake.state.fail('jscode2session', 0, 1, 1500); // WECHAT_TIMEOUT_MS is 1000 in tests
    const slow = await bind(user, { code: wx.code, encryptedData: wx.encryptedData, iv: wx.iv }).expect(502);
    expect(slow.body.Err_No).toBe('4501');
    expect(await identities(user.id)).toEqual([]);
  });

  it('moves a user to a new WeChat when they bind again, recording the old one in the audit', async () => {
    const user = await buildOrg(app);
    const a = userInfoBind(fake);
    await bind(user, { code: a.code, encryptedData: a.encryptedData, iv: a.iv }).expect(200);
    const b = userInfoBind(fake);
    await bind(user, { code: b.code, encryptedData: b.encryptedData, iv: b.iv }).expect(200);
    expect((await identities(user.id)).map((r) => r.openid)).toEqual([b.openid]);
  });
});

describe('WeChat login POST /api_3/xcx_login (extension)', () => {
  it('gives a bound user a session from a wx.login code alone, shaped like 1.1', async () => {
    const user = await buildOrg(app);
    const wx = userInfoBind(fake);
    await bind(user, { code: wx.code, encryptedData: wx.encryptedData, iv: wx.iv }).expect(200);
    const { code } = fake.state.login(wx.openid);
    const res = await app.http.post('/api_3/xcx_login').send({ code }).expect(200);
    const data = res.body.Data[0];
    expect(data).toMatchObject({ Usr_Name: user.name, Usr_ID: String(user.id), Usr_Role: 'admin' });
    expect(Object.keys(data).sort()).toEqual([
      'Token_Expires',
      'Usr_ID',
      'Usr_Name',
      'Usr_Role',
      'Usr_Token',
    ]);
    const me = await app.http
      .get('/api/users')
      .set({ Authorization: `Bearer ${data.Usr_Token}` })
      .expect(200);
    expect(me.body.Data[0].id).toBe(user.id);
    const [session] = await app.deps.database.rows<{ kind: string }>(
      sql`select kind from sessions where user_id = ${user.id} order by created_at desc limit 1`,
    );
    expect(session!.kind).toBe('wechat');
  });

  it('answers 4104 with a hint for a WeChat bound to nobody, and creates no session', async () => {
    const { code, openid } = fake.state.login();
    const before = await app.deps.database.rows<{ n: number }>(sql`select count(*)::int as n from sessions`);
    const res = await app.http.post('/api_3/xcx_login').send({ code }).expect(404);
    expect(res.body.Err_No).toBe('4104');
    expect(res.body.Err_Msg).toMatch(/尚未绑定/);
    const after = await app.deps.database.rows<{ n: number }>(sql`select count(*)::int as n from sessions`);
    expect(after[0]!.n).toBe(before[0]!.n);
    expect(openid).toBeTruthy();
  });

  it('refuses a locked account even with a valid WeChat code', async () => {
    const user = await buildOrg(app);
    const wx = userInfoBind(fake);
    await bind(user, { code: wx.code, encryptedData: wx.encryptedData, iv: wx.iv }).expect(200);
    await app.deps.database.rows(
      sql`update users set locked_until = now() + interval '1 hour' where id = ${user.id}`,
    );
    const { code } = fake.state.login(wx.openid);
    const res = await app.http.post('/api_3/xcx_login').send({ code }).expect(423);
    expect(res.body.Err_No).toBe('4102');
  });

  it('rejects a missing, mistyped or extra field with 4103 naming it', async () => {
    const missing = await app.http.post('/api_3/xcx_login').send({}).expect(400);
    expect(missing.body.Err_Detail.field).toBe('code');
    const typed = await app.http.post('/api_3/xcx_login').send({ code: 12345 }).expect(400);
    expect(typed.body.Err_Detail.field).toBe('code');
    const extra = await app.http.post('/api_3/xcx_login').send({ code: 'abc', openid: 'o1' }).expect(400);
    expect(extra.body.Err_Detail.field).toBe('openid');
  });
});
