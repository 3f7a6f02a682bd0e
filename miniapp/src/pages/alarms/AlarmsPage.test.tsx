import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import AlarmsPage from './index';
import { setTransport } from '../../api/transport';
import { saveSession } from '../../api/session';
import { fakeBff, ok002, type Handler } from '../../../test/fake-bff';
import { navigations, subscribe, tabBadges } from '../../../test/taro';
import { alarmRecord, session } from '../../../test/alarm-fixtures';

const personalise = () =>
  ok002([{ Year_Start: '1', Month_Start: '1', Day_Start: '00:00', Time_Zone: 'Asia/Shanghai' }]);
const machines = () => ok002([{ id: 2, Meter_Superior: '轧钢机', Meter_Department: '一车间' }]);
const quota = (remaining: number) =>
  ok002([{ Template_Id: 'TPL_ALARM', Remaining_Times: remaining, WeChat_Bound: 1 }]);

function bff(alarms: Handler, extra: Record<string, Handler> = {}) {
  const server = fakeBff({
    'GET /api_3/personalise': personalise,
    'GET /api_3/metersuperiors': machines,
    'GET /api_3/alarm_message': alarms,
    'GET /api_3/alarm_unread': () =>
      ok002([{ Unread_Numbers: 1, Active_Numbers: 2, Active_Unack_Numbers: 1 }]),
    'GET /api_3/wechat_subscriptions': () => quota(0),
    ...extra,
  });
  setTransport(server.transport);
  return server;
}

const queryOf = (url: string) => Object.fromEntries(new URL(url).searchParams);

beforeEach(() => {
  saveSession(session());
  navigations.length = 0;
  subscribe.asked.length = 0;
  subscribe.answer = 'accept';
});

test('shows the loading state until the alarms arrive, then the list in the order the BFF gave', async () => {
  let release!: () => void;
  bff(
    () =>
      new Promise((resolve) => {
        release = () =>
          resolve(
            ok002([
              alarmRecord({ id: 5, Alarm_Level: 3, Alarm_Name: '进线过流', Alarm_State: 1 }),
              alarmRecord({ id: 4, Alarm_State: 4, Clear_Time: '2026-11-21 08:30:00', Unread: 0 }),
            ]),
          );
      }),
  );
  render(<AlarmsPage />);
  expect(await screen.findByTestId('state-loading')).toBeTruthy();
  await waitFor(() => expect(release).toBeDefined());
  await act(async () => release());
  const list = await screen.findByTestId('alarm-list');
  const cards = within(list).getAllByTestId(/^alarm-\d+$/);
  expect(cards.map((c) => c.dataset.testid)).toEqual(['alarm-5', 'alarm-4']);
  expect(within(cards[0]!).getByText('严重')).toBeTruthy();
  expect(within(cards[0]!).getByText('未确认')).toBeTruthy();
  expect(cards[0]!.style.borderLeftColor).toBe('#cf1322');
  expect(within(cards[1]!).getByText('已恢复')).toBeTruthy();
  expect(within(cards[1]!).getByText('11-21 08:30 恢复')).toBeTruthy();
  expect(screen.getByText('共 2 条')).toBeTruthy();
});

test('asks for active alarms first over the last 7 business days, and filters by level, type and machine', async () => {
  const server = bff(() => ok002([]));
  render(<AlarmsPage />);
  await screen.findByTestId('state-empty');
  expect(screen.getByText('所选范围内没有告警')).toBeTruthy();
  const first = queryOf(server.requests.find((r) => r.url.includes('alarm_message'))!.url);
  expect(first).toMatchObject({ Active_First: '1', Page_Counts: '1', Per_Page_Counts: '20' });
  expect(first.Time_Start).toMatch(/^\d{4}-\d{2}-\d{2} 00:00:00$/);
  expect(first.Time_End).toMatch(/ 23:59:59$/);
  expect(first).not.toHaveProperty('Alarm_Level');

  fireEvent.click(screen.getByText('严重'));
  fireEvent.click(screen.getByText('参数'));
  fireEvent.change(screen.getByTestId('machine-filter'), {
    target: { value: '1' },
  });
  await waitFor(() => {
    const last = queryOf(server.requests.filter((r) => r.url.includes('alarm_message')).at(-1)!.url);
    expect(last).toMatchObject({ Alarm_Level: '3', Alarm_Type: '2', Meter_Superior_id: '2' });
  });
  fireEvent.click(screen.getByText('今天'));
  await waitFor(() => {
    const last = queryOf(server.requests.filter((r) => r.url.includes('alarm_message')).at(-1)!.url);
    expect(last.Time_Start?.slice(0, 10)).toBe(last.Time_End?.slice(0, 10));
  });
});

test('a failed load shows the Chinese reason and retries on tap', async () => {
  let calls = 0;
  bff(() =>
    ++calls === 1
      ? { status: 500, body: { Err_No: '4501', Err_Msg: '服务器内部错误' } }
      : ok002([alarmRecord()]),
  );
  render(<AlarmsPage />);
  const error = await screen.findByTestId('state-error');
  expect(error.textContent).toContain('服务器内部错误');
  fireEvent.click(within(error).getByText('重试'));
  await screen.findByTestId('alarm-1');
});

test('opening an alarm asks for one more push, reports the acceptance, then opens the detail', async () => {
  const server = bff(() => ok002([alarmRecord({ id: 9 })]), {
    'POST /api_3/wechat_subscriptions': () => quota(1),
  });
  const { refreshAlarmBadge } = await import('../../hooks/alarmBadge');
  const { loadPushQuota } = await import('../../hooks/pushQuota');
  render(<AlarmsPage />);
  await act(async () => {
    await loadPushQuota();
    await refreshAlarmBadge();
  });
  expect(tabBadges.get(1)).toBe('1');
  fireEvent.click(await screen.findByTestId('alarm-9'));
  await waitFor(() => expect(navigations.at(-1)?.url).toBe('/pkg-alarms/detail/index?id=9'));
  expect(subscribe.asked).toEqual([['TPL_ALARM']]);
  const report = server.requests.find((r) => r.method === 'POST');
  expect(report?.body).toEqual({ Template_Id: 'TPL_ALARM', Accepted: 1 });
});

test('a refused popup reports nothing and still opens the alarm', async () => {
  subscribe.answer = 'reject';
  const server = bff(() => ok002([alarmRecord({ id: 3 })]));
  const { loadPushQuota } = await import('../../hooks/pushQuota');
  render(<AlarmsPage />);
  await act(async () => void (await loadPushQuota()));
  fireEvent.click(await screen.findByTestId('alarm-3'));
  await waitFor(() => expect(navigations.at(-1)?.url).toBe('/pkg-alarms/detail/index?id=3'));
  expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
});
