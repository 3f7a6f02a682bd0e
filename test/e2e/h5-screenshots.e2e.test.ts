import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { TestApp } from '../support/app';
import { buildOrg, type TestUser } from '../support/builders';
import { registerDevice } from '../support/devices';
import { DEMO_PASSWORD, DEMO_USER } from '../../bff/src/demo/demo-data';
import { artifactsDir, startH5Demo, stopH5Demo, type H5Demo } from './browser';
import { signInH5 } from './h5-session';

// A screenshot of every page of the H5 build (375 × 740) in its loaded, empty and error states, for the
// CI artifact `test-artifacts/e2e/screenshots/<page>--<state>.png`:
// - loaded: the demo organization (machines, meters, rates, devices on the simulator, alarms);
// - empty: a newly registered organization (for a form or a single record: what a new organization sees);
// - error: the demo organization with every BFF call answered 500 by request interception.
// Each shot waits for the page to settle (no skeleton left, the page drawn), never a fixed sleep.
jest.setTimeout(900_000);

const screenshotsDir = path.join(artifactsDir, 'screenshots');
const WAIT = 45_000;

let h5: H5Demo;
let fresh: TestUser;
const ids = {
  demo: { ems: 'demo-ems-1', gateway: 'demo-gw-1', alarm: 1, definition: 1, rule: 1, meter: 1 },
  fresh: { ems: '', gateway: '', alarm: 999_999, definition: 999_999, rule: 999_999, meter: 999_999 },
};

type Ids = (typeof ids)['demo'];
/** Every page of app.config.ts, with the query it opens with. */
const pages: { name: string; url: (i: Ids) => string; submit?: string }[] = [
  { name: 'home', url: () => '/pages/home/index' },
  { name: 'alarms', url: () => '/pages/alarms/index' },
  { name: 'devices', url: () => '/pages/devices/index' },
  { name: 'mine', url: () => '/pages/mine/index' },
  { name: 'login', url: () => '/pages/login/index', submit: '登录' },
  { name: 'account-bind', url: () => '/pkg-account/bind/index' },
  { name: 'account-profile', url: () => '/pkg-account/profile/index' },
  { name: 'account-register', url: () => '/pkg-account/register/index', submit: '注册并登录' },
  { name: 'energy-detail', url: () => '/pkg-energy/detail/index' },
  { name: 'energy-rates', url: () => '/pkg-energy/rates/index' },
  { name: 'device-detail', url: (i) => `/pkg-device/detail/index?uid=${i.ems}` },
  { name: 'device-reactive', url: (i) => `/pkg-device/reactive/index?uid=${i.ems}` },
  { name: 'device-history', url: (i) => `/pkg-device/history/index?uid=${i.ems}` },
  { name: 'device-gateway', url: (i) => `/pkg-device/gateway/index?uid=${i.gateway}` },
  { name: 'setup', url: () => '/pkg-setup/index/index' },
  { name: 'setup-machine', url: () => '/pkg-setup/machine/index' },
  { name: 'setup-meter', url: () => '/pkg-setup/meter/index' },
  { name: 'setup-device', url: () => '/pkg-setup/device/index' },
  { name: 'alarm-detail', url: (i) => `/pkg-alarms/detail/index?id=${i.alarm}` },
  { name: 'alarm-stats', url: () => '/pkg-alarms/stats/index' },
  { name: 'alarm-definitions', url: () => '/pkg-alarms/definitions/index' },
  { name: 'alarm-definition', url: (i) => `/pkg-alarms/definition/index?id=${i.definition}` },
  { name: 'alarm-rules', url: (i) => `/pkg-alarms/rules/index?alarmId=${i.definition}` },
  { name: 'alarm-rule', url: (i) => `/pkg-alarms/rule/index?id=${i.rule}&alarmId=${i.definition}` },
];

/** The BFF's own paths (the H5 build's files are served beside them). */
const isApi = (url: string) => /^\/(api|api_3|wad|h5_demo)\//.test(new URL(url).pathname);

/** First id of a 002 list, or undefined. */
async function firstId(app: TestApp, auth: Record<string, string>, route: string, key = 'id') {
  const res = await app.http.get(route).set(auth);
  const item = (res.body?.Data ?? [])[0] as Record<string, unknown> | undefined;
  return typeof item?.[key] === 'number' ? (item[key] as number) : undefined;
}

beforeAll(async () => {
  h5 = await startH5Demo();
  const signin = await h5.app.http
    .post('/api/auth')
    .send({ Usr_Name: DEMO_USER, Usr_Password: DEMO_PASSWORD });
  const auth = { Authorization: `Bearer ${signin.body.Data[0].Usr_Token as string}` };
  const d = ids.demo;
  d.alarm = (await firstId(h5.app, auth, '/api_3/alarm_message')) ?? d.alarm;
  d.definition = (await firstId(h5.app, auth, '/api_3/alarm_status')) ?? d.definition;
  d.rule = (await firstId(h5.app, auth, '/api_3/alarm_status_rules')) ?? d.rule;
  fresh = await buildOrg(h5.app);
  ids.fresh.ems = (await registerDevice(h5.app, fresh, 'ems', '新储能柜')).uid;
  ids.fresh.gateway = (await registerDevice(h5.app, fresh, 'gateway', '新计量网关')).uid;
  fs.rmSync(screenshotsDir, { recursive: true, force: true });
  fs.mkdirSync(screenshotsDir, { recursive: true });
}, 180_000);

afterAll(() => stopH5Demo(h5 ?? {}));

/** Opens a page and waits until it settled: drawn, and no skeleton (loading state) left. */
async function settle(page: Page, url: string): Promise<void> {
  await page.goto(`${h5.base}${url}`);
  await page.waitForFunction(
    () =>
      document.querySelector('#app .page, #app .taro_page') !== null &&
      document.querySelector('[data-testid="state-loading"]') === null,
    undefined,
    { timeout: WAIT, polling: 100 },
  );
}

async function shoot(page: Page, name: string, state: 'loaded' | 'empty' | 'error'): Promise<string> {
  const file = path.join(screenshotsDir, `${name}--${state}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

async function signedIn(user: { name: string; password: string }): Promise<Page> {
  const page = await signInH5(h5.chrome.browser, h5.base, user as TestUser);
  page.setDefaultTimeout(WAIT);
  return page;
}

test('every page, loaded (the demo organization)', async () => {
  const page = await signedIn({ name: DEMO_USER, password: DEMO_PASSWORD });
  for (const p of pages) {
    await settle(page, p.url(ids.demo));
    await shoot(page, p.name, 'loaded');
  }
  await page.close();
  expect(fs.readdirSync(screenshotsDir).filter((f) => f.endsWith('--loaded.png'))).toHaveLength(pages.length);
});

test('every page, empty (a newly registered organization)', async () => {
  const page = await signedIn(fresh);
  for (const p of pages) {
    await settle(page, p.url(ids.fresh));
    await shoot(page, p.name, 'empty');
  }
  await page.close();
  expect(fs.readdirSync(screenshotsDir).filter((f) => f.endsWith('--empty.png'))).toHaveLength(pages.length);
});

test('every page, error (every BFF call answered 500): each page shows the error state, not a blank page', async () => {
  const page = await signedIn({ name: DEMO_USER, password: DEMO_PASSWORD });
  await page.route(
    (url) => isApi(url.toString()),
    (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify(
          new URL(route.request().url()).pathname.startsWith('/wad/')
            ? { code: 100500, message: '服务器内部错误', data: null }
            : { Err_No: '5000', Err_Msg: '服务器内部错误' },
        ),
      }),
  );
  const withoutError: string[] = [];
  for (const p of pages) {
    await settle(page, p.url(ids.demo));
    if (p.submit) await page.locator('#app .nut-button', { hasText: p.submit }).first().click();
    const shown = await page
      .locator(
        '[data-testid="state-error"], .error-text, .field-error, .notice-error, [data-testid$="-error"]',
      )
      .first()
      .waitFor({ timeout: p.submit ? 5_000 : WAIT })
      .then(() => true)
      .catch(() => false);
    if (!shown) withoutError.push(p.name);
    await shoot(page, p.name, 'error');
  }
  await page.close();
  expect(fs.readdirSync(screenshotsDir).filter((f) => f.endsWith('--error.png'))).toHaveLength(pages.length);
  // Forms that load nothing (setup forms, register before submit) have no error to show on opening.
  expect(withoutError.filter((n) => !['setup-machine', 'setup-device'].includes(n))).toEqual([]);
});
