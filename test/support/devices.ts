import crypto from 'node:crypto';
import type { DeviceKind } from '@wattdesk/shared';
import type { TestApp } from './app';
import { startTestApp } from './app';
import type { TestUser } from './builders';
import { SimulatedDevice, type SimulatedDeviceOptions } from '../../bff/src/fakes/devices/device';
import type { ContainerOptions } from '../../bff/src/container';

/** This machine's Mosquitto (anonymous allowed): tests isolate themselves by topic root and uids. */
export const MOSQUITTO_URL = process.env.WD_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

/** A unique id fragment for uids, topic roots and instance ids. */
export const unique = (prefix: string) => `${prefix}-${crypto.randomBytes(4).toString('hex')}`;

/**
 * A real app with the device bus on: `embedded` runs aedes in-process on an ephemeral port (its
 * sessions in Redis), `mosquitto` connects to this machine's broker under a topic root of its own.
 */
export async function startDeviceApp(
  broker: 'embedded' | 'mosquitto',
  opts: { env?: Record<string, string>; topicRoot?: string; instanceId?: string } & ContainerOptions = {},
): Promise<TestApp> {
  const env: Record<string, string> =
    broker === 'embedded'
      ? { WD_MQTT_MODE: 'embedded', WD_MQTT_PORT: '0' }
      : { WD_MQTT_MODE: 'external', MQTT_URL: MOSQUITTO_URL };
  return startTestApp({
    ...opts,
    env: { DEVICE_RPC_TIMEOUT_MS: '1500', ...env, ...opts.env },
    devices: {
      topicRoot: opts.topicRoot ?? (broker === 'mosquitto' ? unique('wdt') : 'wd'),
      instanceId: opts.instanceId ?? unique('test'),
    },
  });
}

/** Registers a device through the API; returns its uid and the secret shown once. */
export async function registerDevice(
  app: TestApp,
  admin: TestUser,
  kind: DeviceKind = 'ems',
  name = 'BMS 1#',
): Promise<{ uid: string; secret: string }> {
  const uid = unique(kind);
  const res = await app.http
    .post('/wad/ems/v1/api/devices')
    .set(admin.auth)
    .send({ device_uid: uid, name, kind, site: '一号厂房' })
    .expect(200);
  return { uid, secret: res.body.data.secret as string };
}

/** Polls until `check` holds (real components answer asynchronously); fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts a simulated device on the app's broker and waits until the registry shows it online. */
export async function startSimulator(
  app: TestApp,
  admin: TestUser,
  device: { uid: string; secret: string },
  opts: Partial<SimulatedDeviceOptions> = {},
): Promise<SimulatedDevice> {
  const sim = new SimulatedDevice({
    url: app.deps.devices.brokerUrl!,
    uid: device.uid,
    secret: device.secret,
    kind: 'ems',
    topicRoot: app.deps.devices.topicRoot,
    lateMs: 150,
    ...opts,
  });
  await sim.start();
  await eventually(async () => {
    const res = await app.http
      .get('/wad/ems/v1/api/devices/detail')
      .query({ device_uid: device.uid })
      .set(admin.auth);
    return res.body.data?.online === true;
  });
  return sim;
}
