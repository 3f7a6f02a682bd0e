import type { DeviceKind } from '@wattdesk/shared';
import type { Actor } from '../../core/auth/actor';
import { AppError } from '../../core/errors';
import type { DevicesFeature } from '../../features/devices/wiring';
import { DEMO_CYCLE, raiseAlarmsNowAndThen, startFleet, stopFleet } from './fleet';
import { startDemoMeters, type DemoMetersPorts } from './live-meters-demo';

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
export function deviceSimulatorDemo(
  devices: DevicesFeature,
  /** The demo user, looked up, not signed in: a changed or locked demo password must not stop the BFF. */
  demoUser: () => Promise<{ id: number; name: string; orgId: number } | undefined>,
  /** What the live meter gateway needs to find the demo's meters and where their history ends. */
  meters: DemoMetersPorts,
) {
  let stop: (() => Promise<void>) | undefined;
  return {
    async start(): Promise<string[]> {
      if (!devices.brokerUrl) return ['  设备模拟:            未启动（WD_MQTT_MODE=off）'];
      const user = await demoUser();
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
      const live = await startDemoMeters(meters, fleet[2]!);
      stop = async () => {
        await live.stop();
        clearInterval(timer);
        await stopFleet(fleet);
      };
      return [
        `  模拟设备:            ${DEMO_DEVICES.map((d) => d.uid).join('、')}（演示组织，MQTT ${devices.brokerUrl}）`,
        live.line,
      ];
    },
    async stop(): Promise<void> {
      await stop?.();
      stop = undefined;
    },
  };
}
