import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { ManualClock } from '../../bff/src/infra/clock';
import { DEMO_PASSWORD, DEMO_USER, demoDataPartWith } from '../../bff/src/demo/demo-data';
import {
  DEMO_OPERATOR_ID,
  DEMO_OPERATOR_SECRET,
  FakeChargingOperator,
} from '../../bff/src/fakes/charging-operator/simulator';
import type { PaymentsApi } from '../../bff/src/features/payments/feature';
import { h5Built, launchChromium, snap } from './browser';
import { signInH5 } from './h5-session';

// Issue 11 items 4–6 in the H5 build (375 × 740), from the demo start: the demo organization, the fake
// WeChat, the demo charging operator and the fake WeChat Pay as demo mode starts them. The simulated
// operator (fakes/charging-operator, the demo's own, pointed at this listener) speaks the signed seed 004
// API on the app's clock, which the test moves: its connector DEMO-C-01 is 1 空闲 for two minutes of each
// six, then 3 充电中, then it submits the session's record, which becomes a bill a driver pays against the
// fake WeChat Pay (its control endpoint plays the payer).
jest.setTimeout(180_000);

const WAIT = 40_000;
const CELL = 'DEMO-C-01';
const MINUTE = 60_000;

let app: TestApp;
let base: string;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let operator: FakeChargingOperator;
/** The app's clock; starts at the beginning of a cycle of DEMO-C-01 within 6 minutes of real time. */
const cycleStart = Math.floor(Date.now() / (6 * MINUTE)) * 6 * MINUTE;
const clock = new ManualClock(new Date(cycleStart));

beforeAll(async () => {
  if (!h5Built()) throw new Error('miniapp/dist/h5 is missing: run npm run build:h5 -w miniapp first');
  app = await startTestApp({ env: { WD_DEMO: 'true', TRUST_PROXY: 'false' }, clock });
  // The demo organization (login demo / demo-2026), small: its readings are not what this is about.
  await demoDataPartWith({ days: 1, steelIntervals: 8, user: DEMO_USER }).start(app.container);
  // Demo mode's hooks: the fake WeChat, the demo charging operator, the fake WeChat Pay.
  await app.platform.registry.demo(['wechat', 'charging', 'payments']);
  base = await app.listen();
  const pay = (app.platform.registry.api as (n: string) => PaymentsApi)('payments').demoFake()!;
  // The fake notifies this listener (the demo's notify_url is the configured public URL).
  pay.state.redirectNotify = base;
  operator = new FakeChargingOperator({
    baseUrl: base,
    operatorId: DEMO_OPERATOR_ID,
    secret: DEMO_OPERATOR_SECRET,
    timeZone: 'Asia/Shanghai',
    now: () => clock.now(),
  });
  chrome = await launchChromium();
}, 120_000);

afterAll(async () => {
  await chrome?.close();
  await app?.close();
});

/** One tick of the simulated operator at `offsetMin` minutes into the cycle, delivered to every consumer. */
async function tickAt(offsetMin: number): Promise<void> {
  clock.set(new Date(cycleStart + offsetMin * MINUTE));
  await operator.tick();
  await app.platform.settle();
}

const connector = (page: Page) =>
  page.locator(`[data-testid="charging-connector"][data-connector="${CELL}"]`);

test('the charging page shows the demo station and a connector going from 1 空闲 to 3 充电中 as the operator reports it', async () => {
  await tickAt(0);
  const page = await signInH5(chrome.browser, base, { name: DEMO_USER, password: DEMO_PASSWORD } as never);
  page.setDefaultTimeout(WAIT);
  // From the home page's 充电 entry.
  await page.goto(`${base}/pages/home/index`);
  await page.locator('#app .nut-button', { hasText: /^充电$/ }).click();
  await page.waitForURL(/pkg-charging\/index\/index/);
  await connector(page).waitFor();
  const station = page.locator('[data-testid="charging-station"]', { has: connector(page) });
  expect(await station.locator('.card-title').innerText()).toBe('演示厂区充电站');
  expect(await station.getByTestId('station-counts').innerText()).toContain('共 4 个充电枪');
  expect(await connector(page).getAttribute('data-status')).toBe('1');
  expect(await connector(page).getByTestId('connector-status').innerText()).toContain('空闲');
  await snap(page, 'charging-idle');

  // Two minutes on, the operator reports the connector charging; the open page picks it up by itself.
  await tickAt(2);
  await page.waitForSelector(
    `[data-testid="charging-connector"][data-connector="${CELL}"][data-status="3"]`,
    {
      timeout: WAIT,
    },
  );
  const charging = connector(page);
  expect(await charging.getByTestId('connector-status').innerText()).toContain('充电中');
  expect(await charging.getByTestId('connector-power').innerText()).toBe('功率 48.00 kW');
  expect(await charging.getByTestId('connector-soc').innerText()).toBe('SOC 20%');
  expect(await station.getByTestId('count-3').innerText()).toMatch(/充电中\s*1 个/);
  await snap(page, 'charging-charging');
  await page.close();
});

test('a driver finds the finished session’s bill by the connector’s code, pays it against the fake WeChat Pay and sees 已支付', async () => {
  // The session ends at minute 5: the operator submits its record, which becomes the bill.
  await tickAt(5);
  // WeChat Pay signs with the real time; the app checks it on its own clock: bring the clock back to now.
  clock.set(new Date());
  const page = await chrome.browser.newPage({ viewport: { width: 375, height: 740 } });
  page.setDefaultTimeout(WAIT);
  await page.goto(`${base}/pages/login/index`);
  await page.getByTestId('driver-link').click();
  await page.waitForURL(/pkg-charging\/driver\/index/);
  await page.getByTestId('driver-find').waitFor();
  await page.locator('input[placeholder^="二维码下方印的编码"]').fill(`WDPAY:${DEMO_OPERATOR_ID}:${CELL}`);
  await page.locator('#app .nut-button', { hasText: '查找账单' }).click();
  const bill = page.getByTestId('bill');
  await bill.waitFor();
  // 48 kW for 3 minutes = 2.40 kWh; 0.8 + 0.4 元/kWh = 1.92 + 0.96 = 2.88 元.
  expect(await bill.getByTestId('bill-kwh').innerText()).toBe('2.40 kWh');
  expect(await bill.getByTestId('bill-money').innerText()).toBe('2.88 元');
  expect(await bill.getByTestId('bill-state').innerText()).toBe('待支付');
  await snap(page, 'charging-bill');
  await page.locator('#app .nut-button', { hasText: '微信支付 2.88 元' }).click();
  await page.getByText('确认支付', { exact: true }).click();
  // 已支付 only once the backend says so (after the fake's notification reached it); a failure says why.
  const outcome = page.locator('[data-testid="pay-paid"], [data-testid="pay-error"]').first();
  await outcome.waitFor({ timeout: WAIT });
  expect(await outcome.innerText()).toMatch(/^已支付 2\.88 元/);
  expect(await bill.getByTestId('bill-state').innerText()).toBe('已支付');
  await snap(page, 'charging-paid');
  await page.close();
});
