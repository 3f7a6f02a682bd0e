import type { DeviceKind } from '@wattdesk/shared';
import type { Actor } from '../../core/auth/actor';
import type { DemoPart } from '../../demo';
import { DEMO_USER } from '../../demo/demo-data';
import { AppError } from '../../core/errors';
import { DEMO_CYCLE, raiseAlarmsNowAndThen, startFleet, stopFleet } from './fleet';
import { startDemoMeters } from './live-meters-demo';

const DEMO_DEVICES: Array<{ uid: string; name: string; kind: DeviceKind; site: string }> = [
  { uid: 'demo-ems-1', name: '1# 储能柜 BMS', kind: 'ems', site: '一号厂房' },
  { uid: 'demo-ems-2', name: '2# 储能柜 BMS（不可复位告警）', kind: 'ems', site: '二号厂房' },
  { uid: 'demo-gw-1', name: '配电房计量网关', kind: 'gateway', site: '配电房' },
];

/**
 * Demo mode: registers three devices in the demo organization (new secrets on every start, since
 * only hashes are stored) and runs them as simulated devices on the BFF's broker. 1# cycles through
 * idle / charging / discharging and raises a resettable alarm now and then; 2# has a non-resettable
 * alarm (contactor tripped), so its fault reset leaves one alarm and closing is refused.
 */
export const deviceSimulatorDemo: DemoPart = {
  name: 'device-simulator',
  async start(container) {
    const { deps } = container;
    const devices = deps.devices;
    if (!devices.brokerUrl) return ['  设备模拟:            未启动（WD_MQTT_MODE=off）'];
    // Looked up, not signed in: a changed or locked demo password must not stop the BFF from starting.
    const user = await deps.accounts.userByName(DEMO_USER);
    if (!user) return ['  设备模拟:            未启动（没有演示账号）'];
    const actor: Actor = {
      userId: user.id,
      userName: user.name,
      orgId: user.orgId,
      role: 'admin',
      permissions: new Set(),
      sessionId: 'demo',
    };
    const origin = { ip: 'demo' };
    const secrets: string[] = [];
    for (const d of DEMO_DEVICES) {
      try {
        secrets.push((await devices.registry.register(actor, { device_uid: d.uid, ...d }, origin)).secret);
      } catch (err) {
        if (!(err instanceof AppError && err.kind === 'conflict')) throw err;
        secrets.push((await devices.registry.rotateSecret(actor, d.uid, origin)).secret);
      }
    }
    const fleet = await startFleet(
      DEMO_DEVICES.map((d, i) => ({
        url: devices.brokerUrl!,
        uid: d.uid,
        secret: secrets[i]!,
        kind: d.kind,
        topicRoot: devices.topicRoot,
        cycle: DEMO_CYCLE,
        telemetryEveryMs: 10_000,
      })),
    );
    const timer = raiseAlarmsNowAndThen(fleet[0]!);
    fleet[1]!.bms.raise({ code: 'bmu_lost', resettable: false });
    container.onClose(async () => {
      clearInterval(timer);
      await stopFleet(fleet);
    });
    const liveMeters = await startDemoMeters(container, fleet[2]!);
    return [
      `  模拟设备:            ${DEMO_DEVICES.map((d) => d.uid).join('、')}（演示组织，MQTT ${devices.brokerUrl}）`,
      liveMeters,
    ];
  },
};
