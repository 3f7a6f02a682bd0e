import { fireEvent, render, screen, within } from '@testing-library/react';
import PlantsPage from './index/index';
import PlantPage from './plant/index';
import { setTransport } from '../api/transport';
import { saveSession } from '../api/session';
import { fakeBff, ok002, type Handler } from '../../test/fake-bff';
import { navigations, router } from '../../test/taro';
import { session } from '../../test/alarm-fixtures';
import { connection, notConnected, plant, plantDetail } from '../../test/plant-fixtures';
import { sortPlants } from './plants';

const personalise = () => ok002([{ Year_Start: '1', Month_Start: '1', Day_Start: '00:00:00' }]);
const fail = (): ReturnType<Handler> => ({
  status: 500,
  body: { Err_No: '4001', Err_Msg: '数据库查询出错' },
});

function bff(routes: Record<string, Handler>) {
  const server = fakeBff({
    'GET /api_3/personalise': personalise,
    'GET /api_3/pv_connection': () => ok002([connection()]),
    'GET /api_3/PRP_uploaded_energy_measure_datas': () => ok002([]),
    'GET /api_3/PRP_operation_result': () => ok002([]),
    ...routes,
  });
  setTransport(server.transport);
  return server;
}

/** Text on screen must never show an API field name (Xxx_Yyy) or path. */
const noRawNames = () => expect(document.body.textContent).not.toMatch(/[A-Z][a-z]+_[A-Za-z]+|\/api/);

const three = [
  plant(),
  plant({
    Ps_Id: 1002,
    Ps_Name: '储能站',
    Ps_Type: 12,
    Ps_Type_Name: '工商业储能电站',
    Power_kW: -50,
    Today_kWh: 120,
    Soc: 64,
  }),
  plant({
    Ps_Id: 1003,
    Ps_Name: '仓库屋顶光伏',
    Fault_Status: 1,
    Fault_Status_Name: '故障',
    Power_kW: 0,
    Today_kWh: 12.5,
  }),
];

beforeEach(() => {
  saveSession(session());
  router.params = {};
});

test('the plant list puts the faulty plant first, with power in kW, today’s yield in kWh and SOC in %', async () => {
  const server = bff({ 'GET /api_3/pv_plants': () => ok002(three) });
  render(<PlantsPage />);
  expect(screen.getByTestId('state-loading')).toBeTruthy();
  const rows = await screen.findAllByTestId('plant-row');
  expect(rows.map((r) => within(r).getByTestId('plant-name').textContent)).toEqual([
    '仓库屋顶光伏',
    '一号厂房屋顶光伏',
    '储能站',
  ]);
  expect(rows[0]!.getAttribute('data-tone')).toBe('fault');
  expect(within(rows[0]!).getByTestId('plant-status').textContent).toBe('故障');
  expect(within(rows[1]!).getByTestId('plant-power').textContent).toBe('182.40 kW');
  expect(within(rows[1]!).getByTestId('plant-today').textContent).toBe('936.25 kWh');
  expect(within(rows[2]!).getByTestId('plant-soc').textContent).toBe('64 %');
  expect(within(rows[1]!).queryByTestId('plant-soc')).toBeNull();
  expect(screen.getByTestId('plants-faults').textContent).toBe('1 座故障');
  // 182.4 − 50 (the battery charging) + 0
  expect(screen.getByTestId('plants-power').textContent).toBe('132.40 kW');
  expect(screen.getByTestId('plants-today').textContent).toBe('1,068.75 kWh');
  expect(within(rows[1]!).getByText('更新于 12-01 11:35')).toBeTruthy();
  // Admins see the connection and the provincial upload cards.
  expect((await screen.findByTestId('pv-connection-status')).textContent).toBe('已连接，每 5 分钟同步一次');
  expect(screen.getByTestId('pv-connection').textContent).toContain('12 / 1000 次');
  await screen.findByTestId('prp-status-empty');
  noRawNames();
  fireEvent.click(rows[0]!);
  expect(navigations.at(-1)?.url).toBe('/pkg-plants/plant/index?id=1003');
  const asked = server.requests.find((r) => new URL(r.url).pathname === '/api_3/pv_plants')!;
  expect(new URL(asked.url).searchParams.get('Per_Page_Counts')).toBe('200');
});

test('no plants yet: an admin is told to connect iSolarCloud, and the connection card offers it', async () => {
  bff({
    'GET /api_3/pv_plants': () => ok002([]),
    'GET /api_3/pv_connection': () => ok002([notConnected()]),
  });
  render(<PlantsPage />);
  expect((await screen.findByTestId('state-empty')).textContent).toContain('连接 iSolarCloud');
  expect((await screen.findByTestId('pv-connection-status')).textContent).toBe('未连接 iSolarCloud');
  fireEvent.click(screen.getByText('连接 iSolarCloud'));
  expect(navigations.at(-1)?.url).toBe('/pkg-plants/connect/index');
});

test('a viewer sees the plants but neither the connection nor the upload card (never asks for them)', async () => {
  saveSession(session('viewer'));
  const server = bff({ 'GET /api_3/pv_plants': () => ok002([]) });
  render(<PlantsPage />);
  expect((await screen.findByTestId('state-empty')).textContent).toContain('请管理员');
  expect(screen.queryByTestId('pv-connection')).toBeNull();
  expect(screen.queryByTestId('prp-status')).toBeNull();
  expect(server.requests.map((r) => new URL(r.url).pathname)).toEqual(['/api_3/pv_plants']);
});

test('a failed plant list shows the Chinese reason and retries', async () => {
  let calls = 0;
  bff({ 'GET /api_3/pv_plants': () => (++calls === 1 ? fail() : ok002([plant()])) });
  render(<PlantsPage />);
  const error = await screen.findByTestId('state-error');
  expect(error.textContent).toContain('数据库查询出错');
  fireEvent.click(within(error).getByText('重试'));
  expect((await screen.findAllByTestId('plant-row')).length).toBe(1);
});

test('a plant before its first sync shows — for its figures, never 0', async () => {
  bff({
    'GET /api_3/pv_plants': () =>
      ok002([
        plant({
          Power_kW: null,
          Today_kWh: null,
          Updated_At: null,
          Online_Status: 0,
          Online_Status_Name: '离线',
        }),
      ]),
  });
  render(<PlantsPage />);
  const row = (await screen.findAllByTestId('plant-row'))[0]!;
  expect(within(row).getByTestId('plant-power').textContent).toBe('—');
  expect(within(row).getByTestId('plant-status').textContent).toBe('离线');
  expect(screen.getByTestId('plants-power').textContent).toBe('—');
});

test('the plant page: figures with units, today’s curve in kW, the month’s yield in kWh, faulty devices first', async () => {
  router.params = { id: '1001' };
  const server = bff({ 'GET /api_3/pv_plant_detail': () => ok002([plantDetail()]) });
  render(<PlantPage />);
  expect(screen.getByTestId('state-loading')).toBeTruthy();
  const head = await screen.findByTestId('plant-head');
  expect(within(head).getByTestId('plant-实时功率').textContent).toBe('实时功率182.40 kW');
  expect(within(head).getByTestId('plant-累计发电').textContent).toBe('累计发电125.43 万 kWh');
  const [curve, daily] = screen.getAllByTestId('trend-chart');
  expect(curve!.getAttribute('data-unit')).toBe('kW');
  expect(within(curve!).getByTestId('trend-series').textContent).toBe('功率: 0.00 kW | 96.50 kW | 182.40 kW');
  expect(daily!.getAttribute('data-unit')).toBe('kWh');
  expect(within(daily!).getByTestId('trend-series').textContent).toBe('日发电量: 936.25 kWh');
  const devices = screen.getAllByTestId('plant-device');
  expect(devices.map((d) => d.getAttribute('data-tone'))).toEqual(['fault', 'ok']);
  expect(devices[0]!.textContent).toContain('逆变器 2');
  expect(devices[0]!.textContent).toContain('故障');
  noRawNames();
  expect(new URL(server.requests[0]!.url).searchParams.get('Ps_Id')).toBe('1001');
});

test('the plant page of a faulty plant early in the day: says so, and no curve yet is a sentence', async () => {
  router.params = { id: '1003' };
  bff({
    'GET /api_3/pv_plant_detail': () =>
      ok002([
        plantDetail({
          Fault_Status: 1,
          Fault_Status_Name: '故障',
          Power_Curve: [],
          Daily_Yield: [],
          Devices: [],
          Soc: 80,
        }),
      ]),
  });
  render(<PlantPage />);
  expect((await screen.findByTestId('plant-fault')).textContent).toContain('故障');
  expect(screen.getByTestId('plant-curve-empty').textContent).toContain('今日还没有功率数据');
  expect(screen.getByTestId('plant-yield-empty').textContent).toBe('本月还没有发电量数据');
  expect(screen.getByTestId('plant-devices-empty')).toBeTruthy();
  expect(screen.getByTestId('plant-电池电量').textContent).toBe('电池电量80 %');
  expect(screen.queryByTestId('trend-chart')).toBeNull();
});

test('the plant page of another organization’s plant shows the BFF’s 404 reason with a retry', async () => {
  router.params = { id: '999' };
  bff({
    'GET /api_3/pv_plant_detail': () => ({ status: 404, body: { Err_No: '4004', Err_Msg: '电站不存在' } }),
  });
  render(<PlantPage />);
  const error = await screen.findByTestId('state-error');
  expect(error.textContent).toContain('电站不存在');
  expect(within(error).getByText('重试')).toBeTruthy();
});

test('sorting: faults, then alarms, then offline plants, else in the BFF’s order', () => {
  const p = (id: number, fault: number, online = 1) =>
    plant({ Ps_Id: id, Fault_Status: fault, Online_Status: online });
  expect(sortPlants([p(1, 3), p(2, 2), p(3, 3, 0), p(4, 1), p(5, 3), p(6, 1)]).map((x) => x.Ps_Id)).toEqual([
    4, 6, 2, 3, 1, 5,
  ]);
});
