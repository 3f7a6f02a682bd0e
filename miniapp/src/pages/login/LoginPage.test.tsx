import { fireEvent, render, screen } from '@testing-library/react';
import LoginPage from './index';
import { setTransport } from '../../api/transport';
import { clearSession, readSession } from '../../api/session';
import { navigations } from '../../../test/taro';
import { fakeBff, ok002 } from '../../../test/fake-bff';

const login = {
  Usr_Name: 'zhang',
  Usr_ID: '3',
  Usr_Token: 'tok',
  Usr_Role: 'operator',
  Token_Expires: '2030-01-01T00:00:00Z',
};

beforeEach(() => {
  clearSession();
  navigations.length = 0;
});

function fill(name: string, password: string) {
  fireEvent.change(screen.getByPlaceholderText('请输入用户名'), { target: { value: name } });
  fireEvent.change(screen.getByPlaceholderText('请输入密码'), { target: { value: password } });
}

test('an account without WeChat is taken to the binding page after signing in', async () => {
  const bff = fakeBff({
    'POST /api/auth': () => ok002([login]),
    'GET /api/users': () => ok002([{ id: 3, Usr_WeChat_Bound: false }]),
  });
  setTransport(bff.transport);
  render(<LoginPage />);
  fill(' zhang ', 'secret-pass');
  fireEvent.click(screen.getByText('登录'));
  await screen.findByText('登录'); // still mounted while navigating
  await new Promise((r) => setTimeout(r, 0));
  expect(bff.requests[0]!.body).toEqual({ Usr_Name: 'zhang', Usr_Password: 'secret-pass' });
  expect(readSession()?.token).toBe('tok');
  expect(navigations).toEqual([{ kind: 'navigateTo', url: '/pkg-account/bind/index' }]);
});

test('a wrong password shows the server reason and keeps nobody signed in', async () => {
  setTransport(
    fakeBff({
      'POST /api/auth': () => ({ status: 401, body: { Err_No: '4102', Err_Msg: '用户名或密码错误' } }),
    }).transport,
  );
  render(<LoginPage />);
  fill('zhang', 'wrong');
  fireEvent.click(screen.getByText('登录'));
  expect((await screen.findByTestId('login-error')).textContent).toBe('用户名或密码错误');
  expect(readSession()).toBeNull();
  expect(navigations).toEqual([]);
});

test('empty fields are caught before anything is sent', async () => {
  const bff = fakeBff({});
  setTransport(bff.transport);
  render(<LoginPage />);
  fireEvent.click(screen.getByText('登录'));
  expect((await screen.findByTestId('login-error')).textContent).toBe('请输入用户名和密码');
  expect(bff.requests).toHaveLength(0);
});

test('an expired session says why, and signing in returns to the page the user was on', async () => {
  const { router } = await import('../../../test/taro');
  router.params = { reason: 'expired', back: encodeURIComponent('/pkg-device/detail/index?uid=ems-1') };
  setTransport(
    fakeBff({
      'POST /api/auth': () => ok002([login]),
      'GET /api/users': () => ok002([{ id: 3, Usr_WeChat_Bound: false }]),
    }).transport,
  );
  render(<LoginPage />);
  expect(screen.getByTestId('login-reason').textContent).toContain('登录已过期');
  fill('zhang', 'secret-pass');
  fireEvent.click(screen.getByText('登录'));
  await new Promise((r) => setTimeout(r, 10));
  expect(navigations).toEqual([{ kind: 'reLaunch', url: '/pkg-device/detail/index?uid=ems-1' }]);
  router.params = {};
});

test('the sign-in page links to registration', async () => {
  setTransport(fakeBff({}).transport);
  render(<LoginPage />);
  fireEvent.click(screen.getByTestId('register-link'));
  expect(navigations).toEqual([{ kind: 'navigateTo', url: '/pkg-account/register/index' }]);
});

test('tapping 微信一键登录 turns silent WeChat sign-in back on after a sign-out', async () => {
  const { setWechatAutoLogin, wechatAutoLogin } = await import('../../api/session');
  setWechatAutoLogin(false);
  setTransport(fakeBff({ 'POST /api_3/xcx_login': () => ok002([login]) }).transport);
  render(<LoginPage />);
  fireEvent.click(screen.getByText('微信一键登录'));
  await new Promise((r) => setTimeout(r, 10));
  expect(wechatAutoLogin()).toBe(true);
  expect(readSession()?.token).toBe('tok');
});
