import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

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
