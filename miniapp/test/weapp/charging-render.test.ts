import { host002, renderedText, requireWeappBuild } from './hosts';
import { cell, station } from '../charging-fixtures';

// The charging page (pkg-charging) of the weapp build drawn by WeChat's template compiler.
beforeAll(requireWeappBuild);

test('the charging page renders the station, connectors with status names and units, and the totals', async () => {
  const host = host002({
    '/api_3/personalise': [
      { Year_Start: '1', Month_Start: '1', Day_Start: '00:00:00', Time_Zone: 'Asia/Shanghai' },
    ],
    '/api_3/charging_stations': [
      station([
        cell({ Cell_Id: 'C01', Status: 3, Power: 58.4, Soc: 63, Charging_Since: '2026-12-01 09:30:00' }),
        cell({ Cell_Id: 'C02', Status: 255 }),
      ]),
    ],
  });
  const page = await host.open('pkg-charging/index/index');
  const text = await renderedText(host, page, '状态图例');
  for (const label of [
    '演示充电站',
    '共 2 个充电枪',
    '充电枪 C01',
    '充电中',
    '功率 58.40 kW',
    'SOC 63%',
    '故障',
    '45.50 kWh',
    '68.25 元',
    '状态图例',
  ])
    expect(text).toContain(label);
  // Closing the page (WeChat's onUnload) stops its live refresh: nothing is left running.
  (page as unknown as { onUnload: () => void }).onUnload();
});
