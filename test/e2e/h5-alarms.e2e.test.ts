import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { buildOrg, type TestUser } from '../support/builders';
import { buildMeter, postReadings } from '../support/metering/builders';
import { buildAlarmDefinition, buildAlarmRule } from '../support/alarms';
import { startFakeWeChat, type FakeWeChat } from '../../bff/src/fakes/wechat/server';
import { DEMO_APPID, DEMO_SECRET, DEMO_TEMPLATE } from '../../bff/src/fakes/wechat/state';
import { h5Built, launchChromium, snap } from './browser';

// The alarm centre of the H5 build against the real BFF (demo mode: WeChat is the fake server): a rule
// raises an alarm from an ingested reading, the manager sees it under 告警, opens it, tops up the push
// quota through the simulated subscribe popup, and acknowledges it with a comment.
let app: TestApp;
let fake: FakeWeChat;
let base: string;
let admin: TestUser;
let chrome: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  if (!h5Built()) throw new Error('miniapp/dist/h5 is missing: run npm run build:h5 -w miniapp first');
  app = await startTestApp({ env: { WD_DEMO: 'true', TRUST_PROXY: 'false' } });
  fake = await startFakeWeChat({ apps: { [DEMO_APPID]: DEMO_SECRET }, templates: [DEMO_TEMPLATE] });
  app.deps.wechat.pointAt({ baseUrl: fake.url, appid: DEMO_APPID, secret: DEMO_SECRET });
  admin = await buildOrg(app);
  base = await app.listen();
  chrome = await launchChromium();
}, 180_000);

afterAll(async () => {
  await chrome?.close();
  await fake?.close();
  await app?.close();
});

const button = (page: Page, text: string | RegExp) => page.locator('#app .nut-button', { hasText: text });

/** Waits (up to 15 s) until `ok()` holds. */
async function until(ok: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 75; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('timed out waiting');
}

/** Waits until the BFF lists an alarm of the organization (evaluation runs after the reading commits). */
async function firstAlarm(): Promise<Record<string, unknown>> {
  const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  for (let i = 0; i < 100; i++) {
    const res = await app.http
      .get('/api_3/alarm_message')
      .query({ Time_Start: `${day} 00:00:00`, Time_End: `${day} 23:59:59` })
      .set(admin.auth);
    if (res.body.Data?.length) return res.body.Data[0];
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no alarm was raised');
}

test('an alarm raised by a rule is listed under 告警, opened and acknowledged with a comment', async () => {
  const meter = await buildMeter(app, admin, { body: { Meter_Parameter: 'UA,PF' } });
  const alarmId = await buildAlarmDefinition(app, admin, {
    Alarm_Name: '功率因数过低',
    Alarm_Level: 3,
    Alarm_Notify: 1,
    Notify_Address: '',
  });
  await buildAlarmRule(app, admin, {
    Rule_Name: '进线功率因数',
    Alarm_id: alarmId,
    Meter_id: meter.id,
    Meter_Parameter: 'PF',
    LowerLimit: 0.9,
    UpperLimit: 1,
  });

  const context = await chrome.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${base}/pages/login/index`);
  await page.locator('input[placeholder="请输入用户名"]').fill(admin.name);
  await page.locator('input[placeholder="请输入密码"]').fill(admin.password);
  await button(page, /^登录$/).click();
  // Bind WeChat in the browser, so this browser's simulated WeChat user is the admin's.
  await page.getByText('绑定微信', { exact: true }).last().waitFor({ timeout: 15_000 });
  await button(page, '绑定微信').click();
  await page.getByText('绑定成功').waitFor({ timeout: 15_000 });
  // Taro's H5 storage keeps each value as {"data": value}.
  const stored = await page.evaluate(() => window.localStorage.getItem('wd.demo.openid'));
  const openid = (JSON.parse(stored ?? '{}') as { data?: string }).data;
  expect(openid).toMatch(/^o/);

  const accepted = await postReadings(app, admin, [
    { meter: meter.id, ts: Date.now() - 1000, total: 100, params: { PF: 0.8, UA: 230 } },
  ]);
  expect(accepted.Accepted).toBe(1);
  await app.platform.settle(); // the committed reading's event reaches the rule evaluation
  const raised = await firstAlarm().catch(async (err: unknown) => {
    await snap(page, 'alarm-not-raised');
    throw err;
  });
  expect(raised).toMatchObject({ Alarm_Name: '功率因数过低', Alarm_State: 1, Alarm_Value: 0.8 });

  await page.goto(`${base}/pages/alarms/index`);
  const card = page.getByTestId(`alarm-${raised.id}`);
  await card.waitFor({ timeout: 15_000 });
  expect(await card.innerText()).toContain('严重');
  expect(await card.innerText()).toContain('未确认');
  await page.locator('.taro-tabbar-badge', { hasText: '1' }).waitFor({ timeout: 15_000 });
  await snap(page, 'alarms-list');

  // Opening it is a natural tap: the (simulated) subscribe popup asks for one more push.
  await card.click();
  await page.getByText('允许', { exact: true }).click({ timeout: 15_000 });
  const summary = page.getByTestId('alarm-summary');
  await summary.waitFor({ timeout: 15_000 });
  expect(await page.getByTestId('alarm-value').innerText()).toBe('0.80');
  expect(await page.getByTestId('alarm-limits').innerText()).toBe('0.90 – 1.00');
  await snap(page, 'alarm-detail');
  await until(() => fake.state.setUser(openid!, {}).subscriptions[DEMO_TEMPLATE] === 1);

  await button(page, '确认告警').click();
  await page.locator('[data-testid="ack-form"] textarea').fill('已通知电工检查电容柜');
  await button(page, '提交确认').click();
  await page.getByText('允许', { exact: true }).click({ timeout: 15_000 });
  await page.getByTestId('action-done').getByText('已确认').waitFor({ timeout: 15_000 });
  await page.getByTestId('alarm-acked').waitFor({ timeout: 15_000 });
  expect(await page.getByTestId('alarm-acked').innerText()).toContain('已通知电工检查电容柜');
  await snap(page, 'alarm-acknowledged');

  const detail = await app.http.get('/api_3/alarm_message_detail').query({ id: raised.id }).set(admin.auth);
  expect(detail.body.Data[0]).toMatchObject({ Alarm_State: 2, Ack_Comment: '已通知电工检查电容柜' });
  const quota = await app.http.get('/api_3/wechat_subscriptions').set(admin.auth);
  expect(quota.body.Data[0]).toMatchObject({
    Template_Id: DEMO_TEMPLATE,
    Remaining_Times: 2,
    WeChat_Bound: 1,
  });
  expect(fake.state.setUser(openid!, {}).subscriptions[DEMO_TEMPLATE]).toBe(2);

  // 我的 shows what is left.
  await page.goto(`${base}/pages/mine/index`);
  await page.getByTestId('push-quota').getByText('剩余 2 条', { exact: false }).waitFor({ timeout: 15_000 });
  await snap(page, 'mine-push-quota');
  await context.close();
}, 180_000);
