import { fireEvent, render, screen } from '@testing-library/react';
import BindPage from './index';
import { setTransport } from '../../api/transport';
import { saveSession } from '../../api/session';
import { fakeBff, ok002 } from '../../../test/fake-bff';
import { wx } from '../../../test/taro';

beforeEach(() => {
  saveSession({
    Usr_Name: 'm',
    Usr_ID: '1',
    Usr_Token: 't',
    Usr_Role: 'admin',
    Token_Expires: '2030-01-01T00:00:00Z',
  });
});

test('binding sends the login code taken before the tap with the encrypted user info', async () => {
  const bff = fakeBff({
    'POST /api_3/xcx_info_bind': () =>
      ok002([{ Usr_ID: '1', Usr_WeChat_Bound: true, WeChat_Nick_Name: '', WeChat_Phone: '' }]),
  });
  setTransport(bff.transport);
  render(<BindPage />);
  const before = wx.codes;
  fireEvent.click(screen.getByText('绑定微信', { selector: 'button' }));
  await screen.findByTestId('bind-done');
  expect(bff.requests[0]!.body).toEqual({ code: `code-${before}`, encryptedData: 'ZW5j', iv: 'aXY=' });
  expect(wx.codes).toBe(before); // no login after the tap
});

test('a code WeChat refused is replaced, so the second try uses a new one', async () => {
  let calls = 0;
  const bff = fakeBff({
    'POST /api_3/xcx_info_bind': () =>
      ++calls === 1
        ? { status: 502, body: { Err_No: '4501', Err_Msg: '微信接口调用失败：code 无效' } }
        : ok002([{ Usr_ID: '1', Usr_WeChat_Bound: true, WeChat_Nick_Name: '', WeChat_Phone: '' }]),
  });
  setTransport(bff.transport);
  render(<BindPage />);
  fireEvent.click(screen.getByText('绑定微信', { selector: 'button' }));
  expect((await screen.findByTestId('bind-error')).textContent).toBe('微信接口调用失败：code 无效');
  fireEvent.click(screen.getByText('绑定微信', { selector: 'button' }));
  await screen.findByTestId('bind-done');
  const [first, second] = bff.requests.map((r) => (r.body as { code: string }).code);
  expect(second).not.toBe(first);
});
