/**
 * `indexwise serve --allow-apply` on the real PostgreSQL server, in headless Chromium: the
 * Queries page reads pg_stat_statements; the advice runs as a job; Apply (after the
 * confirmation) builds the index through applyPlan, and the Indexes page shows it; History
 * takes monitor snapshots on demand and draws usage over time, per index too; the Indexes page
 * tells when each index was last used (between two snapshots), the Queries list each query's plan scans.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, serveDashboard } from '../../src/serve/dashboard.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp.js';
import { columnTexts, hasChromium, launchBrowser, openPage, screenshot } from './browser.js';

const SCHEMA = `
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, total numeric NOT NULL);
INSERT INTO orders SELECT g, 1 + g % 5000, g % 100 FROM generate_series(1, 50000) g;
ANALYZE orders;`;

const PASSWORD = 'pw-that-must-not-show-9f3';
const storePath = join(tempDir('serve-pg'), 'store.db');
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
    store: storePath,
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
    // the Queries list now shows the query's plan scans, from the advice's baseline plan
    await page.goto(new URL('/queries', dashboard.url).toString());
    const scans = await columnTexts(page, 'queries', 'plan scans');
    const queries = await columnTexts(page, 'queries', 'query');
    expect(scans[queries.findIndex((q) => q.includes('FROM orders WHERE customer_id = $1'))]).toMatch(/^(Parallel )?Seq Scan on orders$/);
    await page.goto(new URL('/advice', dashboard.url).toString());
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
      // the session's counters reach the statistics when it next goes idle, not up to a second later
      await db.sql('SELECT pg_stat_force_next_flush()');
    }
    expect(await page.locator('#snapshots tbody tr').count()).toBe(2);
    await page.waitForSelector('canvas');
    await screenshot(page, 'history');

    // last used, on PostgreSQL 15 (no last_idx_scan) from the snapshots: the applied index between
    // the two, the primary key in none of them
    const store = new Database(storePath, { readonly: true });
    const [first, second] = store
      .prepare('SELECT taken_at FROM snapshots ORDER BY taken_at')
      .all()
      .map((r) => (r as { taken_at: string }).taken_at);
    store.close();
    const minute = (iso: string | undefined) => `${iso?.replace('T', ' ').slice(0, 16)}`;
    await page.goto(new URL('/indexes', dashboard.url).toString());
    const names = await columnTexts(page, 'indexes', 'index');
    const lastUsed = await columnTexts(page, 'indexes', 'last used');
    const applied = names.findIndex((n) => n.startsWith('idx_orders_customer_id'));
    const sameDay = first?.slice(0, 10) === second?.slice(0, 10);
    expect(lastUsed[applied]).toBe(`between ${minute(first)} and ${minute(second).slice(sameDay ? 11 : 0)} UTC`);
    expect(await page.locator('#indexes tbody tr').nth(applied).locator('.last-used').getAttribute('title')).toBe(
      `scanned after the snapshot of ${first} and by the one of ${second}`,
    );
    expect(lastUsed[names.indexOf('orders_pkey')]).toBe(`not used since ${minute(first)} UTC`);
    await screenshot(page, 'indexes-last-used');
    await page.goto(new URL('/indexes/public/orders_pkey', dashboard.url).toString());
    await page.waitForSelector('canvas');
    expect(await page.locator('#last-used').innerText()).toBe(`not used since ${minute(first)} UTC`);
    expect(problems.join('\n')).toBe('');
  });
});
