import { decryptOpenData } from '../../adapters/wechat/crypto';
import { startFakeWeChat, type FakeWeChat } from './server';

// The fake over HTTP, as the BFF client, the demo and the H5 e2e tests use it.
let fake: FakeWeChat;
beforeAll(async () => {
  fake = await startFakeWeChat({ apps: { wxhttp: 'http-secret' }, templates: ['TPL'] });
});
afterAll(() => fake.close());

const post = async (path: string, body: unknown) => {
  const res = await fetch(fake.url + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};
const get = async (path: string) => {
  const res = await fetch(fake.url + path);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe('fake WeChat over HTTP', () => {
  it('acts as a phone: /__fake/login gives a code, /__fake/encrypt data that the code’s session_key opens', async () => {
    const login = await post('/__fake/login', { openid: 'oHttpUser' });
    expect(login.body).toEqual({ code: expect.any(String), openid: 'oHttpUser' });
    const enc = await post('/__fake/encrypt', { code: login.body.code, data: { nickName: '小王' } });
    const session = await get(
      `/sns/jscode2session?appid=wxhttp&secret=http-secret&js_code=${login.body.code}&grant_type=authorization_code`,
    );
    expect(session.body.openid).toBe('oHttpUser');
    const plain = decryptOpenData(enc.body.encryptedData, session.body.session_key, enc.body.iv, 'wxhttp');
    expect(plain).toMatchObject({ nickName: '小王', watermark: { appid: 'wxhttp' } });
  });

  it('delivers a subscribe message after /__fake/user grants it, and lists it at /__fake/messages', async () => {
    await post('/__fake/login', { openid: 'oSub' });
    await post('/__fake/user', { openid: 'oSub', subscribe: ['TPL'] });
    const token = await post('/cgi-bin/stable_token', {
      grant_type: 'client_credential',
      appid: 'wxhttp',
      secret: 'http-secret',
    });
    const sent = await post(`/cgi-bin/message/subscribe/send?access_token=${token.body.access_token}`, {
      touser: 'oSub',
      template_id: 'TPL',
      data: { thing1: { value: '告警' } },
    });
    expect(sent.body).toMatchObject({ errcode: 0, errmsg: 'ok' });
    const list = await get('/__fake/messages?openid=oSub');
    expect(list.body.messages).toEqual([expect.objectContaining({ touser: 'oSub', template_id: 'TPL' })]);
  });

  it('answers HTTP 200 + errcode for a wrong-case path and a non-JSON body, like WeChat', async () => {
    const wrongCase = await get('/sns/jsCode2Session?appid=wxhttp');
    expect(wrongCase).toMatchObject({ status: 200, body: { errcode: 40066 } });
    const res = await fetch(fake.url + '/cgi-bin/stable_token', { method: 'POST', body: '{nope' });
    expect(await res.json()).toMatchObject({ errcode: 47001 });
  });

  it('allows the H5 app (another origin) to call the control endpoints', async () => {
    const res = await fetch(fake.url + '/__fake/login', { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers 400 naming what a control call lacks', async () => {
    expect(await post('/__fake/encrypt', { code: 'x' })).toMatchObject({ status: 400 });
    expect(await post('/__fake/phone_code', { openid: 'o' })).toMatchObject({ status: 400 });
    expect(await post('/__fake/fail', { api: 'nope', errcode: -1 })).toMatchObject({ status: 400 });
  });
});
