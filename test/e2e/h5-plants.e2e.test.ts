import type { Locator, Page } from 'playwright-core';
import type { TestApp } from '../support/app';
import type { FakeWeChat } from '../../bff/src/fakes/wechat/server';
import { DEMO_PASSWORD, DEMO_USER } from '../../bff/src/demo/demo-data';
import { snap, startH5Demo, stopH5Demo, type H5Demo } from './browser';

// The 电站 pages of the H5 build (375 × 740) in demo mode: the demo organization is connected to the fake
// iSolarCloud with its three plants (distributed PV, C&I storage, one in fault) by the plants feature's
// demo hook, as `npm start` does; the manager opens 电站 from the home page and one plant's page.
jest.setTimeout(180_000);
const WAIT = 45_000;

let app: TestApp;
let fake: FakeWeChat;
let base: string;
let chrome: H5Demo['chrome'];
let token: string;

beforeAll(async () => {
  ({ app, fake, base, chrome } = await startH5Demo());
  // The demo account (demo mode's start creates it with the demo site; the site's readings are not needed here).
  const reg = await app.http
    .post('/api/users')
    .send({ Usr_Name: DEMO_USER, Usr_Password: DEMO_PASSWORD, Usr_Email: 'demo@example.com' });
  expect(reg.body.Err_No).toBe('0');
  await app.platform.registry.demo(['plants']);
  await app.platform.settle();
  const login = await app.http.post('/api/auth').send({ Usr_Name: DEMO_USER, Usr_Password: DEMO_PASSWORD });
  token = login.body.Data[0].Usr_Token;
}, 120_000);

afterAll(() => stopH5Demo({ app, fake, chrome }));

/** Taro H5 keeps the pages below the top one in the DOM (hidden): only what is on screen counts. */
const shown = (l: Locator) => l.filter({ visible: true });

/** A 375 × 740 page signed in with the sign-in form. */
async function signIn(name: string, password: string): Promise<Page> {
  const page = await chrome.browser.newPage({ viewport: { width: 375, height: 740 } });
  page.setDefaultTimeout(WAIT);
  await page.goto(`${base}/pages/login/index`);
  await page.locator('input[placeholder="请输入用户名"]').fill(name);
  await page.locator('input[placeholder="请输入密码"]').fill(password);
  await page.locator('#app .nut-button', { hasText: /^登录$/ }).click();
  await page.waitForURL(/bind|home/);
  return page;
}

/** The app's number format (2 decimals, thousands separators) with the unit, as the BFF's figure should show. */
const kw = (n: number) =>
  `${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} kW`;

test('from the demo start, 电站 lists the three demo plants with live power, the faulty one first, and a plant page draws today’s curve', async () => {
  const api = await app.http.get('/api_3/pv_plants').set('Authorization', `Bearer ${token}`);
  const plants = api.body.Data as {
    Ps_Id: number;
    Ps_Name: string;
    Fault_Status: number;
    Power_kW: number;
  }[];
  expect(plants).toHaveLength(3);
  const faulty = plants.filter((p) => p.Fault_Status === 1);
  expect(faulty).toHaveLength(1);

  const page = await signIn(DEMO_USER, DEMO_PASSWORD);
  await page.goto(`${base}/pages/home/index`);
  await shown(page.locator('#app .nut-button', { hasText: /^电站$/ })).click();
  await page.waitForURL(/pkg-plants\/index\/index/);
  const rows = shown(page.getByTestId('plant-row'));
  await rows.nth(2).waitFor();
  expect(await rows.count()).toBe(3);
  const names = await rows.getByTestId('plant-name').allInnerTexts();
  expect([...names].sort()).toEqual(plants.map((p) => p.Ps_Name).sort());
  // The faulty plant first, tagged 故障.
  expect(names[0]).toBe(faulty[0]!.Ps_Name);
  expect(await rows.first().getAttribute('data-tone')).toBe('fault');
  expect(await rows.first().getByTestId('plant-status').innerText()).toBe('故障');
  // Every plant with its live power in kW, as the BFF has it.
  for (const p of plants) {
    const row = rows.filter({ has: page.getByText(p.Ps_Name, { exact: true }) });
    expect(await row.getByTestId('plant-power').innerText()).toBe(kw(p.Power_kW));
    expect(await row.getByTestId('plant-today').innerText()).toMatch(/ kWh$/);
  }
  await shown(page.getByTestId('pv-connection-status')).waitFor();
  await snap(page, 'plants-list');

  // A healthy PV plant: today's power curve is drawn (ECharts' canvas inside the curve card).
  const pv = plants.find((p) => p.Fault_Status !== 1 && /光伏/.test(p.Ps_Name)) ?? plants[1]!;
  await rows.filter({ has: page.getByText(pv.Ps_Name, { exact: true }) }).click();
  await page.waitForURL(new RegExp(`pkg-plants/plant/index\\?id=${pv.Ps_Id}`));
  const curve = shown(page.getByTestId('plant-curve'));
  await curve.locator('[data-testid="trend-chart"] canvas').waitFor();
  expect(await shown(page.getByTestId('plant-head')).innerText()).toContain(pv.Ps_Name);
  expect(await shown(page.getByTestId('plant-devices')).innerText()).toMatch(/设备（\d+ 台）/);
  await snap(page, 'plant-detail');
  await page.close();
});

test('an admin of a new organization connects iSolarCloud in the H5 demo: the fake’s authorize page and back, then the plants', async () => {
  const name = `pv_${Date.now().toString(36)}`;
  const password = 'plants-e2e-1';
  const reg = await app.http
    .post('/api/users')
    .send({ Usr_Name: name, Usr_Password: password, Usr_Email: `${name}@example.com` });
  expect(reg.body.Err_No).toBe('0');
  const page = await signIn(name, password);
  await page.goto(`${base}/pkg-plants/index/index`);
  expect(await shown(page.getByTestId('state-empty')).innerText()).toContain('连接 iSolarCloud');
  await shown(page.getByTestId('pv-connection-status')).waitFor();
  await snap(page, 'plants-not-connected');
  await shown(page.locator('#app .nut-button', { hasText: '连接 iSolarCloud' })).click();
  await page.waitForURL(/pkg-plants\/connect\/index/);
  await shown(page.locator('#app .nut-button', { hasText: '前往 iSolarCloud 授权' })).click();

  // The fake iSolarCloud's own authorize page (another origin), as a plant owner sees it.
  await page.getByText('同意授权').waitFor();
  expect(new URL(page.url()).origin).not.toBe(new URL(base).origin);
  await snap(page, 'plants-authorize');
  await page.getByText('同意授权').click();

  // Back on the connect page with the ticket and code: connected, with the demo account's three plants.
  await page.waitForURL(/pkg-plants\/connect\/index\?.*code=/);
  const notice = shown(page.getByTestId('connect-notice'));
  await notice.waitFor();
  expect(await notice.innerText()).toContain('共 3 座电站');
  // Whatever the connect left to the job runner (test apps run jobs when told) has run before the list.
  await app.platform.settle();
  await snap(page, 'plants-connected');
  await shown(page.locator('#app .nut-button', { hasText: '查看电站' })).click();
  await page.waitForURL(/pkg-plants\/index\/index/);
  const rows = shown(page.getByTestId('plant-row'));
  await rows.nth(2).waitFor();
  expect(await rows.first().getAttribute('data-tone')).toBe('fault');
  expect(await rows.first().getByTestId('plant-power').innerText()).toMatch(/^-?[\d,]+\.\d\d kW$/);
  await page.close();
});
