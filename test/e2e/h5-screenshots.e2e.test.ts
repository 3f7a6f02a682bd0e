import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { TestApp } from '../support/app';
import { buildOrg, type TestUser } from '../support/builders';
import { registerDevice, startDeviceApp, startSimulator } from '../support/devices';
import { buildMeter, postReadings } from '../support/metering/builders';
import { buildAlarmDefinition, buildAlarmRule } from '../support/alarms';
import { startFakeWeChat, type FakeWeChat } from '../../bff/src/fakes/wechat/server';
import { DEMO_APPID, DEMO_SECRET } from '../../bff/src/fakes/wechat/state';
import type { SimulatedDevice } from '../../bff/src/fakes/devices/device';
import { DEMO_OPERATOR_ID, FakeChargingOperator } from '../../bff/src/fakes/charging-operator/simulator';
import { DEMO_ISOLAR_ACCOUNT, DEMO_ISOLAR_PASSWORD } from '../../bff/src/fakes/isolarcloud/demo';
import { artifactsDir, h5Built, launchChromium } from './browser';
import { signInH5 } from './h5-session';

// A screenshot of every page of the H5 build (375 × 740) in its loaded, empty and error states, for the
// CI artifact `test-artifacts/e2e/screenshots/<page>--<state>.png`:
// - loaded: an organization with a total meter and a day of readings, a rate, an alarm rule that raised
//   an alarm, an EMS controller and a meter gateway on the device simulator (the gateway sent a batch),
//   and an iSolarCloud connection (the fake's demo account: three plants, one in fault);
// - empty: a newly registered organization (for a form or a single record: what a new organization sees);
// - error: the loaded organization with every BFF call answered 500 by request interception.
// Each shot waits for the page to settle (drawn, no skeleton left), never a fixed sleep.
jest.setTimeout(900_000);

const screenshotsDir = path.join(artifactsDir, 'screenshots');
const WAIT = 45_000;
const QUARTER = 15 * 60_000;

let app: TestApp;
let fake: FakeWeChat;
let base: string;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let loaded: TestUser;
let fresh: TestUser;
const sims: SimulatedDevice[] = [];
const ids = {
  loaded: { ems: '', gateway: '', alarm: 0, definition: 0, rule: 0, plant: 0 },
  fresh: { ems: '', gateway: '', alarm: 999_999, definition: 999_999, rule: 999_999, plant: 999_999 },
};

type Ids = (typeof ids)['loaded'];
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
  { name: 'charging', url: () => '/pkg-charging/index/index' },
  { name: 'charging-records', url: () => '/pkg-charging/records/index' },
  { name: 'charging-driver', url: () => '/pkg-charging/driver/index' },
  { name: 'plants', url: () => '/pkg-plants/index/index' },
  { name: 'plant', url: (i) => `/pkg-plants/plant/index?id=${i.plant}` },
  { name: 'plant-connect', url: () => '/pkg-plants/connect/index' },
  // (pkg-plants/authorize is the weapp's web view: H5 opens iSolarCloud's page itself, never that page.)
];

/** The BFF's own paths (the H5 build's files are served beside them). */
const isApi = (url: string) => /^\/(api|api_3|wad|h5_demo)\//.test(new URL(url).pathname);

/** The loaded organization: a day of readings on a total meter, a rate, a raised alarm, two devices. */
async function buildLoaded(user: TestUser): Promise<void> {
  const meter = await buildMeter(app, user, {
    name: '总进线表',
    type: 0,
    body: { Meter_IsTotal: '1', Meter_Parameter: 'P,PF' },
  });
  await app.http
    .post('/api_3/rate')
    .set(user.auth)
    .send({ Rate_Name: '电价', Rate_Type: '0', isSegmentation: '1', Rate_Value: '0.8', Rate_Unit: '元/kWh' })
    .expect(200);
  const now = Date.now();
  const readings = [];
  for (let i = 100, total = 1000; i >= 1; i--, total += 10 + (i % 7))
    readings.push({ meter: meter.id, ts: now - i * QUARTER, total, params: { P: 40 + (i % 9), PF: 0.93 } });
  await postReadings(app, user, readings);
  const l = ids.loaded;
  l.definition = await buildAlarmDefinition(app, user, { Alarm_Name: '功率因数过低', Alarm_Level: 3 });
  l.rule = await buildAlarmRule(app, user, {
    Rule_Name: '进线功率因数',
    Alarm_id: l.definition,
    Meter_id: meter.id,
    Meter_Parameter: 'PF',
    LowerLimit: 0.9,
    UpperLimit: 1,
  });
  await postReadings(app, user, [
    { meter: meter.id, ts: now - 1000, total: 2500, params: { P: 42, PF: 0.82 } },
  ]);
  await app.platform.settle();
  const day = new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
  const alarms = await app.http
    .get('/api_3/alarm_message')
    .query({ Time_Start: `${day} 00:00:00`, Time_End: `${day} 23:59:59` })
    .set(user.auth);
  l.alarm = Number(alarms.body?.Data?.[0]?.id ?? 0);
  const ems = await registerDevice(app, user, 'ems', '1# 储能柜 BMS');
  const gw = await registerDevice(app, user, 'gateway', '配电房计量网关');
  l.ems = ems.uid;
  l.gateway = gw.uid;
  sims.push(await startSimulator(app, user, ems));
  const gateway = await startSimulator(app, user, gw, {
    kind: 'gateway',
    meters: [{ meter: meter.id, kw: 30 }],
  });
  sims.push(gateway);
  await gateway.publishReadings();
  // Plants: the organization signs in to the fake iSolarCloud's demo account (the connect refreshes once).
  await app.http
    .post('/api_3/pv_connection_login')
    .set(user.auth)
    .send({ Region: 1, Account: DEMO_ISOLAR_ACCOUNT, Password: DEMO_ISOLAR_PASSWORD })
    .expect(200);
  await app.platform.settle();
  const plants = await app.http.get('/api_3/pv_plants').set(user.auth).expect(200);
  l.plant = Number(plants.body.Data[0].Ps_Id);
  await buildCharging(user);
}

/**
 * The loaded organization's charging points: the demo operator's simulator (seed 004, signed) registers
 * its station and reports; one tick a few minutes back ends a session (a record), one now reports live.
 */
async function buildCharging(user: TestUser): Promise<void> {
  const created = await app.http
    .post('/api_3/charging_operators')
    .set(user.auth)
    .send({ Operator_Id: DEMO_OPERATOR_ID, Operator_Name: '演示充电运营商' })
    .expect(200);
  const secret = created.body.Data[0].Operator_Secret as string;
  const now = Date.now();
  // The latest minute of a cycle's phase 5 (a session just ended), within the 5-minute Datetime window.
  const minute = Math.floor(now / 60_000);
  const ended = (minute - ((((minute - 5) % 6) + 6) % 6)) * 60_000 + 59_000;
  for (const at of [ended, now]) {
    const op = new FakeChargingOperator({
      baseUrl: base,
      operatorId: DEMO_OPERATOR_ID,
      secret,
      timeZone: 'Asia/Shanghai',
      now: () => new Date(at),
    });
    await op.tick();
  }
  await app.platform.settle();
}

beforeAll(async () => {
  if (!h5Built()) throw new Error('miniapp/dist/h5 is missing: run npm run build:h5 -w miniapp first');
  app = await startDeviceApp('embedded', { env: { WD_DEMO: 'true', TRUST_PROXY: 'false' } });
  fake = await startFakeWeChat({ apps: { [DEMO_APPID]: DEMO_SECRET } });
  app.deps.wechat.pointAt({ baseUrl: fake.url, appid: DEMO_APPID, secret: DEMO_SECRET });
  base = await app.listen();
  chrome = await launchChromium();
  // The plants feature's demo hook starts the fake iSolarCloud and points the client at it (no demo user here).
  await app.platform.registry.demo(['plants']);
  loaded = await buildOrg(app);
  await buildLoaded(loaded);
  fresh = await buildOrg(app);
  ids.fresh.ems = (await registerDevice(app, fresh, 'ems', '新储能柜')).uid;
  ids.fresh.gateway = (await registerDevice(app, fresh, 'gateway', '新计量网关')).uid;
  fs.rmSync(screenshotsDir, { recursive: true, force: true });
  fs.mkdirSync(screenshotsDir, { recursive: true });
}, 300_000);

afterAll(async () => {
  for (const s of sims) await s.stop();
  await chrome?.close();
  await fake?.close();
  await app?.close();
});

/** Opens a page and waits until it settled: drawn, and no skeleton (loading state) left. */
async function settle(page: Page, url: string): Promise<void> {
  await page.goto(`${base}${url}`);
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

async function signedIn(user: TestUser): Promise<Page> {
  const page = await signInH5(chrome.browser, base, user);
  page.setDefaultTimeout(WAIT);
  return page;
}

test('every page, loaded (an organization with data)', async () => {
  const page = await signedIn(loaded);
  for (const p of pages) {
    await settle(page, p.url(ids.loaded));
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
  const page = await signedIn(loaded);
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
    await settle(page, p.url(ids.loaded));
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
  // Pages that load nothing when they open (the binding page asks WeChat only on a tap; the machine and
  // device forms only send) have no error to show on opening.
  expect(withoutError.filter((n) => !['account-bind', 'setup-machine', 'setup-device'].includes(n))).toEqual(
    [],
  );
});
