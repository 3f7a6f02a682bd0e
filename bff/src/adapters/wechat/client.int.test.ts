import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { ManualClock } from '../../infra/clock';
import { startTestWeChat, TEST_APPID, TEST_SECRET, TEST_TEMPLATE } from '../../../../test/support/wechat';
import type { FakeWeChat } from '../../fakes/wechat/server';
import { WeChatClient } from './client';
import { WeChatApiError, WeChatTransportError } from './errors';

// The client against the fake WeChat server and this machine's real Redis (token cache and lock).
let fake: FakeWeChat;
let clock: ManualClock;
const redises: Redis[] = [];
const prefix = `wdtest:wxclient:${crypto.randomUUID()}:`;

function client(opts: { prefix?: string; timeoutMs?: number } = {}): WeChatClient {
  const redis = new Redis(process.env.WD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', {
    keyPrefix: opts.prefix ?? prefix,
  });
  redises.push(redis);
  return new WeChatClient({
    baseUrl: fake.url,
    appid: TEST_APPID,
    secret: TEST_SECRET,
    redis,
    clock,
    timeoutMs: opts.timeoutMs ?? 1000,
  });
}

beforeEach(async () => {
  clock = new ManualClock(new Date());
  fake = (await startTestWeChat({ now: () => clock.now().getTime() })).fake;
  await redises[0]?.del('wechat:token:' + TEST_APPID);
});
afterEach(() => fake.close());
afterAll(async () => {
  for (const r of redises) {
    await r.del('wechat:token:' + TEST_APPID);
    await r.quit();
  }
});

describe('WeChatClient access token', () => {
  it('fetches the stable token once and serves later calls from the Redis cache', async () => {
    const wx = client();
    const first = await wx.accessToken();
    expect(await wx.accessToken()).toBe(first);
    expect(await client().accessToken()).toBe(first); // another instance reads the same cache
    expect(fake.state.calls.stable_token).toBe(1);
  });

  it('lets exactly one of many concurrent callers in two instances refresh the token', async () => {
    const a = client();
    const b = client();
    const tokens = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).accessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(fake.state.calls.stable_token).toBe(1);
  });

  it('refreshes before expiry: inside the last 5 minutes it fetches a new token, earlier it does not', async () => {
    const wx = client();
    const first = await wx.accessToken();
    clock.advance((7200 - 301) * 1000);
    expect(await wx.accessToken()).toBe(first);
    clock.advance(2000);
    const second = await wx.accessToken();
    expect(second).not.toBe(first);
    expect(fake.state.calls.stable_token).toBe(2);
  });

  it('drops a token WeChat calls invalid (40001) and retries the call once with a fresh one', async () => {
    const wx = client();
    await wx.accessToken();
    fake.state.stableToken({
      grant_type: 'client_credential',
      appid: TEST_APPID,
      secret: TEST_SECRET,
      force_refresh: true,
    });
    const { openid } = fake.state.login();
    fake.state.setUser(openid, { subscribe: [TEST_TEMPLATE] });
    await wx.sendSubscribeMessage({
      touser: openid,
      templateId: TEST_TEMPLATE,
      data: { thing1: '1号空压机' },
    });
    expect(fake.state.messages).toHaveLength(1);
  });

  it('names bad credentials as a typed error', async () => {
    const wx = client({ prefix: `${prefix}bad:` });
    wx.pointAt({ baseUrl: fake.url, appid: TEST_APPID, secret: 'wrong' });
    const err = await wx.accessToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeChatApiError);
    expect(err).toMatchObject({ errcode: 40125, reason: 'bad_credentials' });
  });
});

describe('WeChatClient code2Session and phone number', () => {
  it('exchanges a login code for openid, session_key and unionid', async () => {
    const { code, openid } = fake.state.login(undefined, 'oUnion123');
    const s = await client().code2Session(code);
    expect(s).toMatchObject({ openid, unionid: 'oUnion123' });
    expect(Buffer.from(s.sessionKey, 'base64')).toHaveLength(16);
  });

  it('maps 40029 and 40163 to typed errors', async () => {
    const wx = client();
    await expect(wx.code2Session('nope')).rejects.toMatchObject({ reason: 'invalid_code', errcode: 40029 });
    const { code } = fake.state.login();
    await wx.code2Session(code);
    await expect(wx.code2Session(code)).rejects.toMatchObject({ reason: 'code_used', errcode: 40163 });
  });

  it('retries once when WeChat is busy (-1), and gives up on the second busy answer', async () => {
    const wx = client();
    fake.state.fail('jscode2session', -1, 1);
    const { code } = fake.state.login();
    await expect(wx.code2Session(code)).resolves.toMatchObject({ openid: expect.any(String) });
    fake.state.fail('jscode2session', -1, 2);
    const second = fake.state.login();
    await expect(wx.code2Session(second.code)).rejects.toMatchObject({ reason: 'busy' });
  });

  it('times out a call WeChat does not answer', async () => {
    const wx = client({ timeoutMs: 200 });
    fake.state.fail('jscode2session', 0, 1, 1000);
    const err = await wx.code2Session(fake.state.login().code).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeChatTransportError);
    expect((err as WeChatTransportError).timedOut).toBe(true);
  });

  it('reads the phone number behind a getPhoneNumber code, once', async () => {
    const wx = client();
    const { openid } = fake.state.login();
    const code = fake.state.phoneCode(openid, '13580006666', TEST_APPID);
    expect(await wx.getPhoneNumber(code, openid)).toEqual({
      phoneNumber: '13580006666',
      purePhoneNumber: '13580006666',
      countryCode: '86',
    });
    await expect(wx.getPhoneNumber(code)).rejects.toMatchObject({ reason: 'invalid_code' });
  });
});

describe('WeChatClient subscribe messages', () => {
  it('delivers a message the user subscribed to, and only as many as authorised', async () => {
    const wx = client();
    const { openid } = fake.state.login();
    fake.state.setUser(openid, { subscribe: [TEST_TEMPLATE] });
    const msg = {
      touser: openid,
      templateId: TEST_TEMPLATE,
      page: 'pages/alarms/index?id=7',
      data: { thing1: '1号空压机电流越限', time2: '2026年11月21日 15:01', character_string3: 'A-7' },
    };
    await wx.sendSubscribeMessage(msg);
    expect(fake.state.messages[0]).toMatchObject({
      touser: openid,
      template_id: TEST_TEMPLATE,
      data: { thing1: { value: '1号空压机电流越限' } },
    });
    await expect(wx.sendSubscribeMessage(msg)).rejects.toMatchObject({
      reason: 'user_refused',
      errcode: 43101,
    });
  });

  it('reports 47003 naming the key whose value breaks its type limit', async () => {
    const wx = client();
    const { openid } = fake.state.login();
    fake.state.setUser(openid, { subscribe: [TEST_TEMPLATE] });
    const err = (await wx
      .sendSubscribeMessage({
        touser: openid,
        templateId: TEST_TEMPLATE,
        data: { phrase4: '超过五个汉字了' },
      })
      .catch((e: unknown) => e)) as WeChatApiError;
    expect(err).toMatchObject({ errcode: 47003, reason: 'bad_argument' });
    expect(err.errmsg).toMatch(/^argument invalid! data\.phrase4\.value invalid rid: /);
    expect(fake.state.messages).toHaveLength(0);
  });

  it('reports 40003 for an unknown openid and 40037 for an unknown template', async () => {
    const wx = client();
    await expect(
      wx.sendSubscribeMessage({ touser: 'oNobody', templateId: TEST_TEMPLATE, data: { thing1: 'x' } }),
    ).rejects.toMatchObject({ errcode: 40003, reason: 'invalid_openid' });
    const { openid } = fake.state.login();
    await expect(
      wx.sendSubscribeMessage({ touser: openid, templateId: 'TPL_NOPE', data: { thing1: 'x' } }),
    ).rejects.toMatchObject({ errcode: 40037, reason: 'invalid_template' });
  });
});
