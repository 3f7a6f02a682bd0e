import crypto from 'node:crypto';
import type { Page } from 'playwright-core';
import type { TestApp } from '../support/app';
import type { FakeWeChat } from '../../bff/src/fakes/wechat/server';
import { DEMO_USER } from '../../bff/src/demo/demo-data';
import { snap, startH5Demo, stopH5Demo, type H5Demo } from './browser';

// The H5 build, served by the real BFF (demo mode: WeChat is the fake server), driven in Chromium.
let app: TestApp;
let fake: FakeWeChat;
let base: string;
let chrome: H5Demo['chrome'];

beforeAll(async () => {
  ({ app, fake, base, chrome } = await startH5Demo());
}, 60_000);

afterAll(() => stopH5Demo({ app, fake, chrome }));

/** A new organization with its admin, registered through the API (seed 002 §1.3). */
async function newUser(
  name = `e2e_${crypto.randomBytes(4).toString('hex')}`,
): Promise<{ name: string; password: string }> {
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

test('a wrong password shows the Chinese reason and stays on the sign-in page', async () => {
  const { name } = await newUser();
  const page = await chrome.browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(page, name, 'not-the-password');
  await page.getByText('用户名或密码错误').waitFor({ timeout: 15_000 });
  await snap(page, 'login-wrong-password');
  expect(page.url()).toContain('/pages/login/index');
  await page.close();
});

test('signs in with a password, binds WeChat, then signs in again with WeChat alone', async () => {
  // The demo's simulated WeChat signs in demo users only (never a real organization's user).
  const { name, password } = await newUser(DEMO_USER);
  const context = await chrome.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signIn(page, name, password);

  // An account without WeChat is offered the binding page right after sign-in.
  await page.getByText('授权手机号并绑定微信').waitFor({ timeout: 15_000 });
  await snap(page, 'bind-offered');
  await page.locator('.nut-button', { hasText: '授权手机号并绑定微信' }).click();
  await page.getByText('绑定成功').waitFor({ timeout: 15_000 });
  await snap(page, 'bind-done');
  const profile = await app.http
    .post('/api/auth')
    .send({ Usr_Name: name, Usr_Password: password })
    .then((r) => app.http.get('/api/users').set('Authorization', `Bearer ${r.body.Data[0].Usr_Token}`));
  expect(profile.body.Data[0].Usr_WeChat_Bound).toBe(true);

  // Signed out, the same (simulated) WeChat user gets in with one tap and no password.
  await page.evaluate(() => window.localStorage.removeItem('wd.session'));
  await page.goto(`${base}/pages/login/index`);
  await page.locator('#app .nut-button', { hasText: '微信一键登录' }).click();
  await page.waitForURL(/pages\/home\/index/, { timeout: 15_000 });
  await snap(page, 'wechat-login-home');
  const session = await page.evaluate(() => window.localStorage.getItem('wd.session'));
  expect(session).toContain(name);
  await context.close();
});

test('WeChat sign-in of a WeChat user bound to nobody says so and signs nobody in', async () => {
  const context = await chrome.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${base}/pages/login/index`);
  await page.locator('#app .nut-button', { hasText: '微信一键登录' }).click();
  await page.getByText('微信登录失败，请用账号密码登录').waitFor({ timeout: 15_000 });
  await snap(page, 'wechat-login-unbound');
  expect(await page.evaluate(() => window.localStorage.getItem('wd.session'))).toBeNull();
  await context.close();
});
