import type { TestApp } from '../support/app';
import { startTestApp } from '../support/app';
import { buildOrg, type TestUser } from '../support/builders';
import { buildMeter, postReadings } from '../support/metering/builders';
import { dayPeriod, monthPeriod, ruleOf, wallClock } from '../../miniapp/src/domain/periods';
import { h5Built, launchChromium, snap } from './browser';

// The home page of the H5 build against the real BFF's energy queries.
let app: TestApp;
let user: TestUser;
let base: string;
let chrome: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  if (!h5Built()) throw new Error('miniapp/dist/h5 is missing: run npm run build:h5 -w miniapp first');
  app = await startTestApp({ env: { TRUST_PROXY: 'false' } });
  user = await buildOrg(app);
  base = await app.listen();
  chrome = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chrome?.close();
  await app?.close();
});

async function allEnergy(timeType: 2 | 3, period: { start: string; end: string }) {
  const res = await app.http
    .get('/api_3/allenergy')
    .set(user.auth)
    .query({ Time_Type: timeType, Time_Start: period.start, Time_End: period.end, Amount_Type: 1 })
    .expect(200);
  return res.body.Data as { Ene_Type: string; Total_Amount: string; Total_Cost?: string }[];
}

test("home shows today's and this month's amounts by energy type exactly as the API answers them", async () => {
  const power = await buildMeter(app, user, { type: 0 });
  const water = await buildMeter(app, user, { type: 1 });
  const now = Date.now();
  const at = (minAgo: number) => now - minAgo * 60_000;
  const r = await postReadings(app, user, [
    { meter: power.id, ts: at(40), total: 1000 },
    { meter: power.id, ts: at(25), total: 1012.25 },
    { meter: power.id, ts: at(10), total: 1030.5 },
    { meter: water.id, ts: at(40), total: 50 },
    { meter: water.id, ts: at(10), total: 53.75 },
  ]);
  expect(r.Rejected).toBe(0);
  // A flat electricity rate, so the page has a cost to show for electricity and none for water.
  await app.http
    .post('/api_3/rate')
    .set(user.auth)
    .send({ Rate_Name: '电价', Rate_Type: '0', isSegmentation: '1', Rate_Value: '0.8', Rate_Unit: '元/kWh' })
    .expect(200);

  // The same periods the page computes, from the site's own settings.
  const settings = (await app.http.get('/api_3/personalise').set(user.auth).expect(200)).body.Data[0];
  const rule = ruleOf(settings);
  const wall = wallClock(new Date(), settings.Time_Zone);
  const today = await allEnergy(3, dayPeriod(rule, wall));
  const month = await allEnergy(2, monthPeriod(rule, wall));
  expect(month.map((m) => m.Ene_Type).sort()).toEqual(['0', '1']);
  expect(month.find((m) => m.Ene_Type === '0')).toMatchObject({ Total_Amount: '30.50', Total_Cost: '24.40' });

  const page = await chrome.browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${base}/pages/login/index`);
  await page.locator('input[placeholder="请输入用户名"]').fill(user.name);
  await page.locator('input[placeholder="请输入密码"]').fill(user.password);
  await page.locator('#app .nut-button', { hasText: /^登录$/ }).click();
  await page.waitForURL(/bind|home/, { timeout: 15_000 });
  await page.goto(`${base}/pages/home/index`);
  await page.getByTestId('month').waitFor({ timeout: 15_000 });
  await page.getByTestId('trend-chart').waitFor();
  await snap(page, 'home');

  for (const [testId, rows] of [
    ['today', today],
    ['month', month],
  ] as const) {
    for (const row of rows) {
      const line = page.getByTestId(`${testId}-type-${row.Ene_Type}`);
      expect(await line.getByTestId('amount').innerText()).toBe(row.Total_Amount);
      const cost = await line.getByTestId('cost').innerText();
      if (row.Total_Cost !== undefined) expect(cost).toContain(`¥${row.Total_Cost}`);
      else expect(cost).toBe('未配置费率');
    }
    expect(await page.getByTestId(testId).locator('[data-testid="amount"]').count()).toBe(rows.length);
  }
  await page.close();
});
