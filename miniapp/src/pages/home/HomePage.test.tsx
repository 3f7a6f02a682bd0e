import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import HomePage from './index';
import { setTransport, type HttpRequest } from '../../api/transport';
import { saveSession } from '../../api/session';
import { fakeBff, ok002, type Handler } from '../../../test/fake-bff';
import { navigations } from '../../../test/taro';
import { demoImportPoll } from './demo-import';

/** Site calendar: days from 00:00, months from the 1st, China time. */
const personalise = ok002([
  {
    Year_Start: '1',
    Year_End: '1',
    Month_Start: '1',
    Month_End: '1',
    Day_Start: '00:00:00',
    Day_End: '00:00:00',
    Time_Zone: 'Asia/Shanghai',
  },
]);

const pad = (n: number) => String(n).padStart(2, '0');
const q = (req: HttpRequest) => Object.fromEntries(new URL(req.url).searchParams);

/** 96 quarter-hour rows of one local day; `amount(i)` for bucket i (0 = 00:00). */
function quarterRows(
  date: string,
  type: string,
  name: string,
  amount: (i: number) => number,
  price?: number,
) {
  return Array.from({ length: 96 }, (_, i) => ({
    Meter_Department: '',
    Meter_Superior: '',
    Meter_Name: '',
    Ene_Type: type,
    Ene_Name: name,
    Time: `${date} ${pad(Math.floor(i / 4))}:${pad((i % 4) * 15)}:00`,
    Total_Amount: amount(i).toFixed(2),
    ...(price !== undefined ? { Total_Cost: (amount(i) * price).toFixed(2) } : {}),
  }));
}
const total = (type: string, name: string, amount: number, cost?: number) => ({
  Meter_Department: '',
  Meter_Superior: '',
  Meter_Name: '',
  Ene_Type: type,
  Ene_Name: name,
  Total_Amount: amount.toFixed(2),
  ...(cost !== undefined ? { Total_Cost: cost.toFixed(2) } : {}),
});

/**
 * The site at 15:58 on 21 November: today's readings run to 15:45 (the 16:00 reading has not come yet:
 * buckets up to 15:45 carry 10 kWh each); yesterday had 10 kWh in every quarter hour of the whole day.
 */
function site(overrides: Record<string, Handler> = {}) {
  return fakeBff({
    'GET /api_3/personalise': () => personalise,
    'GET /api_3/detailenergy': (req) => {
      const p = q(req);
      if (p.Time_Type === '3' && p.Time_Interval === '15') {
        const date = p.Time_Start!.slice(0, 10);
        if (date === '2026-11-21') return ok002(quarterRows(date, '0', '电', (i) => (i < 64 ? 10 : 0), 0.8));
        if (date === '2026-11-20') return ok002(quarterRows(date, '0', '电', () => 10, 0.8));
        if (date === '2026-10-21') return ok002(quarterRows(date, '0', '电', () => 5, 0.8));
        return ok002([]);
      }
      if (p.Time_Type === '2') {
        const month = p.Time_Start!.slice(0, 7);
        const days = month === '2026-11' ? 30 : 31;
        return ok002(
          Array.from({ length: days }, (_, i) => ({
            ...total('0', '电', month === '2026-11' ? (i < 20 ? 900 : i === 20 ? 640 : 0) : 800),
            Time: `${month}-${pad(i + 1)} 00:00:00`,
          })),
        );
      }
      return ok002([]);
    },
    'GET /api_3/allenergy': (req) => {
      const p = q(req);
      if (p.Amount_Type === '3')
        return ok002([
          { ...total('0', '电', 9000, 7200), Meter_Superior: '冲压线1', Meter_Department: '冲压车间' },
          { ...total('8', '天然气', 100, 350), Meter_Superior: '冲压线1', Meter_Department: '冲压车间' },
          { ...total('0', '电', 12000, 9600), Meter_Superior: '涂装线', Meter_Department: '涂装车间' },
        ]);
      if (p.Time_Start === '2026-11-01 00:00:00') return ok002([total('0', '电', 18640, 14912)]);
      // Last month's whole days before the 21st: 1–20 October.
      if (p.Time_Start === '2026-10-01 00:00:00' && p.Time_End === '2026-10-20 23:59:59')
        return ok002([total('0', '电', 16000, 12800)]);
      return ok002([]);
    },
    'GET /api_3/meters': () =>
      ok002([
        {
          id: 1,
          Meter_Name: '总进线',
          Meter_IsTotal: '1',
          Meter_IsVirtual: '0',
          Meter_Parameter: 'UA,IA,P,PF',
        },
      ]),
    'GET /api_3/contract_demand': () => ok002([{ Contract_Demand: '1500', Demand_Unit: 'kW' }]),
    'GET /api_3/measure': () =>
      ok002([
        { Time: '2026-11-21 09:15:00', Measure_Name: 'P', Measure_Value: '1530.5' },
        { Time: '2026-11-21 15:45:00', Measure_Name: 'P', Measure_Value: '1210.25' },
        { Time: '2026-11-21 15:45:00', Measure_Name: 'PF', Measure_Value: '0.87' },
      ]),
    ...overrides,
  });
}

beforeEach(() => {
  saveSession({
    Usr_Name: 'm',
    Usr_ID: '1',
    Usr_Token: 't',
    Usr_Role: 'admin',
    Token_Expires: '2030-01-01T00:00:00Z',
  });
  jest.useFakeTimers({
    now: new Date('2026-11-21T07:58:00Z'),
    doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'],
  });
});
afterEach(() => jest.useRealTimers());

test('today so far is compared with yesterday up to the same time, not with all of yesterday', async () => {
  setTransport(site().transport);
  render(<HomePage />);
  const row = await screen.findByTestId('today-figures-type-0');
  // 64 quarter hours (00:00–16:00) of 10 kWh each today; yesterday's same 64 — not its 96.
  expect(within(row).getByTestId('amount').textContent).toBe('640.00 kWh');
  expect(within(row).getByTestId('previous').textContent).toBe('昨日同期 640.00 kWh · 0.0%');
  expect(within(row).getByTestId('cost').textContent).toBe('512.00 元（昨日同期 512.00 元）');
  expect(screen.getByTestId('today-latest').textContent).toBe('最新读数 11-21 16:00');
  expect(screen.getByTestId('today-label').textContent).toContain('对比昨日同一时段（至 11-20 16:00）');
});

test('this month so far is compared with last month up to the same day and time', async () => {
  const bff = site();
  setTransport(bff.transport);
  render(<HomePage />);
  const row = await screen.findByTestId('month-figures-type-0');
  // October 1–20 whole (16,000 kWh) plus 21 October up to 16:00 (64 × 5 kWh = 320).
  expect(within(row).getByTestId('previous').textContent).toBe('上月同期 1.63 万 kWh · +14.2%');
  expect(within(row).getByTestId('amount').textContent).toBe('1.86 万 kWh');
  expect(screen.getByTestId('month-label').textContent).toBe(
    '2026-11-01 起至今，对比上月同期（至 10-21 16:00）',
  );
  const partial = bff.requests.map(q).find((p) => p.Time_Start === '2026-10-21 00:00:00');
  expect(partial).toMatchObject({ Time_Type: '3', Time_Interval: '15', Time_End: '2026-10-21 23:59:59' });
});

test('live power, today’s peak and the power factor of the total meter', async () => {
  setTransport(site().transport);
  render(<HomePage />);
  expect((await screen.findByTestId('live-power')).textContent).toBe('总有功功率（15:45）1,210.25 kW');
  expect(screen.getByTestId('live-peak').textContent).toBe(
    '今日最大需量（09:15）1,530.50 kW合同需量 1,500.00 kW，已用 102.0%，已超出',
  );
  expect(screen.getByTestId('live-pf').textContent).toContain('0.87');
  expect(screen.getByTestId('live-pf').textContent).toContain('低于 0.90');
});

test('top consumers are ranked by cost when every one has a rate', async () => {
  setTransport(site().transport);
  render(<HomePage />);
  await screen.findAllByTestId('top-row');
  expect(screen.getAllByTestId('top-row').map((r) => r.textContent)).toEqual([
    '1. 涂装线涂装车间9,600.00 元电 1.20 万 kWh',
    '2. 冲压线1冲压车间7,550.00 元电 9,000.00 kWh',
  ]);
});

test('one failed call fails only its own card, and its retry brings it back', async () => {
  let fail = true;
  const bff = site({
    'GET /api_3/meters': () =>
      fail
        ? { status: 500, body: { Err_No: '5000', Err_Msg: '数据库暂时不可用' } }
        : ok002([
            { id: 1, Meter_Name: '总进线', Meter_IsTotal: '1', Meter_IsVirtual: '0', Meter_Parameter: 'P' },
          ]),
  });
  setTransport(bff.transport);
  render(<HomePage />);
  const error = await screen.findByTestId('live-error');
  // The others are all there.
  expect(await screen.findByTestId('today-figures-type-0')).toBeTruthy();
  expect(await screen.findByTestId('month-figures-type-0')).toBeTruthy();
  expect((await screen.findAllByTestId('top-row')).length).toBe(2);
  fail = false;
  fireEvent.click(within(error).getByText('重试'));
  await waitFor(() => expect(screen.getByTestId('live-power').textContent).toContain('1,210.25 kW'));
  expect(screen.queryByTestId('live-error')).toBeNull();
});

test('the trend shows one energy type with its unit, no future days, and last month quieter', async () => {
  setTransport(site().transport);
  render(<HomePage />);
  const chart = await screen.findByTestId('trend-chart');
  expect(chart.getAttribute('data-unit')).toBe('kWh');
  const [current, previous] = within(chart).getAllByTestId('trend-series');
  const days = current!.textContent!.replace('本月: ', '').split(' | ');
  expect(days).toHaveLength(30);
  // 21 days so far (the 21st included); the 9 days to come are not drawn, not drawn as 0.
  expect(days.slice(0, 21).every((d) => d.endsWith(' kWh'))).toBe(true);
  expect(days.slice(21)).toEqual(new Array(9).fill('∅'));
  expect(days[0]).toBe('900.00 kWh');
  expect(previous!.getAttribute('data-compare')).toBe('1');
  expect(previous!.textContent).toContain('上月同日: 800.00 kWh');
});

test('a day with no reading yet says so and compares against yesterday up to now', async () => {
  setTransport(
    site({
      'GET /api_3/detailenergy': (req) => {
        const p = q(req);
        if (p.Time_Type === '3' && p.Time_Start!.startsWith('2026-11-21'))
          return ok002(quarterRows('2026-11-21', '0', '电', () => 0));
        if (p.Time_Type === '3') return ok002(quarterRows(p.Time_Start!.slice(0, 10), '0', '电', () => 10));
        return ok002([]);
      },
    }).transport,
  );
  render(<HomePage />);
  expect((await screen.findByTestId('today-latest')).textContent).toBe('今日尚无读数');
  // 15:58 → yesterday's buckets up to 15:45 (64 of them).
  expect(within(screen.getByTestId('today-figures-type-0')).getByTestId('previous').textContent).toBe(
    '昨日同期 640.00 kWh · -100.0%',
  );
});

const importStatus = (State: string, Progress: number) =>
  ok002([
    {
      State,
      Progress,
      Imported: Progress * 1000,
      Total: 100_000,
      Start_Time: '2026-11-21 15:00:00',
      Update_Time: '2026-11-21 15:57:00',
      Finish_Time: State === 'done' ? '2026-11-21 15:58:00' : '',
      Message: '',
    },
  ]);

test('while the demo data imports, home says so with the percent, and refreshes the figures when done', async () => {
  demoImportPoll.ms = 20;
  let state = { State: 'importing', Progress: 42 };
  const bff = site({ 'GET /api_3/demo_import_status': () => importStatus(state.State, state.Progress) });
  setTransport(bff.transport);
  try {
    render(<HomePage />);
    expect((await screen.findByTestId('demo-import')).textContent).toBe(
      '演示数据导入中 42%，本月等数字尚不完整',
    );
    await screen.findByTestId('month-figures-type-0');
    expect(screen.getByTestId('month-incomplete').textContent).toBe('尚不完整');
    // Polled while importing.
    state = { State: 'importing', Progress: 87 };
    await waitFor(() => expect(screen.getByTestId('demo-import').textContent).toContain('87%'));
    const monthCalls = () =>
      bff.requests.filter(
        (r) => r.url.includes('/api_3/allenergy') && q(r).Time_Start === '2026-11-01 00:00:00',
      ).length;
    const before = monthCalls();
    state = { State: 'done', Progress: 100 };
    await waitFor(() => expect(screen.queryByTestId('demo-import')).toBeNull());
    expect(screen.queryByTestId('month-incomplete')).toBeNull();
    // The figures are asked again once it is done, and the polling stops.
    await waitFor(() => expect(monthCalls()).toBeGreaterThan(before));
    const polls = bff.requests.filter((r) => r.url.includes('demo_import_status')).length;
    await new Promise((r) => setTimeout(r, 100));
    expect(bff.requests.filter((r) => r.url.includes('demo_import_status')).length).toBe(polls);
  } finally {
    demoImportPoll.ms = 10_000;
  }
});

test('a finished demo import shows nothing; a failed one says the data is incomplete', async () => {
  setTransport(site({ 'GET /api_3/demo_import_status': () => importStatus('done', 100) }).transport);
  const { unmount } = render(<HomePage />);
  await screen.findByTestId('month-figures-type-0');
  await screen.findByTestId('today-figures-type-0');
  expect(screen.queryByTestId('demo-import')).toBeNull();
  expect(screen.queryByTestId('month-incomplete')).toBeNull();
  unmount();

  setTransport(site({ 'GET /api_3/demo_import_status': () => importStatus('failed', 30) }).transport);
  render(<HomePage />);
  expect((await screen.findByTestId('demo-import')).textContent).toBe('演示数据导入未完成，能耗数字不完整');
});

test('a failing import-status call leaves home working and shows no notice', async () => {
  const bff = site({
    'GET /api_3/demo_import_status': () => ({
      status: 500,
      body: { Err_No: '5000', Err_Msg: '数据库暂时不可用' },
    }),
  });
  setTransport(bff.transport);
  render(<HomePage />);
  expect(within(await screen.findByTestId('today-figures-type-0')).getByTestId('amount').textContent).toBe(
    '640.00 kWh',
  );
  expect(await screen.findByTestId('month-figures-type-0')).toBeTruthy();
  expect((await screen.findByTestId('live-power')).textContent).toContain('1,210.25 kW');
  expect(bff.requests.some((r) => r.url.includes('demo_import_status'))).toBe(true);
  expect(screen.queryByTestId('demo-import')).toBeNull();
  expect(screen.queryByText(/数据库暂时不可用/)).toBeNull();
});

/** The site with the caller's alarm counts (unread, active, active and unacknowledged). */
const unreadSite = (unread: number, active: number, unack: number) =>
  site({
    'GET /api_3/alarm_unread': () =>
      ok002([{ Unread_Numbers: unread, Active_Numbers: active, Active_Unack_Numbers: unack }]),
  }).transport;

test('the unacknowledged active alarm count is shown and opens the 告警 tab', async () => {
  setTransport(unreadSite(5, 4, 3));
  render(<HomePage />);
  const line = await screen.findByTestId('alarms-unack');
  expect(line.textContent).toBe('未确认告警 3 条查看告警 ›');
  expect(within(line).getByText('未确认告警 3 条').className).toBe('warn-text');
  navigations.length = 0;
  fireEvent.click(line);
  expect(navigations).toEqual([{ kind: 'switchTab', url: '/pages/alarms/index' }]);
});

test('no unacknowledged alarms reads as fine; a failing count fails only its card', async () => {
  setTransport(unreadSite(0, 1, 0));
  const { unmount } = render(<HomePage />);
  expect(within(await screen.findByTestId('alarms-unack')).getByText('未确认告警 0 条').className).toBe(
    'ok-text',
  );
  unmount();

  setTransport(
    site({
      'GET /api_3/alarm_unread': () => ({
        status: 500,
        body: { Err_No: '5000', Err_Msg: '数据库暂时不可用' },
      }),
    }).transport,
  );
  render(<HomePage />);
  expect(await screen.findByTestId('alarms-error')).toBeTruthy();
  expect(await screen.findByTestId('today-figures-type-0')).toBeTruthy();
});
