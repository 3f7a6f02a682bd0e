import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import ProfilePage from './index';
import { setTransport } from '../../api/transport';
import { fakeBff, ok002 } from '../../../test/fake-bff';
import { signInZhang, userProfile } from '../../../test/profile-fixtures';

const profile = (over: Record<string, unknown> = {}) =>
  userProfile({
    Usr_WeChat_Bound: true,
    WeChat_Nick_Name: '微信用户',
    WeChat_Avatar_Url: 'https://example.cn/a.png',
    ...over,
  });

beforeEach(() => void signInZhang());

function open(over: Record<string, unknown> = {}, nickAnswer?: () => ReturnType<typeof ok002>) {
  const bff = fakeBff({
    'GET /api/users': () => ok002([profile(over)]),
    'GET /api_3/province_city_list': () => ok002([]),
    'PUT /api_3/xcx_profile': (req) =>
      nickAnswer?.() ??
      ok002([
        {
          Usr_ID: '3',
          WeChat_Nick_Name: (req.body as { Nick_Name: string }).Nick_Name,
          WeChat_Avatar_Url: 'https://example.cn/a.png',
        },
      ]),
    'POST /api_3/xcx_avatar': () =>
      ok002([
        { Usr_ID: '3', WeChat_Nick_Name: '微信用户', WeChat_Avatar_Url: '/api_3/xcx_avatar?id=3&v=ab12' },
      ]),
  });
  setTransport(bff.transport);
  render(<ProfilePage />);
  return bff;
}

test('shows the current WeChat avatar and nickname', async () => {
  open();
  expect(((await screen.findByTestId('wechat-avatar')) as HTMLImageElement).src).toBe(
    'https://example.cn/a.png',
  );
  expect((screen.getByTestId('wechat-nickname') as HTMLInputElement).value).toBe('微信用户');
});

test('the picked avatar (open-type="chooseAvatar") is uploaded and then shown', async () => {
  const bff = open();
  const button = await screen.findByText('选择头像');
  expect(button.getAttribute('data-open-type')).toBe('chooseAvatar');
  fireEvent.click(button);
  expect((await screen.findByTestId('wechat-identity-note')).textContent).toBe('头像已更新');
  const up = bff.requests.find((r) => r.url.endsWith('/api_3/xcx_avatar'))!;
  expect(up.body).toEqual({ WeChat_Avatar: 'wxfile://tmp/avatar.png' });
  expect(up.headers.Authorization).toBe('Bearer t');
  await waitFor(() =>
    expect((screen.getByTestId('wechat-avatar') as HTMLImageElement).src).toBe(
      'wxfile://download/api_3/xcx_avatar?id=3&v=ab12',
    ),
  );
});

test('the nickname (type="nickname") is saved when the input loses focus', async () => {
  const bff = open();
  const input = await screen.findByTestId('wechat-nickname');
  fireEvent.change(input, { target: { value: ' 小王 ' } });
  fireEvent.blur(input);
  expect((await screen.findByTestId('wechat-identity-note')).textContent).toBe('昵称已保存');
  const put = bff.requests.find((r) => r.method === 'PUT')!;
  expect(put.body).toEqual({ Nick_Name: '小王' });
});

test('a nickname the BFF refuses is reported in Chinese, and an empty one is not sent', async () => {
  const bff = open({}, () => ({
    status: 400,
    body: {
      Err_No: '4103',
      Err_Msg: 'Nick_Name: Nick_Name 不能包含控制字符',
      Err_Detail: { field: 'Nick_Name', rule: 'Nick_Name 不能包含控制字符' },
    },
  }));
  const input = await screen.findByTestId('wechat-nickname');
  fireEvent.change(input, { target: { value: '  ' } });
  fireEvent.blur(input);
  expect((await screen.findByTestId('wechat-identity-note')).textContent).toBe('昵称不能为空');
  expect(bff.requests.filter((r) => r.method === 'PUT')).toEqual([]);
  fireEvent.change(input, { target: { value: '坏\u0007名' } });
  fireEvent.blur(input);
  await waitFor(() =>
    expect(screen.getByTestId('wechat-identity-note').textContent).toMatch(/^昵称保存失败：/),
  );
});

test('without a bound WeChat it says to bind first and offers no picker', async () => {
  open({ Usr_WeChat_Bound: false, WeChat_Nick_Name: '', WeChat_Avatar_Url: '' });
  expect(await screen.findByText('绑定微信后可设置头像和昵称')).toBeTruthy();
  expect(screen.queryByText('选择头像')).toBeNull();
});
