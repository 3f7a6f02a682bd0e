import { host002, renderedText, requireWeappBuild } from './hosts';
import { connection, plant, plantDetail } from '../plant-fixtures';

// The 电站 pages (pkg-plants) of the weapp build drawn by WeChat's template compiler.
beforeAll(requireWeappBuild);

test('the plant list renders the faulty plant first with kW and kWh from the weapp output', async () => {
  const host = host002({
    '/api_3/pv_plants': [
      plant(),
      plant({ Ps_Id: 2, Ps_Name: '仓库屋顶光伏', Fault_Status: 1, Fault_Status_Name: '故障', Power_kW: 0 }),
    ],
    '/api_3/pv_connection': [connection()],
  });
  const page = await host.open('pkg-plants/index/index');
  const text = await renderedText(host, page, '一号厂房屋顶光伏');
  expect(text.indexOf('仓库屋顶光伏')).toBeLessThan(text.indexOf('一号厂房屋顶光伏'));
  for (const label of ['1 座故障', '182.40 kW', '936.25 kWh', '故障', 'iSolarCloud 连接'])
    expect(text).toContain(label);
});

test('the plant page renders its figures and devices from the weapp output', async () => {
  const host = host002({ '/api_3/pv_plant_detail': [plantDetail()] });
  const page = await host.open('pkg-plants/plant/index', { id: '1001' });
  const text = await renderedText(host, page, '逆变器 2');
  for (const label of ['今日功率曲线', '本月每日发电量', '设备（2 台）', '182.40 kW'])
    expect(text).toContain(label);
});
