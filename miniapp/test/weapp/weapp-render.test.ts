import { createHost, settle } from './simulator.cjs';
import { dist, host002, renderedText, requireWeappBuild, type WxRequest } from './hosts';
import { alarmDetail, alarmRecord } from '../alarm-fixtures';

// Renders pages of the weapp build (dist/weapp, `npm run build:weapp -w miniapp`) in the headless host,
// with WeChat's own template compiler drawing the page data the Taro runtime set.

beforeAll(requireWeappBuild);

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

/** A host whose wx.request answers seed 002 envelopes by path, recording each request and tab badge. */
function alarmHost(data: Record<string, unknown[]>) {
  const requests: string[] = [];
  const badges: { index: number; text: string }[] = [];
  const host = createHost(dist, {
    request: (req: WxRequest) => {
      const url = new URL(req.url);
      requests.push(`${req.method} ${url.pathname}${url.search}`);
      const rows = data[url.pathname];
      const body = rows
        ? { Err_No: '0', Err_Msg: 'ok', Data: rows, Total_Numbers: rows.length }
        : { Err_No: '4002', Err_Msg: '接口不存在' };
      setTimeout(() => req.success({ statusCode: rows ? 200 : 404, data: body, header: {} }), 5);
      return { abort: () => undefined };
    },
    setTabBarBadge: (o: { index: number; text: string; success?: () => void }) => {
      badges.push({ index: o.index, text: o.text });
      o.success?.();
    },
    removeTabBarBadge: (o: { success?: () => void }) => o.success?.(),
  });
  host.storage.set('wd.session', {
    token: 'tok',
    userId: '1',
    userName: 'm',
    role: 'admin',
    expiresAt: '2030-01-01T00:00:00Z',
  });
  return { host, requests, badges };
}

const alarm = alarmRecord({ id: 7, Alarm_Level: 3, Alarm_Count: 3, Last_Time: '2026-11-21 08:20:00' });
const personalise = [{ Year_Start: '1', Month_Start: '1', Day_Start: '00:00' }];

test('the 告警 tab renders its filters and the alarms from the BFF, and badges the tab', async () => {
  const { host, requests, badges } = alarmHost({
    '/api_3/personalise': personalise,
    '/api_3/metersuperiors': [{ id: 2, Meter_Superior: '轧钢机' }],
    '/api_3/alarm_message': [alarm],
    '/api_3/alarm_unread': [{ Unread_Numbers: 1, Active_Numbers: 1, Active_Unack_Numbers: 4 }],
  });
  const page = await host.open('pages/alarms/index');
  const text = await renderedText(host, page, '功率因数 0.82');
  expect(
    requests.some((r) => r.startsWith('GET /api_3/alarm_message?') && r.includes('Active_First=1')),
  ).toBe(true);
  for (const label of [
    '全部',
    '一般',
    '警告',
    '严重',
    '能耗',
    '参数',
    '近 7 天',
    '机器：全部机器',
    '告警统计',
  ]) {
    expect(text).toContain(label);
  }
  expect(text).toContain('功率因数过低');
  expect(text).toContain('未确认');
  expect(text).toContain('共 3 次');
  expect(text).toContain('共 1 条');
  await settle(50);
  expect(badges).toContainEqual({ index: 1, text: '4' });
});

test('an alarm’s detail renders value, limits, reading time, history and the acknowledge action', async () => {
  const { host } = alarmHost({
    '/api_3/personalise': personalise,
    '/api_3/alarm_message_detail': [alarmDetail(alarm)],
    '/api_3/measure': [{ Time: '2026-11-21 07:55:00', Measure_Name: 'PF', Measure_Value: '0.82' }],
    '/api_3/alarm_read': [],
  });
  const page = await host.open('pkg-alarms/detail/index', { id: '7' });
  const text = await renderedText(host, page, '处理记录');
  for (const label of [
    '功率因数过低',
    '严重',
    '0.82',
    '低于下限',
    '0.90 – 1.00',
    '2026-11-21 07:59:30',
    '功率因数（PF）',
  ]) {
    expect(text).toContain(label);
  }
  expect(text).toContain('确认告警');
  expect(text).toContain('搁置');
  expect(text).toContain('系统 · 当时值 0.82');
});

test('the rule form renders its labelled fields for an admin', async () => {
  const { host } = alarmHost({
    '/api_3/alarm_status': [
      {
        id: 1,
        Alarm_Name: '功率因数过低',
        Alarm_Type: 2,
        Alarm_Level: 2,
        Alarm_Notify: 4,
        Notify_Address: 'm',
      },
    ],
    '/api_3/meters': [{ id: 3, Meter_Name: '钢厂进线表', Meter_Superior: '轧钢机', Meter_Parameter: 'PF' }],
  });
  const page = await host.open('pkg-alarms/rule/index', { meterId: '3', alarmId: '1' });
  const text = await renderedText(host, page, '持续多少秒才告警');
  for (const label of [
    '规则名称',
    '告警定义',
    '功率因数过低（瞬时参数）',
    '仪表',
    '钢厂进线表',
    '测点',
    '下限',
    '上限',
    '保存',
  ]) {
    expect(text).toContain(label);
  }
});

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
  for (const label of [
    '今日',
    '本月',
    '本月综合能耗',
    '实时负荷',
    '本月能耗前五（按机器）',
    '本月每日趋势',
    '费率',
  ])
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

/** A host answering `answers[path]` for every request, with a signed-in admin. */
function signedInHost(answers: Record<string, unknown>) {
  const host = createHost(dist, {
    request: (req: WxRequest) => {
      const url = new URL(req.url);
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
  return host;
}
const list002 = (data: unknown[]) => ({ Err_No: '0', Err_Msg: 'ok', Data: data, Total_Numbers: data.length });

test('the registration page renders its form and the setup page its steps from the weapp output', async () => {
  const reg = createHost(dist);
  const regPage = await reg.open('pkg-account/register/index');
  const regText = await renderedText(reg, regPage, '注册并登录');
  for (const label of ['注册新组织', '用户名', '密码', '确认密码', '邮箱', '公司名称', '注册并登录'])
    expect(regText).toContain(label);

  const host = signedInHost({
    '/api_3/metersuperiors': list002([
      {
        id: 1,
        Meter_Superior: '空压机',
        Meter_Department: '动力车间',
        Machine_Image_Url: '',
        equipmentCode: '',
        equipmentUnitCode: '',
      },
    ]),
    '/api_3/meters': list002([]),
    '/api_3/rate': list002([]),
    '/wad/ems/v1/api/devices': { code: 0, message: '获取设备列表成功', data: [] },
  });
  const page = await host.open('pkg-setup/index/index');
  const text = await renderedText(host, page, '设置费率');
  for (const label of [
    '1. 部门与机器',
    '已有 1 台机器',
    '2. 仪表',
    '未开始',
    '3. 设备',
    '4. 费率',
    '设置费率',
  ])
    expect(text).toContain(label);
});

test('a gateway renders its own page: the meters it reports, its last batch and online history, no BMS controls', async () => {
  const host = signedInHost({
    '/wad/ems/v1/api/gateways/detail': {
      code: 0,
      message: '获取网关信息成功',
      data: {
        device_uid: 'gw-1',
        name: '配电房计量网关',
        site: '配电房',
        online: true,
        status_changed_at: '2026-11-21T06:00:00.000Z',
        last_seen_at: '2026-11-21T06:10:00.000Z',
        meters: [
          {
            meter_id: 12,
            name: '空压机电表',
            energy_type: 0,
            last_reading_at: '2026-11-21T06:00:00.000Z',
            last_total: 10523.4,
            reported_at: '2026-11-21T06:00:03.000Z',
          },
        ],
        last_batch: {
          received_at: '2026-11-21T06:00:03.000Z',
          readings: 4,
          accepted: 4,
          refused: 0,
          errors: [],
        },
        online_history: [{ online: true, at: '2026-11-21T06:00:00.000Z' }],
      },
    },
  });
  const page = await host.open('pkg-device/gateway/index', { uid: 'gw-1' });
  const text = await renderedText(host, page, '在线记录');
  for (const label of [
    '配电房计量网关',
    '计量网关',
    '空压机电表',
    '10,523.40 kWh',
    '最近一批读数',
    '4 条',
    '上线',
  ])
    expect(text).toContain(label);
  expect(text).not.toContain('故障复位');
});

test('the products page renders unit consumption per product and the batch ranking from the weapp output', async () => {
  const stat = (v: number, unit: string) => ({
    Product_Name: '冲压件',
    Meter_Superior: '',
    Time: '2026-12-01 00:00:00',
    Total_Amount: v,
    Unit: unit,
  });
  const host = host002({
    '/api_3/personalise': calendar,
    '/api_3/product_output_energy_statistic': (url) =>
      url.searchParams.get('Amount_Type') === '1' ? [stat(52000, '件')] : [stat(0.55, 'kgce/件')],
    '/api_3/productsBatch': [
      { id: 1, Production_Batch: 'PC-202611', Time_Start: '', Time_End: '', Output_Numbers: 60 },
    ],
    '/api_3/productsBatch_output_energy_statistic': [
      {
        Production_Batch: 'PC-202611',
        Product_Name: '',
        Meter_Superior: '',
        Total_Amount: 0.52,
        Unit: 'kgce/件',
      },
    ],
  });
  const page = await host.open('pkg-products/index/index');
  const text = await renderedText(host, page, '批次单耗排名');
  for (const label of [
    '录入产量',
    '本月单位产品综合能耗',
    '冲压件',
    '0.55 kgce/件',
    '本月产量 52,000.00 件',
    'PC-202611',
    '0.52 kgce/件',
  ])
    expect(text).toContain(label);
});

test('the output entry form renders its labelled fields with the units from the weapp output', async () => {
  const host = host002({
    '/api_3/personalise': calendar,
    '/api_3/products': [{ id: 3, Product_Name: '钢板', Product_Unit: 't', Remarks: '' }],
    '/api_3/metersuperiors': [{ id: 9, Meter_Superior: '冲压线1', Meter_Department: '冲压车间' }],
    '/api_3/productsBatch': [
      { id: 5, Production_Batch: 'PC-202612', Time_Start: '', Time_End: '', Output_Numbers: 0 },
    ],
    '/api_3/shifts': [
      { Shift_Name: '白班', Shift_Start: '08:00:00', Shift_End: '20:00:00' },
      { Shift_Name: '夜班', Shift_Start: '20:00:00', Shift_End: '08:00:00' },
    ],
  });
  const page = await host.open('pkg-products/output/index');
  const labels = [
    '产品',
    '钢板',
    '机器',
    '生产批次',
    'PC-202612',
    '产量（t）',
    '开始时间',
    '结束时间',
    '保存',
  ];
  // Every label, not just the first to render: the product, machine and batch lists load one by one.
  const text = await renderedText(host, page, ['默认为当前班次', ...labels]);
  for (const label of labels) expect(text).toContain(label);
});

test('the setup forms (machine, meter, device) render from the weapp output', async () => {
  const host = signedInHost({
    '/api_3/metersuperiors': list002([
      {
        id: 1,
        Meter_Superior: '空压机',
        Meter_Department: '动力车间',
        Machine_Image_Url: '',
        equipmentCode: '',
        equipmentUnitCode: '',
      },
    ]),
    '/api_3/meters': list002([]),
  });
  for (const [route, expected] of [
    ['pkg-setup/machine/index', ['机器名称', '所属部门', '设备编码']],
    ['pkg-setup/meter/index', ['仪表名称', '能源类型', '所在机器', '总表']],
    ['pkg-setup/device/index', ['设备类型', '设备编号', '设备名称', '站点']],
  ] as const) {
    const page = await host.open(route);
    const text = await renderedText(host, page, expected[expected.length - 1]!);
    for (const label of expected) expect(text).toContain(label);
  }
});
