import net from 'node:net';
import type { Locator, Page } from 'playwright-core';
import type { TestApp } from '../support/app';
import { eventually, startDeviceApp, unique } from '../support/devices';
import { SimulatedDevice } from '../../bff/src/fakes/devices/device';
import { h5Built, launchChromium, snap } from './browser';

// Issue 10's "done when": a newly registered organization, from the phone alone, adds a machine, a meter,
// an electricity rate and a gateway device, and sees its first numbers once the gateway (connecting with
// the secret the phone showed once) publishes readings over MQTT. H5 build (375 × 740), real BFF with its
// embedded broker. Waits are for elements or responses only; limits are generous (the machine is loaded).
jest.setTimeout(240_000);
const WAIT = 45_000;
const API = '/wad/ems/v1/api';
const DAY = 86_400_000;
const RATE = 0.8;

let app: TestApp;
let base: string;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
const sims: SimulatedDevice[] = [];

/** A port free right now (the embedded broker gets a fixed one, so the address the phone shows is real). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '0.0.0.0', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  if (!h5Built()) throw new Error('miniapp/dist/h5 is missing: run npm run build:h5 -w miniapp first');
  const port = String(await freePort());
  app = await startDeviceApp('embedded', { env: { TRUST_PROXY: 'false', WD_MQTT_PORT: port } });
  base = await app.listen();
  chrome = await launchChromium();
}, 90_000);

afterAll(async () => {
  for (const s of sims) await s.stop();
  await chrome?.close();
  await app?.close();
});

/** Taro H5 keeps the pages below the top one in the DOM (hidden): only what is on screen counts. */
const shown = (l: Locator) => l.filter({ visible: true }).last();
const button = (page: Page, text: string | RegExp) =>
  shown(page.locator('#app .nut-button', { hasText: text }));
const input = (page: Page, testId: string) => shown(page.getByTestId(testId)).locator('input');

/** Plain reference formatting (ICU, which the product does not use): "1,234.50 kWh" / "12.00 元". */
const fixed2 = (n: number) =>
  n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Midnight of today in China time (a new organization's default zone, days from 00:00). */
function chinaMidnight(now: number): number {
  const offset = 8 * 3_600_000;
  return Math.floor((now + offset) / DAY) * DAY - offset;
}

test('a new organization registers on the phone, sets up machine, meter, rate and gateway, and sees its first kWh and 元', async () => {
  const page = await chrome.browser.newPage({ viewport: { width: 375, height: 740 } });
  page.setDefaultTimeout(WAIT);
  const name = unique('org').replace('-', '_');
  const password = 'onboard-pass-1';

  // 1. Sign-in page → 注册新组织 → the registration form; registering signs in and opens the setup path.
  await page.goto(`${base}/pages/login/index`);
  await page.getByText('注册新组织').click();
  await page.waitForURL(/pkg-account\/register/);
  await input(page, 'reg-name').fill(name);
  await input(page, 'reg-password').fill(password);
  await input(page, 'reg-confirm').fill(password);
  await input(page, 'reg-email').fill(`${name}@example.com`);
  await input(page, 'reg-company').fill('新能科技');
  await snap(page, 'onboard-register');
  await button(page, '注册并登录').click();
  await page.waitForURL(/pkg-setup\/index/);
  await shown(page.getByTestId('setup-step-setupMachine')).getByText('未开始').waitFor();
  await snap(page, 'onboard-setup-empty');

  // 2a. A machine in a new department.
  await button(page, '添加机器').click();
  await page.waitForURL(/pkg-setup\/machine/);
  await input(page, 'machine-name').fill('空压机 1#');
  await shown(page.getByPlaceholder('新部门名称，例如 动力车间')).fill('动力车间');
  await button(page, /^添加机器$/).click();
  expect(await shown(page.getByTestId('machine-added')).innerText()).toBe(
    '已添加机器“空压机 1#”（动力车间）',
  );

  // 2b. An electricity meter on it.
  await button(page, '下一步：添加仪表').click();
  await page.waitForURL(/pkg-setup\/meter/);
  await input(page, 'meter-name').fill('空压机 1# 电表');
  await shown(page.getByText('空压机 1#（动力车间）')).click();
  const meterPosted = page.waitForResponse(
    (r) => r.request().method() === 'POST' && r.url().includes('/api_3/meters'),
  );
  await button(page, /^添加仪表$/).click();
  expect((await meterPosted).ok()).toBe(true);
  expect(await shown(page.getByTestId('meter-added')).innerText()).toBe('已添加电表“空压机 1# 电表”');
  await snap(page, 'onboard-meter');

  // 2c. A metering gateway: its secret is shown once, with the broker address to connect to.
  await button(page, '下一步：登记设备').click();
  await page.waitForURL(/pkg-setup\/device/);
  await shown(page.getByText('计量网关')).click();
  const uid = unique('gw');
  await input(page, 'device-uid').fill(uid);
  await input(page, 'device-name').fill('一号厂房计量网关');
  await button(page, '登记并生成密钥').click();
  const secretCard = shown(page.getByTestId('device-secret'));
  await secretCard.getByText('密钥只显示这一次', { exact: false }).waitFor();
  const secret = (await secretCard.getByTestId('device-secret-value').innerText()).trim();
  const broker = (await secretCard.getByTestId('device-broker').innerText()).trim();
  expect(secret.length).toBeGreaterThanOrEqual(32);
  // The address a device on the plant network is given: this BFF's host and the broker's real port.
  expect(broker).toBe(`mqtt://localhost:${new URL(app.deps.devices.brokerUrl!).port}`);
  await snap(page, 'onboard-device-secret');

  // 2d. Back on the setup path: the electricity rate (a flat price).
  await page.goto(`${base}/pkg-setup/index/index`);
  await shown(page.getByTestId('setup-step-setupDevice')).getByText('已有 1 台设备').waitFor();
  await button(page, '设置费率').click();
  await page.waitForURL(/pkg-energy\/rates/);
  const card = shown(page.getByTestId('rate-0'));
  await card.getByTestId('rate-summary').getByText('未配置费率').waitFor();
  await card.locator('.nut-button', { hasText: '设置费率' }).click();
  await card.getByTestId('flat-price').locator('input').fill(String(RATE));
  await card.locator('.nut-button', { hasText: '保存' }).click();
  expect(await shown(page.getByTestId('rate-notice')).innerText()).toBe(
    '电费率已保存，费用已按新费率重新计算',
  );
  await snap(page, 'onboard-rate');

  // 3. The gateway connects with what the phone showed and publishes readings for the new meter.
  const login = await app.http.post('/api/auth').send({ Usr_Name: name, Usr_Password: password }).expect(200);
  const auth = { Authorization: `Bearer ${login.body.Data[0].Usr_Token as string}` };
  const meters = (await app.http.get('/api_3/meters').set(auth).expect(200)).body.Data as {
    id: number;
    Meter_Name: string;
    Meter_IsCount: string;
  }[];
  // Counted in the figures (the form's default; the seed's own default '0' would hide it everywhere).
  expect(meters.map((m) => [m.Meter_Name, m.Meter_IsCount])).toEqual([['空压机 1# 电表', '1']]);
  const meter = meters[0]!.id;
  const sim = new SimulatedDevice({
    url: broker,
    uid,
    secret,
    kind: 'gateway',
    topicRoot: app.deps.devices.topicRoot,
  });
  await sim.start();
  sims.push(sim);
  // Four readings today (China time), 5 minutes apart: registers 200, 203.5, 207.25, 212.5 → 12.5 kWh.
  // (In the first 15 minutes after midnight China time the last ones would lie in the future.)
  const now = Date.now();
  const t0 = Math.max(chinaMidnight(now), now - 3_600_000);
  const totals = [200, 203.5, 207.25, 212.5];
  await sim.publishBatch({
    readings: totals.map((total, i) => ({
      meter,
      ts: t0 + i * 5 * 60_000,
      total,
      params: { P: 40, PF: 0.95 },
    })),
  });
  const batch = await eventually(async () => {
    const res = await app.http.get(`${API}/gateways/detail`).query({ device_uid: uid }).set(auth);
    return res.body.data?.last_batch as { accepted: number; refused: number } | undefined;
  }, WAIT);
  expect(batch).toMatchObject({ accepted: 4, refused: 0 });

  // The first numbers, on home and on the energy detail: kWh as sent, 元 = kWh × the rate set above.
  const kwh = totals.at(-1)! - totals[0]!;
  await page.goto(`${base}/pages/home/index`);
  const today = shown(page.getByTestId('today-figures-type-0'));
  await today.getByTestId('amount').waitFor();
  expect(await today.getByTestId('amount').innerText()).toBe(`${fixed2(kwh)} kWh`);
  expect(await today.getByTestId('cost').innerText()).toContain(`${fixed2(kwh * RATE)} 元`);
  await snap(page, 'onboard-home');

  await page.goto(`${base}/pkg-energy/detail/index?by=machine`);
  const group = shown(page.getByTestId('energy-group'));
  await group.waitFor();
  expect(await group.innerText()).toContain('空压机 1#');
  expect(await group.getByTestId('group-amount').innerText()).toBe(`${fixed2(kwh)} kWh`);
  expect(await group.getByTestId('group-cost').innerText()).toBe(`${fixed2(kwh * RATE)} 元`);
  await snap(page, 'onboard-energy-detail');
  await page.close();
});
