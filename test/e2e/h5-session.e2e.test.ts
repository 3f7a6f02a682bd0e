import crypto from 'node:crypto';
import type { Page } from 'playwright-core';
import type { TestApp } from '../support/app';
import type { FakeWeChat } from '../../bff/src/fakes/wechat/server';
import { snap, startH5Demo, stopH5Demo, type H5Demo } from './browser';

// Sessions and navigation chrome of the H5 build against the real BFF (demo mode, fake WeChat).
let app: TestApp;
let fake: FakeWeChat;
let base: string;
let chrome: H5Demo['chrome'];

beforeAll(async () => {
  ({ app, fake, base, chrome } = await startH5Demo());
}, 60_000);

afterAll(() => stopH5Demo({ app, fake, chrome }));

async function newUser(): Promise<{ name: string; password: string }> {
  const name = `e2e_${crypto.randomBytes(4).toString('hex')}`;
  const password = 'e2e-password-1';
  const res = await app.http
    .post('/api/users')
    .send({ Usr_Name: name, Usr_Password: password, Usr_Email: `${name}@example.com` });
  expect(res.body.Err_No).toBe('0');
  return { name, password };
}

async function signIn(page: Page, name: string, password: string): Promise<void> {
  await page.goto(`${base}/pages/login/index`);
  await page.locator('input[placeholder="请输入用户名"]').fill(name);
  await page.locator('input[placeholder="请输入密码"]').fill(password);
  await page.locator('#app .nut-button', { hasText: /^登录$/ }).click();
}

test('after binding through the phone button and signing out, Back does not sign the user in again', async () => {
  const { name, password } = await newUser();
  const context = await chrome.browser.newContext({ viewport: { width: 375, height: 740 } });
  const page = await context.newPage();
  await signIn(page, name, password);
  await page.locator('.nut-button', { hasText: '授权手机号并绑定微信' }).click();
  await page.getByTestId('bind-phone').waitFor({ timeout: 20_000 });
  expect(await page.getByTestId('bind-phone').innerText()).toMatch(/138\*{4}\d{4}/);
  await snap(page, 'bind-phone-shown');

  await page.goto(`${base}/pages/mine/index`);
  await page.locator('#app .nut-button', { hasText: '退出登录' }).click();
  await page.waitForURL(/pages\/login\/index/, { timeout: 15_000 });
  await page.goBack();
  await page.waitForTimeout(3000);
  await page.waitForURL(/pages\/login\/index/, { timeout: 15_000 });
  expect(await page.evaluate(() => window.localStorage.getItem('wd.session'))).toBeNull();
  await snap(page, 'signed-out-back');
  await context.close();
});

test('every sub-page has a title bar with a way back', async () => {
  const { name, password } = await newUser();
  const page = await chrome.browser.newPage({ viewport: { width: 375, height: 740 } });
  await signIn(page, name, password);
  await page.waitForURL(/bind|home/, { timeout: 15_000 });
  for (const [path, title] of [
    ['pkg-setup/index/index', '开始设置'],
    ['pkg-setup/machine/index', '添加机器'],
    ['pkg-setup/meter/index', '添加仪表'],
    ['pkg-setup/device/index', '登记设备'],
    ['pkg-account/profile/index', '个人资料'],
    ['pkg-energy/detail/index', '能耗明细'],
  ] as const) {
    await page.goto(`${base}/${path}`);
    const bar = page.locator('#taro-navigation-bar');
    await bar.waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator('.taro-navigation-bar-title', { hasText: title }).waitFor({ timeout: 15_000 });
    // Opened directly the bar offers 首页 (home); opened from another page it offers 返回 (back).
    expect(await bar.getAttribute('class')).toMatch(/taro-navigation-bar-(home|back)-icon/);
    await snap(page, `title-${path.replace(/\//g, '-')}`);
  }
  await page.close();
});
