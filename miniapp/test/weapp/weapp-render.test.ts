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

test('a gateway renders its own page, without BMS controls', async () => {
  const host = signedInHost({
    '/wad/ems/v1/api/devices/detail': {
      code: 0,
      message: '获取设备成功',
      data: {
        device_uid: 'gw-1',
        name: '配电房计量网关',
        kind: 'gateway',
        site: '配电房',
        online: true,
        status_changed_at: '2026-11-21T06:00:00.000Z',
        last_seen_at: '2026-11-21T06:10:00.000Z',
        telemetry: {},
        telemetry_at: null,
        created_at: '2026-11-21T06:00:00.000Z',
      },
    },
  });
  const page = await host.open('pkg-device/gateway/index', { uid: 'gw-1' });
  const text = await renderedText(host, page, '最后通信');
  expect(text).toContain('配电房计量网关');
  expect(text).toContain('计量网关');
  expect(text).not.toContain('故障复位');
});
