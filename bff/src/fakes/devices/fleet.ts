import { SimulatedDevice, type SimulatedDeviceOptions } from './device';
import type { Phase } from './bms';

/** The load cycle demo BMSs follow: idle, charge, idle, discharge (minutes). */
export const DEMO_CYCLE: Phase[] = [
  { ms: 2 * 60_000, flow: 'idle' },
  { ms: 5 * 60_000, flow: 'charge' },
  { ms: 2 * 60_000, flow: 'idle' },
  { ms: 5 * 60_000, flow: 'discharge' },
];

/** Starts devices in small parallel groups (a thousand connects at once would queue in the broker). */
export async function startFleet(specs: SimulatedDeviceOptions[], parallel = 50): Promise<SimulatedDevice[]> {
  const devices = specs.map((s) => new SimulatedDevice(s));
  for (let i = 0; i < devices.length; i += parallel) {
    await Promise.all(devices.slice(i, i + parallel).map((d) => d.start()));
  }
  return devices;
}

/** Stops every device of a fleet. */
export async function stopFleet(devices: SimulatedDevice[]): Promise<void> {
  await Promise.all(devices.map((d) => d.stop()));
}

/** Raises a resettable alarm now and then, so a fault reset always has something to clear in a demo. */
export function raiseAlarmsNowAndThen(device: SimulatedDevice, everyMs = 5 * 60_000): NodeJS.Timeout {
  const raise = () => {
    if (device.bms.status(Date.now()).alarm_status === 0)
      device.bms.raise({ code: 'cell_overtemp', resettable: true });
  };
  raise();
  const t = setInterval(raise, everyMs);
  t.unref();
  return t;
}
