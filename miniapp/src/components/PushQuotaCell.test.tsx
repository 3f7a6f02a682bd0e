import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { PushQuotaCell } from './PushQuotaCell';
import { setTransport } from '../api/transport';
import { saveSession } from '../api/session';
import { fakeBff, ok002 } from '../../test/fake-bff';
import { subscribe } from '../../test/taro';
import { session } from '../../test/alarm-fixtures';

beforeEach(() => {
  saveSession(session());
  subscribe.asked.length = 0;
  subscribe.answer = 'accept';
});

test('我的 shows the pushes left, and a tap asks WeChat for one more and shows the new count', async () => {
  let remaining = 12; // more than the taps ask for on their own: only this explicit tap asks
  const server = fakeBff({
    'GET /api_3/wechat_subscriptions': () =>
      ok002([{ Template_Id: 'TPL_ALARM', Remaining_Times: remaining, WeChat_Bound: 1 }]),
    'POST /api_3/wechat_subscriptions': () =>
      ok002([{ Template_Id: 'TPL_ALARM', Remaining_Times: ++remaining, WeChat_Bound: 1 }]),
  });
  setTransport(server.transport);
  render(<PushQuotaCell />);
  await waitFor(() => expect(screen.getByTestId('push-quota').textContent).toBe('剩余 12 条'));
  fireEvent.click(screen.getByTestId('push-quota'));
  await waitFor(() => expect(screen.getByTestId('push-quota').textContent).toBe('剩余 13 条'));
  expect(subscribe.asked).toEqual([['TPL_ALARM']]);
});

test('without WeChat bound it says so and never opens the popup', async () => {
  setTransport(
    fakeBff({
      'GET /api_3/wechat_subscriptions': () =>
        ok002([{ Template_Id: 'TPL_ALARM', Remaining_Times: 0, WeChat_Bound: 0 }]),
    }).transport,
  );
  render(<PushQuotaCell />);
  await waitFor(() => expect(screen.getByTestId('push-quota').textContent).toBe('绑定微信后可接收'));
  fireEvent.click(screen.getByTestId('push-quota'));
  expect(subscribe.asked).toHaveLength(0);
});
