/**
 * `indexwise serve --allow-apply` on the real PostgreSQL server, in headless Chromium: the
 * Queries page reads pg_stat_statements; the advice runs as a job; Apply (after the
 * confirmation) builds the index through applyPlan, and the Indexes page shows it; History
 * takes monitor snapshots on demand and draws usage over time, per index too.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, serveDashboard } from '../../src/serve/dashboard.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp.js';
import { hasChromium, launchBrowser, openPage, screenshot } from './browser.js';

const SCHEMA = `
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, total numeric NOT NULL);
INSERT INTO orders SELECT g, 1 + g % 5000, g % 100 FROM generate_series(1, 50000) g;
ANALYZE orders;`;

const PASSWORD = 'pw-that-must-not-show-9f3';
let db: TestDatabase;
let dashboard: Dashboard;
let browser: Browser;

beforeAll(async () => {
  if (!hasPostgres || !hasChromium) return;
  db = await createTestDatabase('serve');
  await db.sql(SCHEMA);
  // the workload pg_stat_statements records for this database
  for (let i = 1; i <= 20; i++) await db.sql('SELECT id, total FROM orders WHERE customer_id = $1', [i]);
  // the test cluster trusts local connections: the password is accepted and must never be shown
  const withPassword = new URL(db.url);
  withPassword.password = PASSWORD;
  dashboard = await serveDashboard({
    db: withPassword.toString(),
    port: 0,
    allowApply: true,
    store: join(tempDir('serve-pg'), 'store.db'),
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await db?.drop();
});

describe.skipIf(!hasPostgres || !hasChromium)('serve on PostgreSQL, with --allow-apply', () => {
  it('Queries reads pg_stat_statements; Apply builds the advised index and the Indexes page shows it', async () => {
    const { page, problems } = await openPage(browser, dashboard.url);
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await page.goto(new URL('/queries', dashboard.url).toString());
    const row = page.locator('#queries tbody tr', { hasText: 'FROM orders WHERE customer_id = $1' });
    expect(await row.locator('td').nth(2).innerText()).toBe('20');
    await screenshot(page, 'queries-postgres');
    // the header names the database without its password
    expect(await page.locator('header .db').innerText()).toMatch(/^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/ix_serve_/);
    expect(await page.content()).not.toContain(PASSWORD);

    await page.goto(new URL('/advice', dashboard.url).toString());
    await Promise.all([page.waitForURL(/\/advice$/, { waitUntil: 'load' }), page.locator('#run-advise').click()]);
    await page.waitForSelector('#recommendations');
    const name = await page.locator('#recommendations input[name="apply"]').first().getAttribute('value');
    expect(name).toMatch(/^idx_orders_customer_id/);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    await Promise.all([page.waitForURL(/\/indexes$/, { timeout: 60_000 }), page.locator('#apply').click()]);
    expect(dialogs[0]).toContain(name);
    const listed = await page.locator('#indexes tbody tr td:first-child').allInnerTexts();
    expect(listed).toContain(name);
    const built = await db.sql('SELECT indexdef FROM pg_indexes WHERE indexname = $1', [name]);
    expect(built.rows[0]?.indexdef).toMatch(/ON public\.orders USING btree \(customer_id\)/);
    await screenshot(page, 'indexes-after-apply');
    for (const path of ['/', '/advice', '/health', '/history']) {
      await page.goto(new URL(path, dashboard.url).toString());
      expect(await page.content()).not.toContain(PASSWORD);
    }
    expect(problems.join('\n')).toBe('');
  });

  it('History takes snapshots on demand (POST with the CSRF token) and draws usage over time', async () => {
    const { page, problems } = await openPage(browser, dashboard.url);
    await page.goto(new URL('/history', dashboard.url).toString());
    for (let i = 0; i < 2; i++) {
      await Promise.all([page.waitForEvent('load'), page.locator('#take-snapshot').click()]);
      await db.sql('SELECT id FROM orders WHERE customer_id = 7');
    }
    expect(await page.locator('#snapshots tbody tr').count()).toBe(2);
    await page.waitForSelector('canvas');
    await screenshot(page, 'history');
    await page.goto(new URL('/indexes/public/orders_pkey', dashboard.url).toString());
    await page.waitForSelector('canvas');
    expect(problems.join('\n')).toBe('');
  });
});
