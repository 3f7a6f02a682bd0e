import { host002, renderedText, requireWeappBuild } from './hosts';

// The machine-state page (pkg-oee) of the weapp build drawn by WeChat's template compiler.
beforeAll(requireWeappBuild);

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
  const host = host002(data);
  const page = await host.open('pkg-oee/machine/index', { id: '3' });
  const text = await renderedText(host, page, '本月 OEE');
  for (const label of ['冲压线1', '今日状态', '状态时长', '2 小时 0 分', '本月 OEE', '50.0 %', '无数据'])
    expect(text).toContain(label);
});
