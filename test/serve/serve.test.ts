/**
 * `indexwise serve` end to end on a SQLite file (fast to make; PostgreSQL has its own file),
 * in headless Chromium: every page loads without console errors or requests outside the
 * server (a screenshot each, in test-results/); a table sorts on a click; "last used" is n/a
 * without statistics; the Queries list shows each query's plan scans once the advice ran; a table and an
 * index named like HTML render as text; an advise job shows its progress and its migration
 * downloads and parses; without --allow-apply the apply route answers 403 and the database
 * keeps its indexes (the Indexes page reads the live catalog).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseStatements } from '../../src/analysis/parse.js';
import Database from 'better-sqlite3';
import { type Dashboard, serveDashboard } from '../../src/serve/dashboard.js';
import { tempDir } from '../helpers/temp.js';
import { columnTexts, hasChromium, launchBrowser, openPage, screenshot, type WatchedPage } from './browser.js';

// what a name would run if it reached the page as markup
const SCRIPT_TABLE = '<script>window.pwned=1</script>';
const IMG_INDEX = '<img src=x onerror="window.pwned=2">';

const SCHEMA = `
CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL);
CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL, status TEXT NOT NULL, title TEXT NOT NULL);
CREATE INDEX posts_status_idx ON posts (status);
CREATE TABLE "${SCRIPT_TABLE}" (id INTEGER PRIMARY KEY, k INTEGER NOT NULL);
CREATE INDEX "${IMG_INDEX.replaceAll('"', '""')}" ON "${SCRIPT_TABLE}" (k);
WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 20000)
INSERT INTO posts SELECT n, 1 + n % 2000, CASE WHEN n % 10 = 0 THEN 'draft' ELSE 'live' END, 'post ' || n FROM g;
INSERT INTO authors SELECT id, 'a' || id, 'a' || id || '@x.org' FROM posts WHERE id <= 2000;
INSERT INTO "${SCRIPT_TABLE}" SELECT id, id % 100 FROM posts WHERE id <= 2000;
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
const file = join(dir, 'app.db');
let dashboard: Dashboard;
let browser: Browser;
let indexesBefore: string[];

beforeAll(async () => {
  const sqlite = new Database(file);
  sqlite.exec(SCHEMA);
  indexesBefore = sqlite
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`)
    .all()
    .map((r) => `main.${(r as { name: string }).name}`);
  sqlite.close();
  writeFileSync(join(dir, 'workload.sql'), WORKLOAD);
  dashboard = await serveDashboard({ db: `sqlite:${file}`, sources: [{ kind: 'sql', path: join(dir, 'workload.sql') }], port: 0 });
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

describe.skipIf(!hasChromium)('serve on SQLite in headless Chromium', () => {
  it('every page loads without console errors or outside requests; a table sorts on a click', async () => {
    const watched = await openPage(browser, dashboard.url);
    const page = await visit(watched, '/');
    expect(await page.locator('h1').innerText()).toBe('Overview');
    expect(await page.locator('#cache-hit').innerText()).toBe('n/a'); // SQLite keeps no buffer statistics
    await screenshot(page, 'overview');
    for (const [path, name] of [
      ['/queries', 'queries'],
      ['/health', 'health'],
      ['/history', 'history-sqlite'],
    ] as const) {
      await visit(watched, path);
      await screenshot(page, name);
    }
    await visit(watched, '/queries');
    // no advice yet: each query's plan scans come from it, and the column says where to run it
    const scansBefore = page.locator('#queries tbody tr', { hasText: 'posts_of_author' }).locator('td').nth(5);
    expect(await scansBefore.innerText()).toBe('run the advice');
    expect(await scansBefore.locator('a').getAttribute('href')).toBe('/advice');
    await page.locator('#queries a', { hasText: 'SELECT id, title FROM posts' }).click();
    await page.getByRole('button', { name: 'EXPLAIN' }).click();
    await expect
      .poll(() =>
        page
          .locator('#explain-result pre')
          .innerText()
          .catch(() => ''),
      )
      .toMatch(/Scan on posts/);
    await screenshot(page, 'query');

    await visit(watched, '/indexes');
    await screenshot(page, 'indexes');
    // SQLite keeps no usage statistics and this dashboard no snapshots: when an index was last used is unknown
    const lastUsed = await columnTexts(page, 'indexes', 'last used');
    expect(lastUsed).toHaveLength(indexesBefore.length);
    expect(new Set(lastUsed)).toEqual(new Set(['n/a']));
    // the size column's raw bytes, in row order
    const sizes = async () =>
      await page.locator('#indexes tbody tr td:nth-child(4)').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-sort'))));
    const sortBySize = async () => {
      const done = page.evaluate(
        () => new Promise((resolve) => document.addEventListener('sort-end', () => resolve(true), { once: true })),
      );
      await page.locator('#indexes th', { hasText: 'size' }).click();
      await done;
    };
    const unsorted = await sizes();
    await sortBySize();
    const first = await sizes();
    await sortBySize();
    const second = await sizes();
    expect(first).toHaveLength(indexesBefore.length);
    const ascending = [...unsorted].sort((x, y) => x - y);
    expect(ascending[0]).toBeLessThan(ascending[ascending.length - 1] ?? 0);
    expect([first, second]).toContainEqual(ascending);
    expect([first, second]).toContainEqual([...ascending].reverse());
    expect(await page.locator('#indexes th', { hasText: 'size' }).getAttribute('aria-sort')).toMatch(/ascending|descending/);
    await page.locator('#indexes a', { hasText: 'posts_status_idx' }).click();
    expect(await page.locator('h1').innerText()).toBe('Index');
    expect(await page.locator('dd code').first().innerText()).toContain('(status)');
    expect(await page.locator('#last-used').innerText()).toBe('n/a');
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
    // the only scripts are the server's files; no element the payload would make
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.src.replace(location.origin, '') || s.type));
    expect(scripts).toEqual(['/assets/sortable.min.js', '/assets/app.js']); // Chart.js only where a chart is drawn
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(watched.problems).toEqual([]);
  });

  it('advise runs as a job with visible progress; its migration downloads and parses', async () => {
    const watched = await openPage(browser, dashboard.url);
    const page = watched.page;
    await visit(watched, '/advice');
    // what the job box showed, kept in sessionStorage (synchronous, and it outlives the page's
    // move to the result): on a quiet machine the job can end before the first poll, and a
    // callback into the test would be lost in that navigation
    await page.evaluate(() => {
      const box = document.getElementById('job');
      if (box)
        new MutationObserver(() => sessionStorage.setItem('shown', `${sessionStorage.getItem('shown') ?? ''}\n${box.innerText}`)).observe(
          box,
          {
            subtree: true,
            childList: true,
            characterData: true,
          },
        );
    });
    await Promise.all([page.waitForURL(/\/advice$/, { waitUntil: 'load' }), page.locator('#run-advise').click()]);
    await page.waitForSelector('#recommendations');
    const shown = await page.evaluate(() => sessionStorage.getItem('shown') ?? '');
    expect(shown).toMatch(/queries|candidates|baseline|explore/);
    const rows = await page.locator('#recommendations tbody tr').allInnerTexts();
    expect(rows.some((r) => /\bposts\b/.test(r) && r.includes('author_id'))).toBe(true);
    await screenshot(page, 'advice');

    // the trial (verify --trial), on a copy of the file
    await Promise.all([page.waitForURL(/\/advice$/, { waitUntil: 'load' }), page.locator('#run-trial').click()]);
    expect(await page.locator('#trial-result').innerText()).toMatch(/^Trial: workload [\d.]+ ms → [\d.]+ ms/);

    await page.locator('#migration-sql').click();
    const link = page.locator('a.download', { hasText: /\.up\.sql$/ });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const sql = readFileSync(file, 'utf8');
    await loadParser();
    const statements = parseStatements(sql);
    expect(statements.length).toBeGreaterThan(0);
    expect(sql).toMatch(/CREATE INDEX (IF NOT EXISTS )?idx_posts_author_id/);
    // the overview now tells what the advice saves on the top query
    await visit(watched, '/');
    const top = page.locator('#top-queries tr', { hasText: 'posts_of_author' });
    expect(await top.locator('td').last().innerText()).toMatch(/^\d+\.\d%$/);
    // the Queries list shows each query's plan scans as the advice planned them, before its indexes
    await visit(watched, '/queries');
    const scans = await columnTexts(page, 'queries', 'plan scans');
    const names = await columnTexts(page, 'queries', 'name');
    const of = (name: string) => scans[names.indexOf(name)];
    expect(of('posts_of_author')).toBe('Seq Scan on posts');
    expect(of('author_by_email')).toBe('Seq Scan on authors');
    expect(await page.locator('#queries li.seq-scan', { hasText: 'Seq Scan on posts' }).count()).toBe(1);
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
    // the database kept its indexes: the Indexes page reads the live catalog
    await visit(watched, '/indexes');
    const names = await page.locator('#indexes tbody tr td:first-child').allInnerTexts();
    expect(names.map((n) => `main.${n}`).sort()).toEqual([...indexesBefore].sort());
  });
});
