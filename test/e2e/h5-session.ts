import type { Browser, Page } from 'playwright-core';
import type { TestUser } from '../support/builders';

/** A 375 × 740 page signed in with the user's password (the H5 sign-in form). */
export async function signInH5(browser: Browser, base: string, user: TestUser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
  await page.goto(`${base}/pages/login/index`);
  await page.locator('input[placeholder="请输入用户名"]').fill(user.name);
  await page.locator('input[placeholder="请输入密码"]').fill(user.password);
  await page.locator('#app .nut-button', { hasText: /^登录$/ }).click();
  await page.waitForURL(/bind|home/, { timeout: 15_000 });
  return page;
}

/** Makes the BFF look down for requests matching `pattern` (a 503 in the seed 002 envelope). */
export async function failWith503(page: Page, pattern: string): Promise<void> {
  await page.route(pattern, (route) =>
    route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify({ Err_No: '5000', Err_Msg: '服务暂时不可用' }),
    }),
  );
}
