/**
 * `indexwise serve` end to end on a PGlite directory, in headless Chromium: every page loads
 * without console errors or requests outside the server (a screenshot each, in
 * test-results/); a table sorts on a click; a table and an index named like HTML render as
 * text; an advise job shows its progress and its migration downloads and parses; snapshots
 * taken from History draw the usage chart; without --allow-apply the apply route answers
 * 403 and the database keeps its indexes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseStatements } from '../../src/analysis/parse.js';
import { connect } from '../../src/engines/connect.js';
import { openPglite } from '../../src/engines/pglite/driver.js';
import { type Dashboard, serveDashboard } from '../../src/serve/dashboard.js';
import { tempDir } from '../helpers/temp.js';
import { hasChromium, launchBrowser, openPage, screenshot, type WatchedPage } from './browser.js';

// what a name would run if it reached the page as markup
const SCRIPT_TABLE = '<script>window.pwned=1</script>';
const IMG_INDEX = '<img src=x onerror="window.pwned=2">';

const SCHEMA = `
CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL);
CREATE TABLE posts (id bigint PRIMARY KEY, author_id bigint NOT NULL, status text NOT NULL, title text NOT NULL);
CREATE INDEX posts_status_idx ON posts (status);
CREATE TABLE "${SCRIPT_TABLE}" (id bigint PRIMARY KEY, k int NOT NULL);
CREATE INDEX "${IMG_INDEX.replaceAll('"', '""')}" ON "${SCRIPT_TABLE}" (k);
INSERT INTO authors SELECT g, 'a' || g, 'a' || g || '@x.org' FROM generate_series(1, 3000) g;
INSERT INTO posts SELECT g, 1 + g % 3000, CASE WHEN g % 10 = 0 THEN 'draft' ELSE 'live' END, 'post ' || g FROM generate_series(1, 30000) g;
INSERT INTO "${SCRIPT_TABLE}" SELECT g, g % 100 FROM generate_series(1, 2000) g;
ANALYZE;`;

const WORKLOAD = `-- name: posts_of_author
-- calls_per_minute: 200
SELECT id, title FROM posts WHERE author_id = $1;
-- name: author_by_email
-- calls_per_minute: 50
SELECT id, name FROM authors WHERE email = $1;
-- name: hostile
SELECT id FROM "${SCRIPT_TABLE}" WHERE k = $1;`;

const dir = tempDir('serve');
const dbDir = join(dir, 'db');
let dashboard: Dashboard;
let browser: Browser;
let indexesBefore: string[];

async function indexNames(): Promise<string[]> {
  const engine = await connect(`pglite:${dbDir}`, { readOnly: true });
  try {
    return (await engine.catalog()).indexes.map((i) => `${i.schema}.${i.name}`).sort();
  } finally {
    await engine.close();
  }
}

beforeAll(async () => {
  const driver = await openPglite(dbDir, { create: true });
  await driver.exec(SCHEMA);
  await driver.close();
  indexesBefore = await indexNames();
  writeFileSync(join(dir, 'workload.sql'), WORKLOAD);
  dashboard = await serveDashboard({
    db: `pglite:${dbDir}`,
    sources: [{ kind: 'sql', path: join(dir, 'workload.sql') }],
    port: 0,
    store: join(dir, 'store.db'),
  });
  if (hasChromium) browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
});

async function visit(watched: WatchedPage, path: string): Promise<Page> {
  const response = await watched.page.goto(new URL(path, dashboard.url).toString());
  expect(response?.status(), path).toBe(200);
  return watched.page;
}

describe.skipIf(!hasChromium)('serve on PGlite in headless Chromium', () => {
  it('every page loads without console errors or outside requests; a table sorts on a click', async () => {
    const watched = await openPage(browser, dashboard.url);
    const page = await visit(watched, '/');
    expect(await page.locator('h1').innerText()).toBe('Overview');
    expect(await page.locator('#cache-hit').innerText()).toMatch(/%$/);
    await screenshot(page, 'overview');
    for (const [path, name] of [
      ['/queries', 'queries'],
      ['/health', 'health'],
      ['/history', 'history'],
    ] as const) {
      await visit(watched, path);
      await screenshot(page, name);
    }
    await visit(watched, '/queries');
    await page.locator('#queries a', { hasText: 'SELECT id, title FROM posts' }).click();
    await page.getByRole('button', { name: 'EXPLAIN' }).click();
    await expect
      .poll(() =>
        page
          .locator('#explain-result pre')
          .innerText()
          .catch(() => ''),
      )
      .toMatch(/Seq Scan on (public\.)?posts/);
    await screenshot(page, 'query');

    await visit(watched, '/indexes');
    await screenshot(page, 'indexes');
    const names = () => page.locator('#indexes tbody tr td:first-child').allInnerTexts();
    const sortBySize = async () => {
      const done = page.evaluate(
        () => new Promise((resolve) => document.addEventListener('sort-end', () => resolve(true), { once: true })),
      );
      await page.locator('#indexes th', { hasText: 'size' }).click();
      await done;
    };
    await sortBySize();
    const first = await names();
    await sortBySize();
    const second = await names();
    expect(first).toHaveLength(indexesBefore.length);
    expect(second).toEqual([...first].reverse());
    expect(await page.locator('#indexes th', { hasText: 'size' }).getAttribute('aria-sort')).toMatch(/ascending|descending/);
    await page.locator('#indexes a', { hasText: 'posts_status_idx' }).click();
    expect(await page.locator('h1').innerText()).toBe('Index');
    expect(await page.locator('dd code').first().innerText()).toContain('(status)');
    expect(watched.problems.join('\n')).toBe('');
  });

  it('names that look like HTML render as text and run nothing', async () => {
    const watched = await openPage(browser, dashboard.url);
    const page = await visit(watched, '/indexes');
    const cell = page.locator('#indexes td', { hasText: IMG_INDEX }).first();
    expect(await cell.innerText()).toBe(IMG_INDEX);
    expect(await page.locator('#indexes td', { hasText: SCRIPT_TABLE }).count()).toBeGreaterThan(0);
    await visit(watched, '/queries');
    expect(await page.locator('#queries code', { hasText: SCRIPT_TABLE }).count()).toBe(1);
    // the only scripts are the server's three files and the JSON blocks; no element the payload would make
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.src.replace(location.origin, '') || s.type));
    expect(scripts).toEqual(['/assets/chart.umd.min.js', '/assets/sortable.min.js', '/assets/app.js']);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(watched.problems).toEqual([]);
  });

  it('advise runs as a job with visible progress; its migration downloads and parses', async () => {
    const watched = await openPage(browser, dashboard.url);
    const page = watched.page;
    const shown: string[] = [];
    await page.exposeFunction('reportJobText', (text: string) => shown.push(text));
    await visit(watched, '/advice');
    await page.evaluate(() => {
      const report = (window as unknown as { reportJobText: (t: string) => void }).reportJobText;
      const box = document.getElementById('job');
      if (box) new MutationObserver(() => report(box.innerText)).observe(box, { subtree: true, childList: true, characterData: true });
    });
    await Promise.all([page.waitForURL(/\/advice$/, { waitUntil: 'load' }), page.locator('#run-advise').click()]);
    await page.waitForSelector('#recommendations');
    expect(shown.some((t) => /queries|candidates|baseline|explore/.test(t))).toBe(true);
    const rows = await page.locator('#recommendations tbody tr').allInnerTexts();
    expect(rows.some((r) => r.includes('public.posts') && r.includes('author_id'))).toBe(true);
    await screenshot(page, 'advice');

    await page.locator('#migration-sql').click();
    const link = page.locator('a.download', { hasText: /\.up\.sql$/ });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const sql = readFileSync(file, 'utf8');
    await loadParser();
    const statements = parseStatements(sql);
    expect(statements.length).toBeGreaterThan(0);
    expect(sql).toMatch(/CREATE INDEX (CONCURRENTLY )?IF NOT EXISTS idx_posts_author_id/);
    // the overview now tells what the advice saves on the top query
    await visit(watched, '/');
    const top = page.locator('#top-queries tr', { hasText: 'posts_of_author' });
    expect(await top.locator('td').last().innerText()).toMatch(/^\d+\.\d%$/);
    expect(watched.problems).toEqual([]);
  });

  it('History takes snapshots on demand (POST with the CSRF token) and draws usage over time', async () => {
    const watched = await openPage(browser, dashboard.url);
    const page = await visit(watched, '/history');
    for (let i = 0; i < 2; i++) {
      await Promise.all([page.waitForEvent('load'), page.locator('#take-snapshot').click()]);
    }
    expect(await page.locator('#snapshots tbody tr').count()).toBe(2);
    await page.waitForSelector('canvas');
    await screenshot(page, 'history');
    expect(watched.problems).toEqual([]);
  });

  it('without --allow-apply the apply route answers 403, and a POST without the CSRF token 403', async () => {
    const watched = await openPage(browser, dashboard.url);
    const page = await visit(watched, '/advice');
    expect(await page.locator('#apply').count()).toBe(0);
    const status = await page.evaluate(async () => {
      const token = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
      const r = await fetch('/api/apply', {
        method: 'POST',
        headers: { 'x-csrf-token': token, 'content-type': 'application/json' },
        body: JSON.stringify({ indexes: ['idx_posts_author_id'] }),
      });
      return r.status;
    });
    expect(status).toBe(403);
    const noToken = await fetch(new URL('/api/advise', dashboard.url), { method: 'POST' });
    expect(noToken.status).toBe(403);
    expect(await noToken.json()).toEqual({ error: 'missing or wrong CSRF token' });
  });
});

describe('the database served without --allow-apply', () => {
  it('keeps its indexes', async () => {
    await dashboard.close();
    expect(await indexNames()).toEqual(indexesBefore);
  });
});
