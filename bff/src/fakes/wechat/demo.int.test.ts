import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg } from '../../../../test/support/builders';
import { DEMO_APPID } from './state';

// Demo mode: the app's WeChat client, built from config without credentials, ends up on the in-process fake.
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close()); // the wechat feature's stop() closes the fake

const post = async (url: string, body: unknown) =>
  (await (
    await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
  ).json()) as Record<string, string>;

describe('fake WeChat demo hook of the wechat feature', () => {
  it('starts the fake, prints its URL and lets a user bind and sign in with WeChat through it', async () => {
    const lines = await app.platform.registry.demo(['wechat']);
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(lines.join('\n'))![0];
    expect(app.deps.wechat.appid).toBe(DEMO_APPID);
    const user = await buildOrg(app);
    const { code } = await post(`${url}/__fake/login`, { openid: 'oDemoPart' });
    const enc = await post(`${url}/__fake/encrypt`, {
      code,
      data: { openId: 'oDemoPart', nickName: '演示' },
    });
    await app.http
      .post('/api_3/xcx_info_bind')
      .set(user.auth)
      .send({ code, ...enc })
      .expect(200);
    const again = await post(`${url}/__fake/login`, { openid: 'oDemoPart' });
    const res = await app.http.post('/api_3/xcx_login').send({ code: again.code }).expect(200);
    expect(res.body.Data[0].Usr_ID).toBe(String(user.id));
  });
});
