import { Writable } from 'node:stream';
import { startTestApp, type TestApp } from '../../../test/support/app';
import { buildOrg } from '../../../test/support/builders';
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
});
