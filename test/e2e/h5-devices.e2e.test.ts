import type { Page } from 'playwright-core';
import type { TestApp } from '../support/app';
import { buildOrg, type TestUser } from '../support/builders';
import { registerDevice, startDeviceApp, startSimulator } from '../support/devices';
import type { SimulatedDevice } from '../../bff/src/fakes/devices/device';
import { h5Built, launchChromium, snap } from './browser';

// The device page of the H5 build against the real BFF, its embedded broker and the device simulator.
// Every wait is for an element or a response (never a fixed sleep); the limits are generous because the
// machine running it may be loaded (a run once took longer than the default 30 s test timeout).
jest.setTimeout(120_000);
const WAIT = 45_000;
let app: TestApp;
let admin: TestUser;
let base: string;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
const sims: SimulatedDevice[] = [];

beforeAll(async () => {
  if (!h5Built()) throw new Error('miniapp/dist/h5 is missing: run npm run build:h5 -w miniapp first');
  app = await startDeviceApp('embedded', { env: { DEVICE_RPC_TIMEOUT_MS: '3000', TRUST_PROXY: 'false' } });
  admin = await buildOrg(app);
  base = await app.listen();
  chrome = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const s of sims) await s.stop();
  await chrome?.close();
  await app?.close();
});

async function device(opts: Parameters<typeof startSimulator>[3] = {}) {
  const reg = await registerDevice(app, admin);
  const sim = await startSimulator(app, admin, reg, opts);
  sims.push(sim);
  return { ...reg, sim };
}

/** The answer to a BMS sync (同步状态). */
const bmsSync = (page: Page) =>
  page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/bms-control/sync'), {
    timeout: WAIT,
  });

/** Signs in through the page, then opens the device page and waits for its BMS state to be shown. */
async function openDevice(uid: string): Promise<Page> {
  const page = await chrome.browser.newPage({ viewport: { width: 390, height: 844 } });
  page.setDefaultTimeout(WAIT);
  await page.goto(`${base}/pages/login/index`);
  await page.locator('input[placeholder="请输入用户名"]').fill(admin.name);
  await page.locator('input[placeholder="请输入密码"]').fill(admin.password);
  await page.locator('#app .nut-button', { hasText: /^登录$/ }).click();
  await page.waitForURL(/bind|home/, { timeout: WAIT });
  await page.goto(`${base}/pkg-device/detail/index?uid=${encodeURIComponent(uid)}`);
  await page.getByText('在线').first().waitFor({ timeout: WAIT });
  await page.getByTestId('bms-alarms').waitFor({ timeout: WAIT });
  return page;
}

const button = (page: Page, text: string) => page.locator('#app .nut-button', { hasText: text });
/** A button once the page enabled it (controls stay disabled while the state loads). */
const enabled = (page: Page, text: string) =>
  page.locator('#app .nut-button:not(.nut-button-disabled)', { hasText: text });

test('fault reset of a faulted BMS is confirmed, clears the alarms, and the read-back shows it', async () => {
  const { uid, sim } = await device();
  sim.bms.raise({ code: 'cell_overvoltage', resettable: true });
  sim.bms.raise({ code: 'insulation', resettable: true });
  const page = await openDevice(uid);
  const synced = bmsSync(page);
  await enabled(page, '同步状态').click();
  await synced;
  await page.getByTestId('bms-alarms').filter({ hasText: '2' }).waitFor({ timeout: WAIT });
  await snap(page, 'device-faulted');

  await enabled(page, '故障复位').click();
  // The sheet says it in words; the exact request is behind 详情.
  expect(await page.getByTestId('confirm-device').innerText()).toContain(uid);
  expect(await page.getByTestId('confirm-action').innerText()).toContain('故障复位');
  await page.getByTestId('confirm-detail-toggle').click();
  const sheet = page.getByTestId('confirm-request');
  await sheet.waitFor();
  expect(await sheet.innerText()).toContain('POST /wad/ems/v1/api/bms-control');
  expect(await sheet.innerText()).toContain('"command": 1');
  await snap(page, 'device-confirm-reset');
  await button(page, '确认发送').click();

  const outcome = page.getByTestId('command-outcome');
  await outcome.getByText('故障已清除').waitFor({ timeout: WAIT });
  await page.getByTestId('command-readback').getByText('无报警').waitFor();
  await page
    .getByTestId('bms-alarms')
    .filter({ hasText: /^0 个$/ })
    .waitFor();
  await snap(page, 'device-reset-done');
  expect(sim.bms.status(Date.now()).alarm_status).toBe(0);
  await page.close();
});

test('while the battery discharges, opening the contactor is not offered, and the page says why', async () => {
  const { uid, sim } = await device({ cycle: [{ ms: 3_600_000, flow: 'discharge' }] });
  const page = await openDevice(uid);
  await page.getByTestId('control-reasons').getByText('电池正在充放电，停止后才能断开').waitFor();
  // NutUI draws a disabled button with its disabled class (H5 renders it as a styled element).
  expect(await button(page, '接触器断开').getAttribute('class')).toContain('nut-button-disabled');
  expect(await button(page, '故障复位').getAttribute('class')).toContain('nut-button-disabled'); // no alarms
  await snap(page, 'device-open-not-offered');
  expect(sim.bms.status(Date.now()).operating_status).toBe(4); // still closed and discharging
  expect(sim.received.filter((r) => r.method === 'bms.command')).toHaveLength(0);
  await page.close();
});

test('tapping confirm twice in a row sends the command once', async () => {
  const { uid, sim } = await device();
  sim.bms.raise({ code: 'cell_overvoltage', resettable: true });
  const page = await openDevice(uid);
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/bms-control'))
      posts.push(r.headers()['idempotency-key'] ?? '');
  });
  await page.getByTestId('bms-alarms').filter({ hasText: '1' }).waitFor({ timeout: WAIT });
  await enabled(page, '故障复位').click();
  const confirm = button(page, '确认发送');
  await confirm.waitFor();
  await confirm.dblclick();
  await page.getByTestId('command-outcome').getByText('故障已清除').waitFor({ timeout: WAIT });
  await snap(page, 'device-double-tap');
  expect(posts).toHaveLength(1);
  expect(posts[0]).toMatch(/^mp-/);
  const executed = sim.received.filter((r) => r.method === 'bms.command');
  expect(executed).toHaveLength(1);
  await page.close();
});
