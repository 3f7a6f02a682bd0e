import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../../../test/support/app';
import { buildOrg, randomIp } from '../../../test/support/builders';
import { startTestWeChat, TEST_SECRET, userInfoBind } from '../../../test/support/wechat';
import type { FakeWeChat } from '../fakes/wechat/server';
import { createLogger } from '../infra/logger';

// Every line the app logs during sign-up, logins, a WeChat bind and errors, read back from a stream.
let app: TestApp;
let fake: FakeWeChat;
const lines: string[] = [];
beforeAll(async () => {
  const wx = await startTestWeChat();
  fake = wx.fake;
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  app = await startTestApp({ env: wx.env, log: createLogger('trace', false, sink) });
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

describe('logs', () => {
  it('never contain passwords, session tokens, session keys, access tokens or the app secret', async () => {
    const user = await buildOrg(app);
    await app.http
      .post('/api/auth')
      .send({ Usr_Name: user.name, Usr_Password: 'wrong-password-123' })
      .expect(401);
    const wx = userInfoBind(fake);
    await app.http
      .post('/api_3/xcx_info_bind')
      .set(user.auth)
      .send({ code: wx.code, encryptedData: wx.encryptedData, iv: wx.iv })
      .expect(200);
    const { code } = fake.state.login(wx.openid);
    const wxLogin = await app.http.post('/api_3/xcx_login').send({ code }).expect(200);
    await app.http
      .get('/api/users')
      .set({ Authorization: `Bearer ${wxLogin.body.Data[0].Usr_Token}` })
      .expect(200);
    const { sessionKey } = await app.deps.wechat.code2Session(fake.state.login(wx.openid).code);
    await app.http.delete('/api/auth').set(user.auth).expect(200);

    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(5); // the app did log these requests
    expect(text).toContain('"path":"/api_3/xcx_info_bind"');
    const secrets = [
      user.password,
      'wrong-password-123',
      user.token,
      wxLogin.body.Data[0].Usr_Token,
      wx.encryptedData,
      TEST_SECRET,
      sessionKey,
      await app.deps.wechat.accessToken(),
    ];
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('log a failed insert without its parameters: no password hash, no email, no row values', async () => {
    // A constraint the insert cannot meet makes the registration's INSERT fail inside the database.
    await app.deps.database.rows(
      sql`alter table users add constraint test_refuse_inserts check (false) not valid`,
    );
    try {
      const email = `leak-${Date.now()}@example.cn`;
      const name = `leak_${Date.now()}`;
      const res = await app.http.post('/api/users').set('X-Forwarded-For', randomIp()).send({
        Usr_Name: name,
        Usr_Password: 'Passw0rd!!leak',
        Usr_Email: email,
        Usr_Company: '泄漏测试公司',
      });
      expect(res.status).toBeGreaterThanOrEqual(500);
      const text = lines.join('');
      // The failure was logged, with the statement and the constraint, so it can be diagnosed.
      expect(text).toContain('test_refuse_inserts');
      expect(text).toContain('insert into');
      for (const leaked of [email, name, '$argon2id$', 'Passw0rd!!leak', 'Failing row', '泄漏测试公司'])
        expect(text).not.toContain(leaked);
    } finally {
      await app.deps.database.rows(sql`alter table users drop constraint test_refuse_inserts`);
    }
  });
});
