import path from 'node:path';
import fs from 'node:fs';
import { createHost, settle, textOf } from './simulator.cjs';

// Renders pages of the weapp build (dist/weapp, `npm run build:weapp -w miniapp`) in the headless host,
// with WeChat's own template compiler drawing the page data the Taro runtime set.
const dist = path.resolve(__dirname, '../../dist/weapp');

type WxRequest = {
  url: string;
  method: string;
  header: Record<string, string>;
  success: (r: { statusCode: number; data: unknown; header: object }) => void;
};

/** Renders the page until its text contains `expected` (the runtime renders asynchronously). */
async function renderedText(
  host: ReturnType<typeof createHost>,
  page: Awaited<ReturnType<ReturnType<typeof createHost>['open']>>,
  expected: string,
) {
  let text = '';
  for (let i = 0; i < 60 && !text.includes(expected); i++) {
    await settle(50);
    text = textOf(host.render(page));
  }
  return text;
}

beforeAll(() => {
  if (!fs.existsSync(path.join(dist, 'app.json')))
    throw new Error('dist/weapp is missing: run npm run build:weapp -w miniapp');
});

test('the sign-in page renders its Chinese form from the weapp output', async () => {
  const host = createHost(dist);
  const page = await host.open('pages/login/index');
  const text = await renderedText(host, page, '微信一键登录');
  expect(text).toContain('能管通');
  expect(text).toContain('用户名');
  expect(text).toContain('密码');
  expect(text).toContain('登录');
  expect(text).toContain('微信一键登录');
});

test('the device page renders the device, its BMS status and the commands from answers of the BFF', async () => {
  const requests: string[] = [];
  const answers: Record<string, unknown> = {
    '/wad/ems/v1/api/devices/detail': {
      code: 0,
      message: '获取设备成功',
      data: {
        device_uid: 'ems-1',
        name: '储能柜 1#',
        kind: 'ems',
        site: '一号厂房',
        online: true,
        status_changed_at: null,
        last_seen_at: '2026-11-21T06:00:00.000Z',
        telemetry: {},
        telemetry_at: null,
        created_at: '2026-11-21T06:00:00.000Z',
      },
    },
    '/wad/ems/v1/api/bms-control': {
      code: 0,
      message: '获取BMS状态成功',
      data: { device_uid: 'ems-1', alarm_status: 2, operating_status: 3 },
    },
  };
  const host = createHost(dist, {
    request: (req: WxRequest) => {
      const url = new URL(req.url);
      requests.push(`${req.method} ${url.pathname}${url.search} ${req.header.Authorization ?? ''}`);
      setTimeout(() => req.success({ statusCode: 200, data: answers[url.pathname], header: {} }), 5);
      return { abort: () => undefined };
    },
  });
  host.storage.set('wd.session', {
    token: 'tok',
    userId: '1',
    userName: 'm',
    role: 'admin',
    expiresAt: '2030-01-01T00:00:00Z',
  });
  const page = await host.open('pkg-device/detail/index', { uid: 'ems-1' });
  const text = await renderedText(host, page, '报警');
  expect(requests).toContain('GET /wad/ems/v1/api/devices/detail?device_uid=ems-1 Bearer tok');
  expect(text).toContain('储能柜 1#');
  expect(text).toContain('在线');
  expect(text).toContain('充电，2 个报警');
  for (const label of ['同步状态', '故障复位', '接触器闭合', '接触器断开', '无功治理设置', '命令记录']) {
    expect(text).toContain(label);
  }
});

/** A host answering seed 002 requests from a table of path → Data rows. */
function host002(data: Record<string, unknown[]>) {
  const host = createHost(dist, {
    request: (req: WxRequest) => {
      const url = new URL(req.url);
      const rows = data[url.pathname] ?? [];
      setTimeout(
        () =>
          req.success({
            statusCode: 200,
            data: { Err_No: '0', Err_Msg: 'ok', Data: rows, Total_Numbers: rows.length },
            header: {},
          }),
        5,
      );
      return { abort: () => undefined };
    },
  });
  host.storage.set('wd.session', {
    token: 'tok',
    userId: '1',
    userName: 'm',
    role: 'admin',
    expiresAt: '2030-01-01T00:00:00Z',
  });
  return host;
}

const calendar = [
  {
    Year_Start: '1',
    Year_End: '1',
    Month_Start: '1',
    Month_End: '1',
    Day_Start: '00:00:00',
    Day_End: '00:00:00',
    Time_Zone: 'Asia/Shanghai',
  },
];

test('home renders its cards from the weapp output: figures with units and cost, and a card without data says so', async () => {
  const total = {
    Meter_Department: '',
    Meter_Superior: '',
    Meter_Name: '',
    Ene_Type: '0',
    Ene_Name: '电',
    Total_Amount: '12345.6',
    Total_Cost: '9876.5',
  };
  const host = host002({
    '/api_3/personalise': calendar,
    '/api_3/allenergy': [{ ...total, Meter_Superior: '冲压线1', Meter_Department: '冲压车间' }],
    '/api_3/detailenergy': [],
    '/api_3/meters': [],
    '/api_3/contract_demand': [{ Contract_Demand: '', Demand_Unit: 'kW' }],
  });
  const page = await host.open('pages/home/index');
  const text = await renderedText(host, page, '冲压线1');
  for (const label of ['今日', '本月', '实时负荷', '本月能耗前五（按机器）', '本月每日趋势', '费率'])
    expect(text).toContain(label);
  expect(text).toContain('1.23 万 kWh');
  expect(text).toContain('9,876.50 元');
  expect(text).toContain('尚未设置电总表');
});

test('the rates page renders every energy type and a time-of-use rate from the weapp output', async () => {
  const seg = (b: string, e: string, v: string) => ({
    id: 1,
    Rate_Name: '电价',
    Rate_Type: '0',
    Rate_Value: v,
    isSegmentation: '0',
    Seg_Begin: b,
    Seg_Begin_Rate: '',
    Seg_End: e,
    Seg_End_Rate: '',
    Rate_Unit: '元/kWh',
  });
  const host = host002({
    '/api_3/rate': [seg('00:00:00', '08:00:00', '0.32'), seg('08:00:00', '24:00:00', '0.85')],
    '/api_3/contract_demand': [{ Contract_Demand: '800', Demand_Unit: 'kW' }],
  });
  const page = await host.open('pkg-energy/rates/index');
  const text = await renderedText(host, page, '天然气');
  expect(text).toContain('分时 2 段');
  expect(text).toContain('08:00–24:00');
  expect(text).toContain('0.8500 元/kWh');
  expect(text).toContain('800.00 kW');
  expect(text).toContain('未配置费率');
});
