import { FakeWeChatState } from './state';
import { checkSubscribeData } from './subscribe-values';

const APPID = 'wxfake';
const SECRET = 'fake-secret';
let t = 1_800_000_000_000;
const state = () => new FakeWeChatState({ apps: { [APPID]: SECRET }, templates: ['TPL'], now: () => t });
const exchange = (s: FakeWeChatState, code: string, over: Record<string, string> = {}) =>
  s.code2Session({ appid: APPID, secret: SECRET, js_code: code, grant_type: 'authorization_code', ...over });
const stable = (s: FakeWeChatState, force?: boolean) =>
  s.stableToken({ grant_type: 'client_credential', appid: APPID, secret: SECRET, force_refresh: force });

describe('fake jscode2session (external-apis.md §1(a))', () => {
  it('answers openid + a 24-character session_key once per code, then 40163', () => {
    const s = state();
    const { code, openid } = s.login();
    const ok = exchange(s, code);
    expect(ok).toMatchObject({ openid });
    expect(String(ok.session_key)).toHaveLength(24);
    expect(exchange(s, code)).toMatchObject({ errcode: 40163 });
  });

  it('answers errors as WeChat does: errcode + "<text> rid: <id>"', () => {
    const s = state();
    expect(exchange(s, 'unknown')).toEqual({
      errcode: 40029,
      errmsg: expect.stringMatching(/^invalid code rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/),
    });
    expect(exchange(s, s.login().code, { appid: 'wxother' })).toMatchObject({ errcode: 40013 });
    expect(exchange(s, s.login().code, { secret: 'wrong' })).toMatchObject({ errcode: 40125 });
    expect(exchange(s, '', {})).toMatchObject({ errcode: 41008 });
  });

  it('expires a code after 5 minutes (40029)', () => {
    const s = state();
    const { code } = s.login();
    t += 5 * 60_000 + 1;
    expect(exchange(s, code)).toMatchObject({ errcode: 40029 });
  });

  it('limits a user to 100 exchanges a minute (45011), counting afresh the next minute', () => {
    const s = state();
    const openid = 'oBusyUser';
    t = Math.ceil(t / 60_000) * 60_000;
    for (let i = 0; i < 100; i++) expect(exchange(s, s.login(openid).code)).toMatchObject({ openid });
    expect(exchange(s, s.login(openid).code)).toMatchObject({ errcode: 45011 });
    t += 60_000;
    expect(exchange(s, s.login(openid).code)).toMatchObject({ openid });
  });

  it('blocks a high-risk user (40226)', () => {
    const s = state();
    const { code, openid } = s.login();
    s.setUser(openid, { blocked: true });
    expect(exchange(s, code)).toMatchObject({ errcode: 40226 });
  });
});

describe('fake access tokens (external-apis.md §1(c))', () => {
  it('stable_token returns the same token while valid and a new one in its last 5 minutes', () => {
    const s = state();
    const a = stable(s).access_token;
    t += 3600_000;
    expect(stable(s).access_token).toBe(a);
    t += 3600_000 - 299_000;
    expect(stable(s).access_token).not.toBe(a);
  });

  it('force_refresh invalidates the old token, at most once per 30 s and 20 times a day', () => {
    const s = state();
    const old = String(stable(s).access_token);
    const forced = stable(s, true);
    expect(forced.access_token).not.toBe(old);
    expect(s.send(old, { touser: 'x' })).toMatchObject({ errcode: 40001 });
    expect(stable(s, true)).toMatchObject({ errcode: 45011 });
    for (let i = 0; i < 19; i++) {
      t += 31_000;
      expect(stable(s, true)).toHaveProperty('access_token');
    }
    t += 31_000;
    expect(stable(s, true)).toMatchObject({ errcode: 45009 });
  });

  it('cgi-bin/token replaces the previous token, which keeps working for 5 minutes', () => {
    const s = state();
    const q = { grant_type: 'client_credential', appid: APPID, secret: SECRET };
    const first = String(s.basicToken(q).access_token);
    s.basicToken(q);
    const { openid } = s.login();
    expect(
      s.send(first, { touser: openid, template_id: 'TPL', data: { thing1: { value: 'x' } } }),
    ).toMatchObject({
      errcode: 43101, // the token still works: the user simply has not subscribed
    });
    t += 5 * 60_000 + 1;
    expect(s.send(first, { touser: openid })).toMatchObject({ errcode: 40001 });
    expect(s.basicToken({ ...q, grant_type: 'password' })).toMatchObject({ errcode: 40002 });
  });
});

describe('subscribe-message value limits (external-apis.md §1(d))', () => {
  const ok = (data: Record<string, string>) =>
    checkSubscribeData(Object.fromEntries(Object.entries(data).map(([k, value]) => [k, { value }])));

  it.each([
    ['thing1', '二十个字以内的任何内容都可以，比如设备名称'.slice(0, 20)],
    ['number2', '12345.67'],
    ['letter3', 'ABCdef'],
    ['symbol4', '%$#'],
    ['character_string5', 'A-7/2026'],
    ['time6', '15:01'],
    ['time7', '2019年10月1日 15:01'],
    ['date8', '2019年10月1日'],
    ['date9', '2019-10-01 15:01'],
    ['amount10', '¥100.50元'],
    ['phone_number11', '+86-0766-66888866'],
    ['car_number12', '粤A8Z8Z8'],
    ['name13', '张三'],
    ['name14', 'John Smith'],
    ['phrase15', '已处理'],
  ])('accepts %s = %s', (key, value) => {
    expect(ok({ [key]: value })).toBeNull();
  });

  it.each([
    ['thing1', '这是一个超过二十个字的事物描述，微信会拒绝它的'],
    ['number2', '12a'],
    ['letter3', 'abc1'],
    ['symbol4', '%%%%%%'],
    ['character_string5', '中文不行'],
    ['time6', '25:01'],
    ['date8', '明天'],
    ['amount10', '¥12345678901'],
    ['phone_number11', '+86-0766-66888866-123'],
    ['car_number12', '粤A8Z8Z8Z8Z'],
    ['name13', '一二三四五六七八九十一'],
    ['phrase15', 'done'],
    ['phrase16', '六个汉字不行啊'],
  ])('rejects %s = %s naming the key', (key, value) => {
    expect(ok({ [key]: value })).toBe(`argument invalid! data.${key}.value invalid`);
  });

  it('rejects an empty value, an unknown key type and empty data', () => {
    expect(ok({ thing36: '' })).toBe('argument invalid! data.thing36.value is empty');
    expect(ok({ colour1: 'red' })).toBe('argument invalid! data.colour1 is invalid');
    expect(checkSubscribeData({})).toBe('argument invalid! data is empty');
  });
});
