import path from 'node:path';
import fs from 'node:fs';
import { createHost, settle, textOf } from './simulator.cjs';

// The machine-state page (pkg-oee) of the weapp build drawn by WeChat's template compiler.
const dist = path.resolve(__dirname, '../../dist/weapp');

type WxRequest = {
  url: string;
  success: (r: { statusCode: number; data: unknown; header: object }) => void;
};

beforeAll(() => {
  if (!fs.existsSync(path.join(dist, 'app.json')))
    throw new Error('dist/weapp is missing: run npm run build:weapp -w miniapp');
});

const factor = (Value: number | null, Text: string, Basis: string) => ({ Value, Text, Basis });
const data: Record<string, unknown[]> = {
  '/api_3/personalise': [
    { Year_Start: '1', Month_Start: '1', Day_Start: '00:00:00', Time_Zone: 'Asia/Shanghai' },
  ],
  '/api_3/metersuperiors': [
    {
      id: 3,
      Meter_Superior: '冲压线1',
      Meter_Department: '冲压车间',
      Machine_Image_Url: '',
      equipmentCode: '02',
      equipmentUnitCode: 'CY-01',
    },
  ],
  '/api_3/OEE_statistic_records': [{ Time: '2026-01-01 00:00:00', Status_Name: '运行' }],
  '/api_3/OEE_statistic': [{ Time: '2026-01-01 00:00:00', Total_Amount: 7200, Status_Name: '运行' }],
  '/api_3/OEE_factors': [
    {
      Meter_Superior_id: 3,
      Time_Start: '2026-01-01 00:00:00',
      Time_End: '2026-02-01 00:00:00',
      Planned_Seconds: 3600,
      Planned_Stop_Seconds: 0,
      Run_Seconds: 1800,
      Run_Status_Names: ['运行'],
      Availability: factor(0.5, '50.0 %', '运行时间 0.50 h ÷ 计划时间 1.00 h'),
      Performance: factor(null, '无数据', '该时段没有产出记录'),
      Quality: factor(null, '无数据', '该时段没有产出记录'),
      OEE: factor(null, '无数据', '可用率、性能、质量有一项无数据'),
    },
  ],
};

test('the machine-state page renders durations with units and OEE with 无数据 from the weapp output', async () => {
  const host = createHost(dist, {
    request: (req: WxRequest) => {
      const rows = data[new URL(req.url).pathname] ?? [];
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
  const page = await host.open('pkg-oee/machine/index', { id: '3' });
  let text = '';
  for (let i = 0; i < 60 && !text.includes('本月 OEE'); i++) {
    await settle(50);
    text = textOf(host.render(page));
  }
  for (const label of ['冲压线1', '今日状态', '状态时长', '2 小时 0 分', '本月 OEE', '50.0 %', '无数据'])
    expect(text).toContain(label);
});
