import type { TestApp } from '../support/app';
import { startTestApp } from '../support/app';
import { buildOrg } from '../support/builders';
import { h5Built, launchChromium, snap } from './browser';
import { failWith503, signInH5 } from './h5-session';

// The rate editor of the H5 build (375 × 740) against the real BFF's rate endpoints (4.2 + extension POST).
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

test('an admin sets the electricity time-of-use rate on the phone; the BFF stores exactly those segments', async () => {
  const user = await buildOrg(app);
  const page = await signInH5(chrome.browser, base, user);
  await page.goto(`${base}/pkg-energy/rates/index`);
  const card = page.getByTestId('rate-0');
  await card.waitFor({ timeout: 20_000 });
  expect(await card.getByTestId('rate-summary').innerText()).toBe('未配置费率');
  await snap(page, 'rates-empty');

  await card.getByText('设置费率').click({ force: true });
  await card.getByText('分时电价').click({ force: true });
  const prices = card.locator('[data-testid="seg-price"] input, input[data-testid="seg-price"]');
  await prices.first().waitFor();
  const values = ['0.32', '1.05', '0.32'];
  for (let i = 0; i < 3; i++) await prices.nth(i).fill(values[i]!);
  await snap(page, 'rates-editor');
  await card.getByText('保存').click({ force: true });
  await page.getByTestId('rate-notice').waitFor({ timeout: 20_000 });
  expect(await page.getByTestId('rate-notice').innerText()).toBe('电费率已保存，费用已按新费率重新计算');
  await card.getByTestId('rate-bar').waitFor();
  expect(await card.getByTestId('rate-bar-seg').count()).toBe(3);
  await snap(page, 'rates-loaded');

  const stored = (await app.http.get('/api_3/rate').set(user.auth).expect(200)).body.Data as {
    Seg_Begin: string;
    Seg_End: string;
    Rate_Value: string;
    isSegmentation: string;
  }[];
  expect(stored.map((r) => [r.isSegmentation, r.Seg_Begin, r.Seg_End, Number(r.Rate_Value)])).toEqual([
    ['0', '00:00:00', '08:00:00', 0.32],
    ['0', '08:00:00', '22:00:00', 1.05],
    ['0', '22:00:00', '24:00:00', 0.32],
  ]);

  await failWith503(page, '**/api_3/rate*');
  await page.reload();
  await page.getByTestId('state-error').waitFor({ timeout: 20_000 });
  await snap(page, 'rates-error');
  await page.close();
});
