import { fireEvent, render, screen } from '@testing-library/react';
import MinePage from './index';
import { setTransport } from '../../api/transport';
import { saveSession, setWechatAutoLogin, wechatAutoLogin } from '../../api/session';
import { fakeBff, ok002 } from '../../../test/fake-bff';

const profile = (bound: boolean) => ({
  id: 3,
  Usr_Name: 'zhang',
  Usr_Email: 'zhang@example.com',
  Usr_Phone: '',
  XCX_Title: '',
  Usr_Company: '',
  Usr_Province: '',
  Usr_City: '',
  Usr_Detail_Addr: '',
  Usr_Area: '',
  Usr_Role: 'operator',
  Usr_Permissions: [],
  Usr_WeChat_Bound: bound,
});

beforeEach(() => {
  saveSession({
    Usr_Name: 'zhang',
    Usr_ID: '3',
    Usr_Token: 't',
    Usr_Role: 'operator',
    Token_Expires: '2030-01-01T00:00:00Z',
  });
  setWechatAutoLogin(true);
});

test('我的 unbinds WeChat after a confirmation, turns silent WeChat sign-in off and shows the account unbound', async () => {
  let bound = true;
  const bff = fakeBff({
    'GET /api/users': () => ok002([profile(bound)]),
    'DELETE /api_3/xcx_info_bind': () => {
      bound = false;
      return ok002([]);
    },
  });
  setTransport(bff.transport);
  render(<MinePage />);
  expect((await screen.findByTestId('wechat-bound')).textContent).toBe('已绑定 · 更换 ›');
  fireEvent.click(screen.getByTestId('unbind'));
  // Nothing is sent before the user confirms.
  expect(bff.requests.some((r) => r.method === 'DELETE')).toBe(false);
  fireEvent.click(screen.getByText('确认解除绑定'));
  expect((await screen.findByTestId('mine-message')).textContent).toMatch(/^已解除微信绑定/);
  expect(bff.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
  expect(wechatAutoLogin()).toBe(false);
  await screen.findByText('未绑定 ›');
  expect(screen.queryByTestId('unbind-card')).toBeNull();
});

test('cancelling the confirmation keeps the binding; a failed unbind says why', async () => {
  const bff = fakeBff({
    'GET /api/users': () => ok002([profile(true)]),
    'DELETE /api_3/xcx_info_bind': () => ({
      status: 404,
      body: { Err_No: '4104', Err_Msg: '该账号没有绑定微信' },
    }),
  });
  setTransport(bff.transport);
  render(<MinePage />);
  fireEvent.click(await screen.findByTestId('unbind'));
  fireEvent.click(screen.getByText('取消'));
  expect(bff.requests.some((r) => r.method === 'DELETE')).toBe(false);
  fireEvent.click(screen.getByTestId('unbind'));
  fireEvent.click(screen.getByText('确认解除绑定'));
  expect((await screen.findByTestId('mine-message')).textContent).toBe('该账号没有绑定微信');
  expect(wechatAutoLogin()).toBe(true);
});
