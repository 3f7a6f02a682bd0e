/**
 * Device simulator CLI: `npm run simulator -- [options]`. Runs simulated EMS controllers and meter
 * gateways against a broker until Ctrl-C.
 *
 *   --api http://localhost:3000 --user admin --password ...   register (or re-key) devices through the BFF
 *   --count 3 --gateways 1 --prefix sim                          how many, and their uid prefix
 *   --device uid:secret[:ems|gateway]                            run an already registered device (repeatable)
 *   --mqtt mqtt://127.0.0.1:1884                                 broker (default: the BFF's embedded one)
 *   --telemetry-ms 10000 --readings-ms 60000 --meters 12,13      publishing; meter ids for gateways
 *   --faults duplicate=0.01,late=0.01,no_answer=0,refuse=0,disconnect=0   random fault injection
 */
import { parseArgs } from 'node:util';
import type { DeviceKind } from '@wattdesk/shared';
import type { Fault, SimulatedDeviceOptions } from './device';
import { DEMO_CYCLE, raiseAlarmsNowAndThen, startFleet, stopFleet } from './fleet';

const { values } = parseArgs({
  options: {
    api: { type: 'string' },
    user: { type: 'string' },
    password: { type: 'string' },
    count: { type: 'string', default: '2' },
    gateways: { type: 'string', default: '0' },
    prefix: { type: 'string', default: 'sim' },
    device: { type: 'string', multiple: true, default: [] },
    mqtt: { type: 'string', default: `mqtt://127.0.0.1:${process.env.WD_MQTT_PORT ?? 1884}` },
    'telemetry-ms': { type: 'string', default: '10000' },
    'readings-ms': { type: 'string', default: '60000' },
    meters: { type: 'string', default: '' },
    faults: { type: 'string', default: '' },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function call(path: string, init: RequestInit & { token?: string }): Promise<Record<string, unknown>> {
  const res = await fetch(`${values.api}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
  });
  return { status: res.status, ...((await res.json()) as Record<string, unknown>) };
}

/** Registers `{prefix}-ems-N` / `{prefix}-gw-N` in the user's organization, re-keying ones that exist. */
async function registerThroughApi(): Promise<Array<{ uid: string; secret: string; kind: DeviceKind }>> {
  if (!values.user || !values.password) fail('--api 需要 --user 和 --password');
  const login = await call('/api/auth', {
    method: 'POST',
    body: JSON.stringify({ Usr_Name: values.user, Usr_Password: values.password }),
  });
  const token = (login.Data as Array<{ Usr_Token: string }> | undefined)?.[0]?.Usr_Token;
  if (!token) fail(`登录失败: ${String(login.Err_Msg)}`);
  const wanted: Array<{ uid: string; kind: DeviceKind }> = [
    ...Array.from({ length: Number(values.count) }, (_, i) => ({
      uid: `${values.prefix}-ems-${i + 1}`,
      kind: 'ems' as const,
    })),
    ...Array.from({ length: Number(values.gateways) }, (_, i) => ({
      uid: `${values.prefix}-gw-${i + 1}`,
      kind: 'gateway' as const,
    })),
  ];
  const out = [];
  for (const w of wanted) {
    let res = await call('/wad/ems/v1/api/devices', {
      method: 'POST',
      token,
      body: JSON.stringify({ device_uid: w.uid, name: `模拟 ${w.uid}`, kind: w.kind, site: '模拟站点' }),
    });
    if (res.status === 409)
      res = await call('/wad/ems/v1/api/devices/secret', {
        method: 'POST',
        token,
        body: JSON.stringify({ device_uid: w.uid }),
      });
    const secret = (res.data as { secret?: string } | undefined)?.secret;
    if (!secret) fail(`登记 ${w.uid} 失败: ${String(res.message)}`);
    out.push({ ...w, secret });
  }
  return out;
}

function parseFaults(spec: string): Partial<Record<Fault, number>> | undefined {
  if (!spec) return undefined;
  const out: Partial<Record<Fault, number>> = {};
  for (const part of spec.split(',')) {
    const [name, p] = part.split('=');
    if (!['no_answer', 'late', 'duplicate', 'disconnect', 'refuse'].includes(name!) || !(Number(p) >= 0))
      fail(`--faults: 无法理解 "${part}"`);
    out[name as Fault] = Number(p);
  }
  return out;
}

async function main(): Promise<void> {
  const listed = values.device.map((d) => {
    const [uid, secret, kind = 'ems'] = d.split(':');
    if (!uid || !secret || !['ems', 'gateway'].includes(kind))
      fail(`--device 格式为 uid:secret[:ems|gateway]: ${d}`);
    return { uid, secret, kind: kind as DeviceKind };
  });
  const devices = [...listed, ...(values.api ? await registerThroughApi() : [])];
  if (!devices.length) fail('没有设备：用 --api ... 登记，或用 --device uid:secret 指定');
  const meters = values.meters ? values.meters.split(',').map((m) => ({ meter: Number(m), kw: 50 })) : [];
  const specs: SimulatedDeviceOptions[] = devices.map((d) => ({
    url: values.mqtt,
    uid: d.uid,
    secret: d.secret,
    kind: d.kind,
    cycle: DEMO_CYCLE,
    meters,
    telemetryEveryMs: Number(values['telemetry-ms']),
    readingsEveryMs: Number(values['readings-ms']),
    randomFaults: parseFaults(values.faults),
  }));
  const fleet = await startFleet(specs);
  const timers = fleet
    .filter((d) => specs.find((s) => s.uid === d.uid)?.kind === 'ems')
    .map((d) => raiseAlarmsNowAndThen(d));
  process.stdout.write(
    `模拟设备已连接 ${values.mqtt}:\n${devices.map((d) => `  ${d.uid} (${d.kind})`).join('\n')}\n按 Ctrl-C 停止。\n`,
  );
  const stop = async () => {
    timers.forEach(clearInterval);
    await stopFleet(fleet);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => fail(`模拟器启动失败: ${(err as Error).message}`));
