import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import AlarmDetailPage from './index';
import { setTransport } from '../../api/transport';
import { saveSession } from '../../api/session';
import { fakeBff, ok002, type Handler } from '../../../test/fake-bff';
import { navigations, router, subscribe } from '../../../test/taro';
import { alarmDetail, alarmRecord, session } from '../../../test/alarm-fixtures';
import { loadPushQuota } from '../../hooks/pushQuota';

const measure = () =>
  ok002([
    { Time: '2026-11-21 07:50:00', Measure_Name: 'PF', Measure_Value: '0.93' },
    { Time: '2026-11-21 07:55:00', Measure_Name: 'PF', Measure_Value: '0.82' },
  ]);

function bff(detail: Handler, extra: Record<string, Handler> = {}) {
  const server = fakeBff({
    'GET /api_3/personalise': () => ok002([{ Year_Start: '1', Month_Start: '1', Day_Start: '00:00' }]),
    'GET /api_3/alarm_message_detail': detail,
    'GET /api_3/measure': measure,
    'POST /api_3/alarm_read': () => ok002([]),
    'GET /api_3/alarm_unread': () =>
      ok002([{ Unread_Numbers: 0, Active_Numbers: 1, Active_Unack_Numbers: 1 }]),
    'GET /api_3/wechat_subscriptions': () =>
      ok002([{ Template_Id: 'TPL_ALARM', Remaining_Times: 2, WeChat_Bound: 1 }]),
    'POST /api_3/wechat_subscriptions': () =>
      ok002([{ Template_Id: 'TPL_ALARM', Remaining_Times: 3, WeChat_Bound: 1 }]),
    ...extra,
  });
  setTransport(server.transport);
  return server;
}

beforeEach(() => {
  saveSession(session('operator'));
  router.params = { id: '1' };
  navigations.length = 0;
  subscribe.asked.length = 0;
  subscribe.answer = 'accept';
});

test('loading, then the value with its unit, the limits, the reading time, the history and the trend', async () => {
  const server = bff(() => ok002([alarmDetail()]));
  render(<AlarmDetailPage />);
  expect(screen.getByTestId('state-loading')).toBeTruthy();
  const summary = await screen.findByTestId('alarm-summary');
  expect(within(summary).getByTestId('alarm-value').textContent).toBe('0.82');
  expect(within(summary).getByText('低于下限')).toBeTruthy();
  expect(within(summary).getByTestId('alarm-limits').textContent).toBe('0.90 – 1.00');
  expect(within(summary).getByTestId('alarm-reading-time').textContent).toBe('2026-11-21 07:59:30');
  expect(within(summary).getByText('功率因数（PF）')).toBeTruthy();
  expect(within(screen.getByTestId('alarm-history')).getByText('触发')).toBeTruthy();
  expect(within(screen.getByTestId('alarm-history')).getByText('系统 · 当时值 0.82')).toBeTruthy();
  await waitFor(() => expect(screen.getByTestId('trend-chart').getAttribute('data-labels')).toBe('2'));
  // The limits are two labelled lines of their own, not two more value series.
  expect(screen.getAllByTestId('trend-series').map((s) => s.getAttribute('data-limit'))).toEqual([
    null,
    '下限 0.90',
    '上限 1.00',
  ]);
  const q = Object.fromEntries(
    new URL(server.requests.find((r) => r.url.includes('measure'))!.url).searchParams,
  );
  expect(q).toMatchObject({
    Time_Type: '3',
    Meter_Name: '钢厂进线表',
    Measure_Name: 'PF',
    Time_Interval: '5',
    Time_Start: '2026-11-21 05:59:30',
  });
  expect(server.requests.some((r) => r.method === 'POST' && r.url.endsWith('/api_3/alarm_read'))).toBe(true);
});

test('a missing alarm shows the BFF’s Chinese reason, not a code', async () => {
  bff(() => ({ status: 404, body: { Err_No: '4002', Err_Msg: '告警不存在' } }));
  render(<AlarmDetailPage />);
  expect((await screen.findByTestId('state-error')).textContent).toContain('告警不存在');
  expect(screen.queryByTestId('alarm-actions')).toBeNull();
});

test('acknowledging asks for a push first, sends the comment, and shows the new state with who did it', async () => {
  let acked = false;
  const server = bff(
    () =>
      ok002([
        acked
          ? alarmDetail({
              Alarm_State: 2,
              Ack_Time: '2026-11-21 08:10:00',
              Ack_Usr_Name: 'manager',
              Ack_Comment: '已通知电工',
            })
          : alarmDetail(),
      ]),
    {
      'POST /api_3/alarm_acknowledge': () => {
        acked = true;
        return ok002([alarmRecord({ Alarm_State: 2 })]);
      },
    },
  );
  render(<AlarmDetailPage />);
  await act(async () => void (await loadPushQuota()));
  fireEvent.click(await screen.findByText('确认告警'));
  fireEvent.change(within(screen.getByTestId('ack-form')).getByRole('textbox'), {
    target: { value: '已通知电工' },
  });
  fireEvent.click(screen.getByText('提交确认'));
  expect((await screen.findByTestId('action-done')).textContent).toBe('已确认');
  expect((await screen.findByTestId('alarm-acked')).textContent).toBe(
    'manager 于 2026-11-21 08:10:00 确认：已通知电工',
  );
  expect(subscribe.asked).toEqual([['TPL_ALARM']]);
  const posts = server.requests
    .filter((r) => r.method === 'POST')
    .map((r) => [new URL(r.url).pathname, r.body]);
  expect(posts).toContainEqual(['/api_3/wechat_subscriptions', { Template_Id: 'TPL_ALARM', Accepted: 1 }]);
  expect(posts).toContainEqual(['/api_3/alarm_acknowledge', { id: 1, Ack_Comment: '已通知电工' }]);
  expect(screen.queryByText('确认告警')).toBeNull();
});

test('shelving needs a reason (checked before sending) and sends the chosen expiry', async () => {
  const server = bff(() => ok002([alarmDetail()]), {
    'POST /api_3/alarm_shelve': () => ok002([alarmRecord({ Shelved: 1 })]),
  });
  render(<AlarmDetailPage />);
  fireEvent.click(await screen.findByText('搁置'));
  fireEvent.click(screen.getByText('确认搁置'));
  expect(screen.getByText('请填写搁置原因')).toBeTruthy();
  expect(server.requests.some((r) => r.url.includes('alarm_shelve'))).toBe(false);
  fireEvent.change(within(screen.getByTestId('shelve-form')).getByRole('textbox'), {
    target: { value: '电容柜检修' },
  });
  fireEvent.click(screen.getByText('1 天'));
  fireEvent.click(screen.getByText('确认搁置'));
  await screen.findByTestId('action-done');
  const post = server.requests.find((r) => r.url.includes('alarm_shelve'));
  expect(post?.body).toEqual({ id: 1, Shelve_Reason: '电容柜检修', Shelve_Minutes: 1440 });
});

test('a refused acknowledgement shows the reason and claims nothing', async () => {
  bff(() => ok002([alarmDetail()]), {
    'POST /api_3/alarm_acknowledge': () => ({
      status: 403,
      body: { Err_No: '4105', Err_Msg: '没有权限：只读用户不能确认告警' },
    }),
  });
  render(<AlarmDetailPage />);
  fireEvent.click(await screen.findByText('确认告警'));
  fireEvent.click(screen.getByText('提交确认'));
  await screen.findByText('没有权限：只读用户不能确认告警');
  expect(screen.queryByTestId('action-done')).toBeNull();
});

test('a BMS alarm has no trend but a 去复位 that opens the device page’s fault reset', async () => {
  const server = bff(() =>
    ok002([
      alarmDetail({
        Alarm_Type: 3,
        Alarm_Name: 'BMS 故障',
        Meter_Name: '',
        Meter_Superior: '',
        Meter_Parameter: '',
        Device_Uid: 'demo-ems-2',
        Alarm_Value: 2,
        LowerLimit: 0,
        UpperLimit: 0,
      }),
    ]),
  );
  render(<AlarmDetailPage />);
  expect((await screen.findByTestId('alarm-value')).textContent).toBe('2 个');
  expect(screen.queryByTestId('alarm-trend')).toBeNull();
  fireEvent.click(within(screen.getByTestId('alarm-reset')).getByText('去复位'));
  expect(navigations.at(-1)).toEqual({
    kind: 'navigateTo',
    url: '/pkg-device/detail/index?uid=demo-ems-2&action=reset',
  });
  expect(server.requests.some((r) => r.url.includes('measure'))).toBe(false);
});
