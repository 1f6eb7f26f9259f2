/**
 * Headless Chromium for the dashboard's tests (Debian's chromium, driven by playwright-core,
 * launched as the report test launches it): a page that records console errors, page errors
 * and every request that leaves the server, and screenshots kept in test-results/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../helpers/cli.js';

const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`CI=true but ${CHROMIUM} is missing: npm test installs it`);

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export interface WatchedPage {
  readonly page: Page;
  /** Console errors, page errors, and requests to anywhere but the server. */
  readonly problems: string[];
}

export async function openPage(browser: Browser, serverUrl: string): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  const origin = new URL(serverUrl).origin;
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${String(e)}`));
  page.on('request', (r) => !r.url().startsWith(origin) && problems.push(`outside request: ${r.url()}`));
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(PROJECT_ROOT, 'test-results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `serve-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The texts of one column of a dashboard table, found by its header, in row order. */
export async function columnTexts(page: Page, tableId: string, header: string): Promise<string[]> {
  // the text as written: the page's style capitalizes headers
  const headers = await page.locator(`#${tableId} thead th`).allTextContents();
  const at = headers.findIndex((h) => h.trim() === header);
  if (at < 0) throw new Error(`#${tableId} has no column ${header}: ${headers.join(', ')}`);
  return page.locator(`#${tableId} tbody tr td:nth-child(${at + 1})`).allInnerTexts();
}
