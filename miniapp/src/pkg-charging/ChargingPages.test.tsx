import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import ChargingPage, { livePolicy } from './index/index';
import ChargingRecordsPage from './records/index';
import { setTransport } from '../api/transport';
import { saveSession } from '../api/session';
import { countByStatus, formatElapsed, secondsSince } from '../domain/charging';
import { fakeBff, ok002, type Handler } from '../../test/fake-bff';
import { lifecycle, navigations } from '../../test/taro';
import { session } from '../../test/alarm-fixtures';
import { cell, record, station } from '../../test/charging-fixtures';

const personalise = () =>
  ok002([{ Year_Start: '1', Month_Start: '1', Day_Start: '00:00:00', Time_Zone: 'Asia/Shanghai' }]);
const q = (url: string) => Object.fromEntries(new URL(url).searchParams);

function bff(routes: Record<string, Handler>) {
  const server = fakeBff({
    'GET /api_3/personalise': personalise,
    'GET /api_3/charging_utilisation': () => ok002([]),
    ...routes,
  });
  setTransport(server.transport);
  return server;
}
const stationCalls = (s: ReturnType<typeof bff>) =>
  s.requests.filter((r) => r.url.includes('/api_3/charging_stations')).length;

beforeEach(() => {
  saveSession(session());
  livePolicy.intervalMs = 10_000;
});

test('stations with counts by status, each connector live with units, totals and the legend', async () => {
  const server = bff({
    'GET /api_3/charging_utilisation': () =>
      ok002([
        {
          Date: '2026-11-30',
          Cells: 4,
          Charging_Seconds: 43_200,
          Utilisation: 0.125,
          Sessions: 5,
          Energy: 60.5,
          Revenue: 90,
        },
        {
          Date: '2026-12-01',
          Cells: 4,
          Charging_Seconds: 0,
          Utilisation: 0,
          Sessions: 0,
          Energy: 0,
          Revenue: 0,
        },
      ]),
    'GET /api_3/charging_stations': () =>
      ok002([
        station([
          cell({
            Cell_Id: 'C01',
            Status: 3,
            Power: 58.4,
            Soc: 63,
            Charging_Since: '2026-12-01 09:30:00',
            Session_Energy: 12.3,
            Today_Energy: 40,
          }),
          cell({ Cell_Id: 'C02', Status: 1, Today_Energy: 5.5 }),
          cell({ Cell_Id: 'C03', Status: 255, Power: null }),
        ]),
      ]),
  });
  render(<ChargingPage />);
  expect(screen.getByTestId('state-loading')).toBeTruthy();
  const connectors = await screen.findAllByTestId('charging-connector');
  expect(connectors.map((c) => c.getAttribute('data-status'))).toEqual(['3', '1', '255']);
  const charging = connectors[0]!;
  // Each status has its name and mark beside the colour.
  expect(within(charging).getByTestId('connector-status').textContent).toBe('⚡充电中');
  expect(within(charging).getByTestId('connector-power').textContent).toBe('功率 58.40 kW');
  expect(within(charging).getByTestId('connector-soc').textContent).toBe('SOC 63%');
  expect(within(charging).getByTestId('connector-elapsed').textContent).toMatch(
    /^已充 (\d+ 小时 \d\d 分|\d+ 分 \d\d 秒)$/,
  );
  expect(within(charging).getByTestId('connector-session').textContent).toBe('本次 12.30 kWh');
  expect(within(connectors[1]!).queryByTestId('connector-elapsed')).toBeNull();
  expect(within(connectors[1]!).getByTestId('connector-today').textContent).toBe('今日 5.50 kWh');
  expect(within(connectors[2]!).getByTestId('connector-status').textContent).toBe('✕故障');
  expect(within(connectors[2]!).getByTestId('connector-power').textContent).toBe('功率 —');
  const counts = screen.getByTestId('station-counts');
  expect(counts.textContent).toContain('共 3 个充电枪');
  expect(within(counts).getByTestId('count-3').textContent).toBe('⚡充电中 1 个');
  expect(within(counts).queryByTestId('count-4')).toBeNull();
  expect(screen.getByTestId('totals-today-kwh').textContent).toBe('45.50 kWh');
  expect(screen.getByTestId('totals-today-sessions').textContent).toBe('3 单');
  expect(screen.getByTestId('totals-today-revenue').textContent).toBe('68.25 元');
  expect(screen.getByTestId('totals-month-kwh').textContent).toBe('1.23 万 kWh');
  expect(screen.getByTestId('totals-month-revenue').textContent).toBe('1.85 万元');
  const legend = screen.getByTestId('charging-legend').textContent!;
  for (const name of ['离网', '空闲', '占用未充电', '充电中', '预约锁定', '故障'])
    expect(legend).toContain(name);
  const days = await screen.findAllByTestId('util-day');
  expect(days.map((d) => d.textContent)).toEqual([
    '11-30利用率 12.5%5 单 · 60.50 kWh',
    '12-01利用率 0.0%0 单 · 0.00 kWh',
  ]);
  const asked = q(server.requests.find((r) => r.url.includes('charging_utilisation'))!.url);
  expect(asked.Start_Date).toMatch(/^\d{4}-\d\d-\d\d$/);
  expect(Date.parse(asked.End_Date!) - Date.parse(asked.Start_Date!)).toBe(6 * 86_400_000);
  fireEvent.click(screen.getByText('充电记录'));
  expect(navigations.at(-1)?.url).toBe('/pkg-charging/records/index');
});

test('refreshes while shown: a connector goes from 空闲 to 充电中; hidden, it stops asking', async () => {
  livePolicy.intervalMs = 20;
  let status = 1;
  const server = bff({
    'GET /api_3/charging_stations': () =>
      ok002([
        station([cell({ Status: status, Charging_Since: status === 3 ? '2026-12-01 09:30:00' : null })]),
      ]),
  });
  render(<ChargingPage />);
  expect((await screen.findByTestId('connector-status')).textContent).toBe('○空闲');
  status = 3;
  await waitFor(() => expect(screen.getByTestId('connector-status').textContent).toBe('⚡充电中'));
  act(() => lifecycle.hide.forEach((f) => f()));
  const asked = stationCalls(server);
  await new Promise((r) => setTimeout(r, 120));
  expect(stationCalls(server)).toBe(asked);
  status = 255;
  act(() => lifecycle.show.forEach((f) => f()));
  await waitFor(() => expect(screen.getByTestId('connector-status').textContent).toBe('✕故障'));
  expect(stationCalls(server)).toBeGreaterThan(asked);
});

test('a failed refresh keeps the last data and says so; the next one clears it', async () => {
  livePolicy.intervalMs = 20;
  let fail = false;
  bff({
    'GET /api_3/charging_stations': () =>
      fail
        ? { status: 500, body: { Err_No: '5000', Err_Msg: '服务暂时不可用' } }
        : ok002([station([cell()])]),
  });
  render(<ChargingPage />);
  await screen.findByTestId('charging-updated');
  fail = true;
  const stale = await screen.findByTestId('charging-stale');
  expect(stale.textContent).toContain('服务暂时不可用');
  expect(screen.getByTestId('charging-connector')).toBeTruthy();
  fail = false;
  await screen.findByTestId('charging-updated', undefined, { timeout: 2000 });
});

test('pages the stations: 20 first, 加载更多 asks for the next ones, and the refresh keeps every shown station', async () => {
  livePolicy.intervalMs = 20;
  const all = Array.from({ length: 23 }, (_, i) =>
    station([cell({ Cell_Id: `C${i + 1}` })], { Station_Id: `ST${i + 1}`, Station_Name: `${i + 1} 号站` }),
  );
  const server = bff({
    'GET /api_3/charging_stations': (req) => {
      const { Page_Counts, Per_Page_Counts } = q(req.url);
      const size = Number(Per_Page_Counts);
      const from = (Number(Page_Counts) - 1) * size;
      const page = ok002(all.slice(from, from + size));
      return { ...page, body: { ...(page.body as object), Total_Numbers: all.length } };
    },
  });
  render(<ChargingPage />);
  await waitFor(() => expect(screen.getAllByTestId('charging-station')).toHaveLength(20));
  expect(q(server.requests.find((r) => r.url.includes('charging_stations'))!.url)).toMatchObject({
    Page_Counts: '1',
    Per_Page_Counts: '20',
  });
  // Totals are of the stations shown, and say so.
  expect(screen.getByTestId('totals-partial').textContent).toBe('合计为已显示的 20 / 23 个充电站');
  fireEvent.click(screen.getByText('加载更多充电站（已显示 20 / 23 个）'));
  await waitFor(() => expect(screen.getAllByTestId('charging-station')).toHaveLength(23));
  expect(screen.queryByTestId('totals-partial')).toBeNull();
  expect(screen.queryByText(/加载更多充电站/)).toBeNull();
  const asked = stationCalls(server);
  await waitFor(() => expect(stationCalls(server)).toBeGreaterThan(asked));
  expect(
    q(server.requests.filter((r) => r.url.includes('charging_stations')).at(-1)!.url).Per_Page_Counts,
  ).toBe('40');
  expect(screen.getAllByTestId('charging-station')).toHaveLength(23);
});

test('no stations yet says so; a failed first load shows the reason with a retry', async () => {
  let calls = 0;
  bff({
    'GET /api_3/charging_stations': () =>
      ++calls === 1 ? { status: 500, body: { Err_No: '5000', Err_Msg: '服务暂时不可用' } } : ok002([]),
  });
  render(<ChargingPage />);
  const error = await screen.findByTestId('state-error');
  expect(error.textContent).toContain('服务暂时不可用');
  fireEvent.click(within(error).getByText('重试'));
  expect((await screen.findByTestId('state-empty')).textContent).toContain('还没有充电站');
});

test('records: totals of the selection, filters by period, station, pay state and plate', async () => {
  const server = bff({
    'GET /api_3/charging_stations': () =>
      ok002([station([cell()]), station([], { Station_Id: 'ST02', Station_Name: '二号站' })]),
    'GET /api_3/charging_records': (req) =>
      q(req.url).Station_Id === 'ST02'
        ? ok002([])
        : ok002([record(), record({ id: 2, Record_Id: 'R-2', Pay_State: 'paid', Plate_No: null })]),
    'GET /api_3/charging_record_totals': () =>
      ok002([
        {
          Sessions: 2,
          Total_Power: 61,
          Total_Money: 91.5,
          Elec_Money: 61,
          Service_Money: 30.5,
          Charging_Seconds: 7200,
        },
      ]),
  });
  render(<ChargingRecordsPage />);
  const rows = await screen.findAllByTestId('charging-record');
  expect(rows).toHaveLength(2);
  expect(rows[0]!.textContent).toContain('充电枪 C01 · 2026-12-01 08:00:00 至 2026-12-01 09:00:00');
  expect(within(rows[0]!).getByTestId('record-kwh').textContent).toBe('电量 30.50 kWh');
  expect(within(rows[0]!).getByTestId('record-money').textContent).toBe('45.75 元');
  expect(within(rows[0]!).getByTestId('record-pay').textContent).toBe('待支付');
  expect(within(rows[1]!).getByTestId('record-pay').textContent).toBe('已支付');
  const totals = screen.getByTestId('record-totals').textContent!;
  expect(totals).toContain('61.00 kWh');
  expect(totals).toContain('2 单');
  expect(totals).toContain('91.50 元');
  const first = q(server.requests.find((r) => r.url.includes('charging_records'))!.url);
  expect(first.Start_Time).toMatch(/^\d{4}-\d\d-\d\d 00:00:00$/);
  expect(first.End_Time).toMatch(/ 23:59:59$/);

  fireEvent.click(within(screen.getByTestId('record-filters')).getByText('已支付'));
  await waitFor(() => expect(q(server.requests.at(-1)!.url).Pay_State).toBe('paid'));
  fireEvent.change(screen.getByTestId('plate-filter'), { target: { value: ' 沪A12345 ' } });
  fireEvent.click(screen.getByText('筛选'));
  await waitFor(() =>
    expect(
      server.requests.filter((r) => r.url.includes('charging_record')).map((r) => q(r.url).Plate_No),
    ).toContain('沪A12345'),
  );
  fireEvent.change(screen.getByTestId('station-filter'), { target: { value: '2' } });
  expect((await screen.findByTestId('state-empty')).textContent).toBe('所选范围内没有充电记录');
  const last = q(server.requests.filter((r) => r.url.includes('charging_records')).at(-1)!.url);
  expect(last).toMatchObject({ Station_Id: 'ST02', Pay_State: 'paid', Plate_No: '沪A12345' });
});

test('records: a failed read shows the reason with a retry', async () => {
  let calls = 0;
  bff({
    'GET /api_3/charging_stations': () => ok002([]),
    'GET /api_3/charging_records': () =>
      ++calls === 1
        ? { status: 400, body: { Err_No: '4001', Err_Msg: 'Start_Time 格式不正确' } }
        : ok002([record()]),
    'GET /api_3/charging_record_totals': () =>
      ok002([
        {
          Sessions: 1,
          Total_Power: 30.5,
          Total_Money: 45.75,
          Elec_Money: 0,
          Service_Money: 0,
          Charging_Seconds: 0,
        },
      ]),
  });
  render(<ChargingRecordsPage />);
  const error = await screen.findByTestId('state-error');
  expect(error.textContent).toContain('Start_Time 格式不正确');
  fireEvent.click(within(error).getByText('重试'));
  expect(await screen.findAllByTestId('charging-record')).toHaveLength(1);
});

test('status counts, elapsed time on the site clock', () => {
  expect(
    countByStatus([3, 3, 1, 7])
      .filter((c) => c.count)
      .map((c) => [c.status.name, c.count]),
  ).toEqual([
    ['充电中', 2],
    ['空闲', 1],
    ['未知状态', 1],
  ]);
  // 10:00:30 in Shanghai is 02:00:30 UTC.
  expect(secondsSince('2026-12-01 09:30:00', new Date('2026-12-01T02:00:30Z'), 'Asia/Shanghai')).toBe(1830);
  expect(secondsSince(null, new Date())).toBeNull();
  expect(formatElapsed(1830)).toBe('30 分 30 秒');
  expect(formatElapsed(3 * 3600 + 5 * 60)).toBe('3 小时 05 分');
  expect(formatElapsed(null)).toBe('—');
});
