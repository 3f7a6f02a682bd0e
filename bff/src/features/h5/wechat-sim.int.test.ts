import { startTestApp, type TestApp } from '../../../../test/support/app';
import { startFakeWeChat, type FakeWeChat } from '../../fakes/wechat/server';
import { DEMO_APPID, DEMO_SECRET, DEMO_TEMPLATE } from '../../fakes/wechat/state';

// Demo mode: the H5 build's stand-in for wx.requestSubscribeMessage grants pushes at the fake WeChat.
let app: TestApp;
let fake: FakeWeChat;
beforeAll(async () => {
  app = await startTestApp({ env: { WD_DEMO: 'true' } });
  fake = await startFakeWeChat({ apps: { [DEMO_APPID]: DEMO_SECRET }, templates: [DEMO_TEMPLATE] });
  app.deps.wechat.pointAt({ baseUrl: fake.url, appid: DEMO_APPID, secret: DEMO_SECRET });
});
afterAll(async () => {
  await fake?.close();
  await app?.close();
});

test('each simulated 允许 adds one push of that template for the browser’s WeChat user', async () => {
  const { openid } = fake.state.login();
  for (let i = 0; i < 2; i++) {
    const res = await app.http
      .post('/h5_demo/wx_subscribe')
      .send({ openid, template_id: DEMO_TEMPLATE })
      .expect(200);
    expect(res.body).toEqual({ template_id: DEMO_TEMPLATE, accepted: true });
  }
  expect(fake.state.setUser(openid, {}).subscriptions).toEqual({ [DEMO_TEMPLATE]: 2 });
});

test('a malformed openid or template is refused naming the field, and grants nothing', async () => {
  const { openid } = fake.state.login();
  const bad = await app.http
    .post('/h5_demo/wx_subscribe')
    .send({ openid: 'x', template_id: DEMO_TEMPLATE })
    .expect(400);
  expect(JSON.stringify(bad.body)).toContain('openid');
  await app.http.post('/h5_demo/wx_subscribe').send({ openid, template_id: 'has space' }).expect(400);
  expect(fake.state.setUser(openid, {}).subscriptions).toEqual({});
});
