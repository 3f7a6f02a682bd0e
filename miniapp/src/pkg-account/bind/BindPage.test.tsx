import { fireEvent, render, screen } from '@testing-library/react';
import BindPage from './index';
import { setTransport } from '../../api/transport';
import { saveSession } from '../../api/session';
import { fakeBff, ok002 } from '../../../test/fake-bff';
import { wx } from '../../../test/taro';
import { phoneButton } from '../../../test/components';

const profile = (over: object = {}) =>
  ok002([
    {
      id: 1,
      Usr_Name: 'm',
      Usr_Email: 'm@example.com',
      Usr_Phone: '13800138000',
      Usr_WeChat_Bound: false,
      ...over,
    },
  ]);
const bound = (phone: string) =>
  ok002([{ Usr_ID: '1', Usr_WeChat_Bound: true, WeChat_Nick_Name: '', WeChat_Phone: phone }]);

beforeEach(() => {
  phoneButton.detail = { encryptedData: 'ZW5jcnlwdGVk', iv: 'aXZpdml2aXZpdml2aXY=' };
  saveSession({
    Usr_Name: 'm',
    Usr_ID: '1',
    Usr_Token: 't',
    Usr_Role: 'admin',
    Token_Expires: '2030-01-01T00:00:00Z',
  });
});

const phoneTap = () => fireEvent.click(screen.getByText(/授权手机号并绑定微信|更换为当前微信/));

test('binding goes through the phone-number button: its encryptedData + iv with the code taken before the tap', async () => {
  const bff = fakeBff({
    'GET /api/users': () => profile(),
    'POST /api_3/xcx_info_bind': () => bound('13800138000'),
  });
  setTransport(bff.transport);
  render(<BindPage />);
  await new Promise((r) => setTimeout(r, 0));
  const before = wx.codes;
  expect(screen.getByText('授权手机号并绑定微信').getAttribute('data-open-type')).toBe('getPhoneNumber');
  phoneTap();
  await screen.findByTestId('bind-done');
  const post = bff.requests.find((r) => r.method === 'POST')!;
  expect(post.body).toEqual({
    code: `code-${before}`,
    encryptedData: 'ZW5jcnlwdGVk',
    iv: 'aXZpdml2aXZpdml2aXY=',
  });
  expect(wx.codes).toBe(before); // no login after the tap
  expect(screen.getByTestId('bind-phone').textContent).toContain('138****8000');
  expect(screen.getByTestId('bind-phone').textContent).toContain('两个号码一致');
});

test('a WeChat phone that differs from the account’s is shown for the user to confirm', async () => {
  setTransport(
    fakeBff({
      'GET /api/users': () => profile(),
      'POST /api_3/xcx_info_bind': () => bound('13912345678'),
    }).transport,
  );
  render(<BindPage />);
  await new Promise((r) => setTimeout(r, 0));
  phoneTap();
  expect((await screen.findByTestId('bind-phone-differs')).textContent).toContain('不一致');
});

test('binding a second WeChat warns that it replaces the first', async () => {
  setTransport(fakeBff({ 'GET /api/users': () => profile({ Usr_WeChat_Bound: true }) }).transport);
  render(<BindPage />);
  expect((await screen.findByTestId('bind-replaces')).textContent).toContain('替换原来的微信');
  expect(screen.getByText('更换为当前微信')).toBeTruthy();
});

test('refusing the phone prompt binds nothing and says so', async () => {
  phoneButton.detail = { errMsg: 'getPhoneNumber:fail user deny' };
  const bff = fakeBff({ 'GET /api/users': () => profile() });
  setTransport(bff.transport);
  render(<BindPage />);
  await new Promise((r) => setTimeout(r, 0));
  phoneTap();
  expect((await screen.findByTestId('bind-error')).textContent).toContain('没有取得手机号授权');
  expect(bff.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
});

test('a code WeChat refused is replaced, so the second try uses a new one', async () => {
  let calls = 0;
  const bff = fakeBff({
    'GET /api/users': () => profile(),
    'POST /api_3/xcx_info_bind': () =>
      ++calls === 1
        ? { status: 502, body: { Err_No: '4501', Err_Msg: '微信接口调用失败：code 无效' } }
        : bound(''),
  });
  setTransport(bff.transport);
  render(<BindPage />);
  await new Promise((r) => setTimeout(r, 0));
  phoneTap();
  expect((await screen.findByTestId('bind-error')).textContent).toBe('微信接口调用失败：code 无效');
  phoneTap();
  await screen.findByTestId('bind-done');
  const [first, second] = bff.requests
    .filter((r) => r.method === 'POST')
    .map((r) => (r.body as { code: string }).code);
  expect(second).not.toBe(first);
});
