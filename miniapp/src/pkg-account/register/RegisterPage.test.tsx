import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import RegisterPage from './index';
import { setTransport } from '../../api/transport';
import { clearSession, readSession } from '../../api/session';
import { navigations } from '../../../test/taro';
import { fakeBff, ok002 } from '../../../test/fake-bff';

const login = {
  Usr_Name: 'newadmin',
  Usr_ID: '9',
  Usr_Token: 'tok-9',
  Usr_Role: 'admin',
  Token_Expires: '2030-01-01T00:00:00Z',
};

beforeEach(() => {
  clearSession();
  navigations.length = 0;
});

function fill(values: { name: string; password: string; confirm: string; email: string; company?: string }) {
  const set = (placeholder: string, value: string) =>
    fireEvent.change(screen.getByPlaceholderText(placeholder), { target: { value } });
  set('3–32 个字符：中英文、数字或 _ - . @', values.name);
  set('至少 8 位', values.password);
  set('再输入一次密码', values.confirm);
  set('用于找回密码，例如 name@example.com', values.email);
  if (values.company) set('选填，最多 64 个字符', values.company);
}

test('registering sends the form, signs the new admin in and opens the setup path', async () => {
  const bff = fakeBff({
    'POST /api/users': () => ok002([{ id: 9 }]),
    'POST /api/auth': () => ok002([login]),
  });
  setTransport(bff.transport);
  render(<RegisterPage />);
  fill({
    name: ' newadmin ',
    password: 'pass-1234',
    confirm: 'pass-1234',
    email: 'a@b.cn',
    company: '新工厂',
  });
  fireEvent.click(screen.getByText('注册并登录'));
  await waitFor(() => expect(navigations).toHaveLength(1));
  await waitFor(() => expect(screen.getByText('注册并登录').hasAttribute('disabled')).toBe(false));
  expect(bff.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
    'POST /api/users',
    'POST /api/auth',
  ]);
  expect(bff.requests[0]!.body).toEqual({
    Usr_Name: 'newadmin',
    Usr_Password: 'pass-1234',
    Usr_Email: 'a@b.cn',
    Usr_Company: '新工厂',
  });
  expect(readSession()?.token).toBe('tok-9');
  expect(navigations).toEqual([expect.objectContaining({ url: '/pkg-setup/index/index' })]);
});

test('fields the phone can check are shown under their inputs and nothing is sent', async () => {
  const bff = fakeBff({});
  setTransport(bff.transport);
  render(<RegisterPage />);
  fill({ name: 'ab', password: 'short', confirm: 'other', email: 'not-mail' });
  fireEvent.click(screen.getByText('注册并登录'));
  expect((await screen.findByTestId('reg-name-error')).textContent).toBe('用户名需 3–32 个字符');
  expect(screen.getByTestId('reg-password-error').textContent).toBe('密码至少 8 位');
  expect(screen.getByTestId('reg-confirm-error').textContent).toBe('两次输入的密码不一致');
  expect(screen.getByTestId('reg-email-error').textContent).toBe('邮箱格式不正确');
  expect(bff.requests).toEqual([]);
});

test('a field the BFF refuses (Err_Detail.field) is shown under that input, and nobody is signed in', async () => {
  setTransport(
    fakeBff({
      'POST /api/users': () => ({
        status: 409,
        body: {
          Err_No: '4109',
          Err_Msg: 'Usr_Name: 用户名已被使用',
          Err_Detail: { field: 'Usr_Name', rule: '用户名已被使用' },
        },
      }),
    }).transport,
  );
  render(<RegisterPage />);
  fill({ name: 'taken', password: 'pass-1234', confirm: 'pass-1234', email: 'a@b.cn' });
  fireEvent.click(screen.getByText('注册并登录'));
  expect((await screen.findByTestId('reg-name-error')).textContent).toBe('用户名已被使用');
  expect(screen.queryByTestId('reg-email-error')).toBeNull();
  expect(readSession()).toBeNull();
  expect(navigations).toEqual([]);
});
