import { setTransport } from './transport';
import { call002, callEms, endpoints } from './request';
import { readSession, saveSession } from './session';
import { ApiError } from './errors';
import { fakeBff, ok002, okEms } from '../../test/fake-bff';

const login = (token: string) => ({
  Usr_Name: 'manager',
  Usr_ID: '7',
  Usr_Token: token,
  Usr_Role: 'admin' as const,
  Token_Expires: '2030-01-01T00:00:00.000Z',
});

beforeEach(() => saveSession(login('stale')));

test('three requests that find the session expired wait for one WeChat re-login, then all succeed', async () => {
  let relogins = 0;
  const bff = fakeBff({
    'POST /api_3/xcx_login': async () => {
      relogins++;
      await new Promise((r) => setTimeout(r, 20)); // slow enough that all three are waiting
      return ok002([login('fresh')]);
    },
    'GET /api/users': (req) =>
      req.headers.Authorization === 'Bearer fresh'
        ? ok002([{ id: 7 }])
        : { status: 401, body: { Err_No: '4101', Err_Msg: '用户未登录或登录已过期' } },
    'GET /wad/ems/v1/api/devices': (req) =>
      req.headers.Authorization === 'Bearer fresh'
        ? okEms([])
        : { status: 401, body: { code: 100002, message: '用户未登录或登录已过期', data: null } },
  });
  setTransport(bff.transport);
  const results = await Promise.all([
    call002(endpoints.profile),
    call002(endpoints.profile),
    callEms(endpoints.devices),
  ]);
  expect(results).toEqual([{ items: [{ id: 7 }], total: 1 }, { items: [{ id: 7 }], total: 1 }, []]);
  expect(relogins).toBe(1);
  expect(readSession()?.token).toBe('fresh');
});

test('a failed re-login signs the user out with a Chinese message instead of a code', async () => {
  const bff = fakeBff({
    'POST /api_3/xcx_login': () => ({ status: 404, body: { Err_No: '4104', Err_Msg: '该微信尚未绑定账号' } }),
    'GET /api/users': () => ({ status: 401, body: { Err_No: '4101', Err_Msg: '用户未登录或登录已过期' } }),
  });
  setTransport(bff.transport);
  const err = await call002(endpoints.profile).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).message).toBe('登录已过期，请重新登录');
  expect(readSession()).toBeNull();
});

test('a device refusal shows the reason the BFF gave, a 500 only the catalogue sentence', async () => {
  const bff = fakeBff({
    'POST /wad/ems/v1/api/bms-control': () => ({
      status: 409,
      body: { code: 100006, message: '设备拒绝执行：电池正在放电，禁止断开接触器', data: null },
    }),
    'GET /wad/ems/v1/api/bms-control': () => ({
      status: 500,
      body: { code: 100500, message: 'TypeError: x is undefined at foo.ts:12', data: null },
    }),
  });
  setTransport(bff.transport);
  await expect(callEms(endpoints.bmsCommand, { body: {} })).rejects.toThrow(
    '设备拒绝执行：电池正在放电，禁止断开接触器',
  );
  await expect(callEms(endpoints.bmsStatus)).rejects.toThrow('服务器内部错误');
});

test('an answer that is not an envelope and a dropped connection both read as Chinese sentences', async () => {
  setTransport(async () => ({ status: 502, body: '<html>Bad Gateway</html>' }));
  await expect(callEms(endpoints.devices)).rejects.toThrow('服务器开小差了，请稍后再试');
  setTransport(async () => {
    const { TransportError } = await import('./transport');
    throw new TransportError(false);
  });
  await expect(callEms(endpoints.devices)).rejects.toThrow('网络连接失败，请检查网络后重试');
});

test('the token travels as a Bearer header and GET parameters in the query string', async () => {
  const bff = fakeBff({
    'GET /wad/ems/v1/api/bms-control': () =>
      okEms({ device_uid: 'ems-1', alarm_status: 0, operating_status: 2 }),
  });
  setTransport(bff.transport);
  await callEms(endpoints.bmsStatus, { query: { device_uid: 'ems 1' } });
  expect(bff.requests[0]!.url).toBe('http://bff.test/wad/ems/v1/api/bms-control?device_uid=ems%201');
  expect(bff.requests[0]!.headers.Authorization).toBe('Bearer stale');
  expect(bff.requests[0]!.body).toBeUndefined();
});

test('field errors are read from where the BFF puts them: Err_Detail.field (002) and data.field (000/001)', async () => {
  setTransport(
    fakeBff({
      'PUT /api/users': () => ({
        status: 400,
        body: {
          Err_No: '4103',
          Err_Msg: 'Usr_Phone: 手机号格式不正确',
          Err_Detail: { field: 'Usr_Phone', rule: '手机号格式不正确' },
        },
      }),
      'POST /wad/ems/v1/api/reactive-power-control': () => ({
        status: 400,
        body: {
          code: 100001,
          message: 'step: step 最大为 1',
          data: { field: 'step', rule: 'step 最大为 1' },
        },
      }),
    }).transport,
  );
  const e002 = (await call002(endpoints.updateProfile, { body: {} }).catch((e: unknown) => e)) as ApiError;
  expect(e002.field).toBe('Usr_Phone');
  const eEms = (await callEms(endpoints.reactiveSet, { body: {} }).catch((e: unknown) => e)) as ApiError;
  expect(eEms.field).toBe('step');
});

test('a hung request fails after about 10 s with its own message, not as a network failure', async () => {
  const { DEFAULT_TIMEOUT_MS } = await import('./config');
  expect(DEFAULT_TIMEOUT_MS).toBe(10_000);
  let asked = 0;
  setTransport(async (req) => {
    asked = req.timeoutMs;
    const { TransportError } = await import('./transport');
    throw new TransportError(true);
  });
  const err = (await callEms(endpoints.devices).catch((e: unknown) => e)) as ApiError;
  expect(asked).toBe(10_000);
  expect(err.kind).toBe('timeout');
  expect(err.message).toBe('服务器 10 秒内没有响应，请稍后重试');
});

test('after signing out, a call without a session does not sign in through WeChat behind the user’s back', async () => {
  const { clearSession, setWechatAutoLogin } = await import('./session');
  const { whenSignedOut } = await import('./relogin');
  const reasons: string[] = [];
  whenSignedOut((r) => reasons.push(r));
  const bff = fakeBff({ 'POST /api_3/xcx_login': () => ok002([login('fresh')]) });
  setTransport(bff.transport);
  clearSession();
  setWechatAutoLogin(false);
  const err = (await call002(endpoints.profile).catch((e: unknown) => e)) as ApiError;
  expect(err.kind).toBe('session');
  expect(bff.requests.filter((r) => r.url.includes('xcx_login'))).toHaveLength(0);
  expect(readSession()).toBeNull();
  expect(reasons).toEqual(['signed-out']);
  setWechatAutoLogin(true);
});

test('an expired session that WeChat cannot renew reports "expired", so sign-in can say why', async () => {
  const { whenSignedOut } = await import('./relogin');
  const reasons: string[] = [];
  whenSignedOut((r) => reasons.push(r));
  setTransport(
    fakeBff({
      'POST /api_3/xcx_login': () => ({
        status: 404,
        body: { Err_No: '4104', Err_Msg: '该微信尚未绑定账号' },
      }),
      'GET /api/users': () => ({ status: 401, body: { Err_No: '4101', Err_Msg: '用户未登录或登录已过期' } }),
    }).transport,
  );
  await call002(endpoints.profile).catch(() => undefined);
  expect(reasons).toEqual(['expired']);
});
