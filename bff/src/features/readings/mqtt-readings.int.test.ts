import mqtt from 'mqtt';
import type { TestApp } from '../../../../test/support/app';
import { buildOrg } from '../../../../test/support/builders';
import { eventually, registerDevice, startDeviceApp } from '../../../../test/support/devices';
import { buildMeter } from '../../../../test/support/metering/builders';

let app: TestApp;
beforeAll(async () => {
  app = await startDeviceApp('embedded');
});
afterAll(() => app.close());

it('stores gateway readings published on wd/{uid}/readings through the same ingest, once even when re-sent', async () => {
  const org = await buildOrg(app);
  const m = await buildMeter(app, org);
  const gw = await registerDevice(app, org, 'gateway', '网关 1#');
  const client = await mqtt.connectAsync(app.deps.devices.brokerUrl!, {
    clientId: gw.uid,
    username: gw.uid,
    password: gw.secret,
    reconnectPeriod: 0,
  });
  try {
    const t0 = Date.parse('2024-06-01T00:00:00+08:00');
    const batch = {
      readings: [0, 1, 2].map((i) => ({
        meter: m.id,
        ts: t0 + i * 900_000,
        total: 50 + i * 4,
        params: { UA: 230 },
      })),
    };
    const topic = `${app.deps.devices.topicRoot}/${gw.uid}/readings`;
    await client.publishAsync(topic, JSON.stringify(batch), { qos: 1 });
    await client.publishAsync(topic, JSON.stringify(batch), { qos: 1 }); // a gateway re-sending after a reconnect
    const total = () =>
      app.http
        .get('/api_3/allenergy')
        .set(org.auth)
        .query({
          Time_Type: '2',
          Time_Start: '2024-06-01 00:00:00',
          Time_End: '2024-06-01 23:00:00',
          Amount_Type: '2',
        })
        .then((r) => r.body.Data[0]?.Total_Amount as string | undefined);
    await eventually(async () => (await total()) === '8.00');
    await new Promise((r) => setTimeout(r, 300)); // the second copy has been processed too
    expect(await total()).toBe('8.00');
  } finally {
    await client.endAsync();
  }
});
