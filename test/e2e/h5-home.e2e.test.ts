import type { TestApp } from '../support/app';
import { startTestApp } from '../support/app';
import { buildOrg, type TestUser } from '../support/builders';
import { buildMeter, postReadings } from '../support/metering/builders';
import { h5Built, launchChromium, snap } from './browser';
import { failWith503, signInH5 } from './h5-session';

// Home and energy detail of the H5 build (375 × 740) against the real BFF's energy queries.
jest.setTimeout(120_000);

let app: TestApp;
let base: string;
let chrome: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  if (!h5Built()) throw new Error('miniapp/dist/h5 is missing: run npm run build:h5 -w miniapp first');
  app = await startTestApp({ env: { TRUST_PROXY: 'false' } });
  base = await app.listen();
  chrome = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chrome?.close();
  await app?.close();
});

const QUARTER = 15 * 60_000;
const DAY = 86_400_000;
/** Plain reference formatting (ICU, which the product does not use): "1,234.50 kWh". */
const kwh = (n: number) =>
  `${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} kWh`;

const signIn = (user: TestUser) => signInH5(chrome.browser, base, user);

/** Midnight of today in China time (the new organization's default zone, days from 00:00). */
function chinaMidnight(now: number): number {
  const offset = 8 * 3_600_000;
  return Math.floor((now + offset) / DAY) * DAY - offset;
}

test('home compares today so far with yesterday up to the same time (not all of yesterday), with cost', async () => {
  const user = await buildOrg(app);
  const meter = await buildMeter(app, user, {
    type: 0,
    body: { Meter_IsTotal: '1', Meter_Parameter: 'P,PF' },
  });
  await app.http
    .post('/api_3/rate')
    .set(user.auth)
    .send({ Rate_Name: '电价', Rate_Type: '0', isSegmentation: '1', Rate_Value: '0.8', Rate_Unit: '元/kWh' })
    .expect(200);
  const now = Date.now();
  const today = chinaMidnight(now);
  const yesterday = today - DAY;
  // Yesterday: 10 kWh every quarter hour all day; today: 12 kWh every quarter hour up to now.
  const readings: { meter: number; ts: number; total: number; params: Record<string, number> }[] = [];
  let total = 1000;
  for (let ts = yesterday - QUARTER; ts <= today; ts += QUARTER) {
    if (ts > yesterday - QUARTER) total += 10;
    readings.push({ meter: meter.id, ts, total, params: { P: 40, PF: 0.95 } });
  }
  let steps = 0;
  for (let ts = today + QUARTER; ts <= now; ts += QUARTER, steps++) {
    total += 12;
    readings.push({ meter: meter.id, ts, total, params: { P: 48 + steps, PF: 0.93 } });
  }
  expect((await postReadings(app, user, readings)).Rejected).toBe(0);

  const page = await signIn(user);
  await page.goto(`${base}/pages/home/index`);
  await page.getByTestId('live-power').waitFor({ timeout: 20_000 });
  await page.getByTestId('trend-chart').waitFor({ timeout: 20_000 });
  await snap(page, 'home-loaded');
  if (steps === 0) {
    // Just after midnight: nothing today yet, and home says so.
    expect(await page.getByTestId('today-latest').innerText()).toBe('今日尚无读数');
  } else {
    const row = page.getByTestId('today-figures-type-0');
    expect(await row.getByTestId('amount').innerText()).toBe(kwh(12 * steps));
    // Yesterday up to the same quarter hour: `steps` quarters of 10 kWh, not the whole day's 960.
    expect(await row.getByTestId('previous').innerText()).toBe(`昨日同期 ${kwh(10 * steps)} · +20.0%`);
    expect(await row.getByTestId('cost').innerText()).toContain(
      `${(12 * steps * 0.8).toLocaleString('en-US', { minimumFractionDigits: 2 })} 元`,
    );
    expect(await page.getByTestId('today-latest').innerText()).toMatch(/^最新读数 \d\d-\d\d \d\d:\d\d$/);
    expect(await page.getByTestId('live-pf').innerText()).toContain('0.93');
  }
  await page.close();
});

test('home of a new organization: each card says it has nothing; a failed call fails only its card', async () => {
  const user = await buildOrg(app);
  const page = await signIn(user);
  await page.goto(`${base}/pages/home/index`);
  await page.getByTestId('today-empty').waitFor({ timeout: 20_000 });
  expect(await page.getByTestId('today-empty').innerText()).toBe('今日暂无能耗数据');
  await snap(page, 'home-empty');

  await failWith503(page, '**/api_3/meters*');
  await page.reload();
  await page.getByTestId('live-error').waitFor({ timeout: 20_000 });
  expect(await page.getByTestId('today-empty').innerText()).toBe('今日暂无能耗数据');
  await snap(page, 'home-error');
  await page.unroute('**/api_3/meters*');
  await page.getByTestId('live-error').getByText('重试').click({ force: true });
  await page.getByTestId('live-empty').waitFor({ timeout: 20_000 });
  await page.close();
});

test('energy detail: loaded, empty and error states', async () => {
  const user = await buildOrg(app);
  const meter = await buildMeter(app, user, { type: 0 });
  const now = Date.now();
  const today = chinaMidnight(now);
  // Four readings earlier today (15 kWh), so this month and today have them.
  const t0 = Math.max(today, now - 2 * 3_600_000);
  const readings = [0, 1, 2, 3].map((i) => ({ meter: meter.id, ts: t0 + i * QUARTER, total: 100 + i * 5 }));
  expect((await postReadings(app, user, readings)).Rejected).toBe(0);
  const page = await signIn(user);
  await page.goto(`${base}/pkg-energy/detail/index?by=machine`);
  await page.getByTestId('energy-group').first().waitFor({ timeout: 20_000 });
  expect(await page.getByTestId('group-amount').first().innerText()).toBe(kwh(15));
  await snap(page, 'energy-detail-loaded');
  await page.getByText('上一期').click({ force: true });
  await page.getByTestId('state-empty').waitFor({ timeout: 20_000 });
  await snap(page, 'energy-detail-empty');
  await failWith503(page, '**/api_3/allenergy*');
  await page.getByText('下一期').click({ force: true });
  await page.getByTestId('state-error').waitFor({ timeout: 20_000 });
  await snap(page, 'energy-detail-error');
  await page.close();
});
