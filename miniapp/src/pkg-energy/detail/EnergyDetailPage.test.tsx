import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import EnergyDetailPage from './index';
import { setTransport, type HttpRequest } from '../../api/transport';
import { saveSession } from '../../api/session';
import { router } from '../../../test/taro';
import { fakeBff, ok002, type Handler } from '../../../test/fake-bff';
import { openReport } from '../../platform/files';

jest.mock('../../platform/files', () => ({ openReport: jest.fn(async () => 'opened') }));

const row = (machine: string, type: string, name: string, amount: string, cost?: string) => ({
  Meter_Department: machine === '涂装线' ? '涂装车间' : '冲压车间',
  Meter_Superior: machine,
  Meter_Name: '',
  Ene_Type: type,
  Ene_Name: name,
  Total_Amount: amount,
  ...(cost ? { Total_Cost: cost } : {}),
});
const q = (req: HttpRequest) => Object.fromEntries(new URL(req.url).searchParams);

const personalise = () =>
  ok002([
    {
      Year_Start: '1',
      Year_End: '1',
      Month_Start: '-26',
      Month_End: '-26',
      Day_Start: '07:30:00',
      Day_End: '07:30:00',
      Time_Zone: 'Asia/Shanghai',
    },
  ]);

function site(all: Handler, extra: Record<string, Handler> = {}) {
  return fakeBff({
    ...extra,
    'GET /api_3/personalise': personalise,
    'GET /api_3/allenergy': all,
    'GET /api_3/detailenergy': (req) => {
      const p = q(req);
      // Month buckets are days: 31 of them from 26 October; last year's are all 50.
      const thisYear = p.Time_Start!.startsWith('2026');
      return ok002(
        Array.from({ length: 31 }, (_, i) => {
          const d = new Date(Date.UTC(thisYear ? 2026 : 2025, 9, 26 + i));
          return {
            ...row('', '0', '电', thisYear ? '100.00' : '50.00'),
            Time: `${d.toISOString().slice(0, 10)} 07:30:00`,
          };
        }),
      );
    },
  });
}

beforeEach(() => {
  router.params = { by: 'machine' };
  saveSession({
    Usr_Name: 'm',
    Usr_ID: '1',
    Usr_Token: 't',
    Usr_Role: 'admin',
    Token_Expires: '2030-01-01T00:00:00Z',
  });
  jest.useFakeTimers({
    now: new Date('2026-11-21T01:00:00Z'),
    doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'],
  });
});
afterEach(() => jest.useRealTimers());

const current = (req: HttpRequest) => q(req).Time_Start!.startsWith('2026');

test("the period follows the site's boundaries; machines sorted by amount with unit, cost and year-on-year", async () => {
  const bff = site((req) =>
    ok002(
      current(req)
        ? [
            row('冲压线1', '0', '电', '120.50', '96.40'),
            row('冲压线1', '7', '空气', '30.00'),
            row('涂装线', '0', '电', '1280.00', '1024.00'),
          ]
        : [row('冲压线1', '0', '电', '100.00'), row('涂装线', '0', '电', '0')],
    ),
  );
  setTransport(bff.transport);
  render(<EnergyDetailPage />);
  // 2026-11-21 09:00 in Shanghai: the business month began on 26 October at 07:30.
  await screen.findByText('统计区间：2026-10-26 07:30:00 至 2026-11-26 07:29:59');
  await screen.findAllByTestId('energy-group');
  expect(screen.getAllByTestId('energy-group').map((g) => g.textContent)).toEqual([
    '涂装线占 91.4% · 去年同期无数据1,280.00 kWh1,024.00 元',
    '冲压线1占 8.6% · 同比 +20.5%120.50 kWh96.40 元',
  ]);
  expect(screen.getByTestId('detail-total').textContent).toBe('1,400.50 kWh');
  const queries = bff.requests.filter((r) => r.url.includes('allenergy')).map(q);
  expect(queries).toContainEqual({
    Time_Type: '2',
    Time_Start: '2025-10-26 07:30:00',
    Time_End: '2025-11-26 07:29:59',
    Amount_Type: '3',
  });
  // Switching the energy type shows only that type.
  fireEvent.click(screen.getByText('空气'));
  await waitFor(() => expect(screen.getAllByTestId('energy-group')).toHaveLength(1));
  expect(screen.getByTestId('group-amount').textContent).toBe('30.00 m³');
  expect(screen.getByTestId('group-cost').textContent).toBe('未配置费率');
});

test('sorting by cost reorders the groups', async () => {
  setTransport(
    site(() =>
      ok002([row('冲压线1', '0', '电', '500.00', '900.00'), row('涂装线', '0', '电', '800.00', '400.00')]),
    ).transport,
  );
  render(<EnergyDetailPage />);
  await screen.findAllByTestId('energy-group');
  const names = () => screen.getAllByTestId('energy-group').map((g) => g.textContent!.slice(0, 4));
  expect(names()).toEqual(['涂装线占', '冲压线1']);
  fireEvent.click(screen.getByText('按费用'));
  expect(names()).toEqual(['冲压线1', '涂装线占']);
});

test('the date picker goes straight to a month years back (no taps of 上一期)', async () => {
  const bff = site(() => ok002([row('冲压线1', '0', '电', '10.00')]));
  setTransport(bff.transport);
  render(<EnergyDetailPage />);
  const picker = await screen.findByTestId('period-picker');
  fireEvent.change(picker, { target: { value: '2018-03' } });
  await screen.findByText('统计区间：2018-03-26 07:30:00 至 2018-04-26 07:29:59');
  const last = bff.requests.filter((r) => r.url.includes('allenergy')).map(q);
  expect(last).toContainEqual(
    expect.objectContaining({ Time_Start: '2018-03-26 07:30:00', Time_End: '2018-04-26 07:29:59' }),
  );
  expect(last).toContainEqual(expect.objectContaining({ Time_Start: '2017-03-26 07:30:00' }));
});

test('a period with nothing in it shows the empty state, not rows of 0.00', async () => {
  setTransport(
    site(() => ok002([row('冲压线1', '0', '电', '0.00'), row('涂装线', '0', '电', '0.00')])).transport,
  );
  render(<EnergyDetailPage />);
  expect((await screen.findByTestId('state-empty')).textContent).toBe('本期暂无能耗数据');
  expect(screen.queryAllByTestId('energy-group')).toHaveLength(0);
});

test('the chart draws this period by day beside last year, no days after today, with the unit', async () => {
  setTransport(site(() => ok002([row('冲压线1', '0', '电', '10.00')])).transport);
  render(<EnergyDetailPage />);
  const chart = await screen.findByTestId('trend-chart');
  expect(chart.getAttribute('data-unit')).toBe('kWh');
  const [now, lastYear] = within(chart).getAllByTestId('trend-series');
  const days = now!.textContent!.replace('本期: ', '').split(' | ');
  // 26 Oct – 21 Nov are past or today (27 days); 22–25 Nov are still to come.
  expect(days.filter((d) => d === '100.00 kWh')).toHaveLength(27);
  expect(days.slice(27)).toEqual(['∅', '∅', '∅', '∅']);
  expect(lastYear!.getAttribute('data-compare')).toBe('1');
  expect(lastYear!.textContent).toContain('去年同期: 50.00 kWh');
});

test('the period’s xlsx report is built (3.4) and opened with the session’s token; a failure says so', async () => {
  let fail = false;
  const bff = site(() => ok002([row('冲压线1', '0', '电', '10.00')]), {
    'POST /api_3/report': () =>
      fail
        ? { status: 500, body: { Err_No: '5000', Err_Msg: '报表生成失败' } }
        : ok002([
            {
              File_Name: 'Month_report2026_10.xlsx',
              File_Url: '/api_3/report_file?File_Name=Month_report2026_10.xlsx',
            },
          ]),
  });
  setTransport(bff.transport);
  render(<EnergyDetailPage />);
  await screen.findAllByTestId('energy-group');
  fireEvent.click(screen.getByText('导出 Excel'));
  expect((await screen.findByText(/已打开/)).textContent).toBe(
    '已打开 Month_report2026_10.xlsx，可从右上角菜单转发',
  );
  expect(openReport).toHaveBeenCalledWith(
    '/api_3/report_file?File_Name=Month_report2026_10.xlsx',
    'Month_report2026_10.xlsx',
    't',
  );
  const post = bff.requests.find((r) => r.method === 'POST')!;
  expect(q(post)).toEqual({
    Time_Type: '2',
    Time_Start: '2026-10-26 07:30:00',
    Time_End: '2026-11-26 07:29:59',
    Amount_Type: '3',
  });
  fail = true;
  fireEvent.click(screen.getByText('导出 Excel'));
  await waitFor(() => expect(screen.getByTestId('report-status').className).toBe('error-text'));
});
