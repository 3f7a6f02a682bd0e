import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg } from '../../../../test/support/builders';
import { startTestWeChat, userInfoBind } from '../../../../test/support/wechat';
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

describe('DELETE /api_3/xcx_info_bind (extension): 我的 can unbind WeChat', () => {
  it('removes the binding: the profile says unbound and that WeChat can no longer sign in', async () => {
    const user = await buildOrg(app);
    const wx = userInfoBind(fake);
    await app.http
      .post('/api_3/xcx_info_bind')
      .set(user.auth)
      .send({ code: wx.code, encryptedData: wx.encryptedData, iv: wx.iv })
      .expect(200);
    const res = await app.http.delete('/api_3/xcx_info_bind').set(user.auth).expect(200);
    expect(res.body).toEqual({ Err_No: '0', Err_Msg: 'ok' });
    const me = await app.http.get('/api/users').set(user.auth).expect(200);
    expect(me.body.Data[0].Usr_WeChat_Bound).toBe(false);
    const { code } = fake.state.login(wx.openid);
    const login = await app.http.post('/api_3/xcx_login').send({ code });
    expect(login.status).toBe(404);
    expect(login.body.Err_No).toBe('4104');
  });

  it('answers 404 when nothing is bound, and leaves another user’s binding alone', async () => {
    const bound = await buildOrg(app);
    const other = await buildOrg(app);
    const wx = userInfoBind(fake);
    await app.http
      .post('/api_3/xcx_info_bind')
      .set(bound.auth)
      .send({ code: wx.code, encryptedData: wx.encryptedData, iv: wx.iv })
      .expect(200);
    const res = await app.http.delete('/api_3/xcx_info_bind').set(other.auth);
    expect(res.status).toBe(404);
    const me = await app.http.get('/api/users').set(bound.auth).expect(200);
    expect(me.body.Data[0].Usr_WeChat_Bound).toBe(true);
  });

  it('needs a session', async () => {
    const res = await app.http.delete('/api_3/xcx_info_bind');
    expect(res.status).toBe(401);
  });
});
