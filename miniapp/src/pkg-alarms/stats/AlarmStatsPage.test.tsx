import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import AlarmStatsPage from './index';
import { setTransport } from '../../api/transport';
import { saveSession } from '../../api/session';
import { fakeBff, ok002, type Handler } from '../../../test/fake-bff';
import { session } from '../../../test/alarm-fixtures';

function bff(counts: Handler) {
  const server = fakeBff({
    'GET /api_3/personalise': () => ok002([{ Year_Start: '1', Month_Start: '26', Day_Start: '07:30' }]),
    'GET /api_3/alarm_statistic_nums': counts,
  });
  setTransport(server.transport);
  return server;
}
const queries = (server: ReturnType<typeof bff>) =>
  server.requests
    .filter((r) => r.url.includes('alarm_statistic_nums'))
    .map((r) => Object.fromEntries(new URL(r.url).searchParams));

beforeEach(() => saveSession(session()));

test('counts by level per day of the business month, with a total per level and overall', async () => {
  const server = bff(() =>
    ok002([
      { Time: '2026-11-26 07:30:00', Total_Amount: 2, Alarm_Level: 1 },
      { Time: '2026-11-26 07:30:00', Total_Amount: 1, Alarm_Level: 3 },
      { Time: '2026-11-27 07:30:00', Total_Amount: 4, Alarm_Level: 1 },
    ]),
  );
  render(<AlarmStatsPage />);
  expect(screen.getByTestId('state-loading')).toBeTruthy();
  const totals = await screen.findByTestId('stats-totals');
  expect(totals.textContent).toBe('一般6 条严重1 条合计7 条');
  expect(screen.getByTestId('trend-chart').getAttribute('data-labels')).toBe('2');
  const q = queries(server)[0]!;
  expect(q).toMatchObject({ Time_Type: '2', Statistic_Method: '1', Return_Format: '2' });
  // The month follows the site's boundaries: it starts on the 26th at 07:30.
  expect(q.Time_Start).toMatch(/-26 07:30:00$/);
});

test('switching to a day by type asks again; no alarms shows the empty state', async () => {
  const server = bff(() => ok002([{ Time: '2026-11-27 07:30:00', Total_Amount: 0, Alarm_Type: 2 }]));
  render(<AlarmStatsPage />);
  expect((await screen.findByTestId('state-empty')).textContent).toBe('本期没有告警');
  fireEvent.click(screen.getByText('日'));
  fireEvent.click(screen.getByText('按类型'));
  await waitFor(() =>
    expect(queries(server).at(-1)).toMatchObject({ Time_Type: '3', Statistic_Method: '2' }),
  );
});

test('a failed count shows the Chinese reason with a retry', async () => {
  let calls = 0;
  bff(() =>
    ++calls === 1
      ? { status: 400, body: { Err_No: '4103', Err_Msg: 'Time_Start 时间格式不正确' } }
      : ok002([{ Time: '2026-11-26 07:30:00', Total_Amount: 3 }]),
  );
  render(<AlarmStatsPage />);
  const error = await screen.findByTestId('state-error');
  expect(error.textContent).toContain('时间格式不正确');
  fireEvent.click(within(error).getByText('重试'));
  expect((await screen.findByTestId('stats-totals')).textContent).toContain('合计3 条');
});
