import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { startFakeWeChat, type FakeWeChat } from '../../bff/src/fakes/wechat/server';
import { DEMO_APPID, DEMO_SECRET, type FakeWeChatOptions } from '../../bff/src/fakes/wechat/state';

/** Where screenshots of e2e runs are kept (gitignored). */
export const artifactsDir = path.resolve(__dirname, '../../test-artifacts/e2e');

/**
 * Debian's chromium, headless, nothing phoning home. Playwright refuses `--user-data-dir` on launch and
 * gives every launch a fresh temporary profile of its own instead.
 */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: process.env.WD_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
    },
  };
}

/** Saves a full-page screenshot named after the step. */
export async function snap(page: Page, name: string): Promise<void> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true });
}

/** True when the H5 build exists (the e2e suite needs `npm run build:h5 -w miniapp` first). */
export function h5Built(): boolean {
  return fs.existsSync(path.resolve(__dirname, '../../miniapp/dist/h5/index.html'));
}

/** What an H5 suite in demo mode runs against: the real BFF (listening), the fake WeChat and Chromium. */
export interface H5Demo {
  app: TestApp;
  fake: FakeWeChat;
  base: string;
  chrome: Awaited<ReturnType<typeof launchChromium>>;
}

/** Starts the BFF in demo mode with its WeChat client on a fresh fake, a listener, and Chromium. */
export async function startH5Demo(fakeOptions: Partial<FakeWeChatOptions> = {}): Promise<H5Demo> {
  if (!h5Built()) throw new Error('miniapp/dist/h5 is missing: run npm run build:h5 -w miniapp first');
  const app = await startTestApp({ env: { WD_DEMO: 'true', TRUST_PROXY: 'false' } });
  const fake = await startFakeWeChat({ ...fakeOptions, apps: { [DEMO_APPID]: DEMO_SECRET } });
  app.deps.wechat.pointAt({ baseUrl: fake.url, appid: DEMO_APPID, secret: DEMO_SECRET });
  const base = await app.listen();
  const chrome = await launchChromium();
  return { app, fake, base, chrome };
}

/** Closes what `startH5Demo` started (whatever of it did start). */
export async function stopH5Demo(h5: Partial<H5Demo>): Promise<void> {
  await h5.chrome?.close();
  await h5.fake?.close();
  await h5.app?.close();
}
