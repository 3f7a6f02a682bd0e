import { devicesFor } from './solar';
import { fakePlant } from './state';
import { startFakeIsolarCloud, type FakeIsolarCloud } from './server';

/** The demo organization's iSolarCloud account on the fake (legacy login works too). */
export const DEMO_ISOLAR_ACCOUNT = 'demo-owner@wattdesk.local';
export const DEMO_ISOLAR_PASSWORD = 'demo-solar-2026';

/** The three demo plants: distributed PV, C&I storage, and one in fault. */
export const DEMO_PLANTS = [
  fakePlant({
    ps_id: 700100001,
    ps_name: '一号厂房屋顶分布式光伏',
    ps_type: 3,
    latitude: 31.8206,
    longitude: 117.2272,
    ps_location: '安徽省合肥市蜀山区长江西路 688 号',
    capacityKw: 800,
    install_date: '2025-06-18 09:30:00',
    baseTotalKwh: 152_000,
  }),
  fakePlant({
    ps_id: 700100002,
    ps_name: '园区工商业储能电站',
    ps_type: 12,
    latitude: 31.3526,
    longitude: 118.4331,
    ps_location: '安徽省芜湖市鸠江区经济开发区',
    capacityKw: 300,
    batteryKwh: 1000,
    install_date: '2025-09-01 10:00:00',
    baseTotalKwh: 41_000,
  }),
  {
    ...fakePlant({
      ps_id: 700100003,
      ps_name: '三号仓库屋顶光伏',
      ps_type: 3,
      latitude: 29.8683,
      longitude: 121.544,
      ps_location: '浙江省宁波市北仑区',
      capacityKw: 400,
      ps_fault_status: 1,
      install_date: '2025-03-12 08:00:00',
      baseTotalKwh: 268_000,
    }),
    devices: devicesFor(700100003, false, true),
  },
];

let running: FakeIsolarCloud | undefined;

/** Starts demo mode's fake iSolarCloud once per process, with the demo account and its plants. */
export async function demoFakeIsolarCloud(port = 0): Promise<FakeIsolarCloud> {
  if (running) return running;
  running = await startFakeIsolarCloud({ port });
  running.state.addUser({
    account: DEMO_ISOLAR_ACCOUNT,
    password: DEMO_ISOLAR_PASSWORD,
    plants: DEMO_PLANTS,
  });
  return running;
}

/** Stops it (feature stop). */
export async function stopDemoFakeIsolarCloud(): Promise<void> {
  await running?.close();
  running = undefined;
}
