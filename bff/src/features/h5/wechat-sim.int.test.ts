import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg } from '../../../../test/support/builders';
import { startFakeWeChat, type FakeWeChat } from '../../fakes/wechat/server';
import { DEMO_APPID, DEMO_SECRET, DEMO_TEMPLATE } from '../../fakes/wechat/state';

const DEMO_SECRET_HEADER = 'demo-secret-0123456789abcdef';

/** The demo's in-browser WeChat simulation (/h5_demo/*): demo mode only, local only, demo users only. */
describe('WeChat simulation for the H5 build', () => {
  let demo: TestApp;
  let real: TestApp;
  let fake: FakeWeChat;

  beforeAll(async () => {
    demo = await startTestApp({
      env: { WD_DEMO: 'true', TRUST_PROXY: 'false', WD_DEMO_SECRET: DEMO_SECRET_HEADER },
    });
    fake = await startFakeWeChat({ apps: { [DEMO_APPID]: DEMO_SECRET } });
    demo.deps.wechat.pointAt({ baseUrl: fake.url, appid: DEMO_APPID, secret: DEMO_SECRET });
    real = await startTestApp({ env: { WD_DEMO: 'false' } });
  }, 120_000); // two apps (PGlite migrations each) on a loaded machine
  afterAll(async () => {
    await fake?.close();
    await demo?.close();
    await real?.close();
  });

  it('does not exist outside demo mode: 404 like any unknown path, absent from the API document', async () => {
    const res = await real.http.post('/h5_demo/wx_login').send({});
    expect(res.status).toBe(404);
    const doc = await real.http.get('/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths).filter((p) => p.startsWith('/h5_demo'))).toEqual([]);
    const demoDoc = await demo.http.get('/openapi.json').expect(200);
    expect(Object.keys(demoDoc.body.paths)).toContain('/h5_demo/wx_login');
  });

  it('answers callers on this machine, and others only with the demo secret', async () => {
    const local = await demo.http.post('/h5_demo/wx_login').send({}).expect(200);
    expect(local.body.code).toEqual(expect.any(String));
    const proxied = await demo.http.post('/h5_demo/wx_login').set('X-Forwarded-For', '203.0.113.9').send({});
    expect(proxied.status).toBe(403);
    const wrong = await demo.http
      .post('/h5_demo/wx_login')
      .set({ 'X-Forwarded-For': '203.0.113.9', 'X-Demo-Secret': `${DEMO_SECRET_HEADER}x` })
      .send({});
    expect(wrong.status).toBe(403);
    const info = await demo.http
      .post('/h5_demo/wx_user_info')
      .set('X-Forwarded-For', '203.0.113.9')
      .send({ code: local.body.code });
    expect(info.status).toBe(403);
    const withSecret = await demo.http
      .post('/h5_demo/wx_login')
      .set({ 'X-Forwarded-For': '203.0.113.9', 'X-Demo-Secret': DEMO_SECRET_HEADER })
      .send({});
    expect(withSecret.status).toBe(200);
  });

  it("never signs in a bound non-demo user: that user's openid cannot be used", async () => {
    // A real organization's admin binds WeChat (through the fake, as the phone would).
    const admin = await buildOrg(demo);
    const { code, openid } = fake.state.login();
    const enc = fake.state.encrypt({ code }, { openId: openid, nickName: '张三' }, DEMO_APPID)!;
    const bind = await demo.http
      .post('/api_3/xcx_info_bind')
      .set(admin.auth)
      .send({ code, ...enc });
    expect(bind.body.Err_No).toBe('0');

    // Knowing the openid is not enough: the simulation refuses to mint a code for it.
    const res = await demo.http.post('/h5_demo/wx_login').send({ openid });
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).toContain('非演示账号');
    expect(res.body.code).toBeUndefined();
    // Even from another host with the demo secret.
    const remote = await demo.http
      .post('/h5_demo/wx_login')
      .set({ 'X-Forwarded-For': '203.0.113.9', 'X-Demo-Secret': DEMO_SECRET_HEADER })
      .send({ openid });
    expect(remote.status).toBe(403);

    // An unbound openid still works (a new simulated user), and its code signs nobody in.
    const fresh = await demo.http.post('/h5_demo/wx_login').send({ openid: 'oFreshSimUser01' }).expect(200);
    const login = await demo.http.post('/api_3/xcx_login').send({ code: fresh.body.code });
    expect(login.status).toBe(404);
  });
});

describe('subscribe-message simulation for the H5 build', () => {
  // Demo mode: the H5 build's stand-in for wx.requestSubscribeMessage grants pushes at the fake WeChat.
  let app: TestApp;
  let fake: FakeWeChat;
  beforeAll(async () => {
    app = await startTestApp({ env: { WD_DEMO: 'true', TRUST_PROXY: 'false' } });
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
});
