/**
 * The index-strategy report: Markdown content for a known schema, and the HTML opened in
 * a real headless Chromium (no console errors, charts drawn, a table sorted by a click,
 * a screenshot kept in test-results/).
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { collectReport } from '../../src/report/collect.js';
import type { ReportData } from '../../src/report/data.js';
import { renderReport, writeReport } from '../../src/report/write.js';
import { runCli, PROJECT_ROOT } from '../helpers/cli.js';
import { PGLITE, type TestEngine } from '../helpers/engines.js';
import { workloadFromSql } from '../helpers/workload.js';
import { tempDir } from '../helpers/temp.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`CI=true but ${CHROMIUM} is missing: npm test installs it`);

const SCHEMA = `
CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL);
CREATE TABLE posts (id bigint PRIMARY KEY, author_id bigint NOT NULL REFERENCES authors (id), status text NOT NULL,
  published_at timestamptz, deleted_at timestamptz, title text NOT NULL);
CREATE INDEX posts_status_idx ON posts (status);
CREATE UNIQUE INDEX authors_email_key ON authors (email);
INSERT INTO authors SELECT g, 'a' || g, 'a' || g || '@x.org' FROM generate_series(1, 2000) g;
INSERT INTO posts SELECT g, 1 + g % 2000, CASE WHEN g % 10 = 0 THEN 'draft' ELSE 'live' END,
  timestamptz '2024-01-01' + g * interval '1 hour', CASE WHEN g % 50 = 0 THEN now() END, 'post ' || g
  FROM generate_series(1, 100000) g;
ANALYZE;`;

const WORKLOAD = `-- name: posts_of_author
-- calls_per_minute: 200
SELECT id, title FROM posts WHERE author_id = $1 AND deleted_at IS NULL ORDER BY published_at DESC LIMIT 20;
-- name: author_by_email
-- calls_per_minute: 50
SELECT id, name FROM authors WHERE email = $1;`;

let db: TestEngine;
let data: ReportData;
const dir = tempDir('report');

beforeAll(async () => {
  db = await PGLITE.open('report');
  await db.setup(SCHEMA);
  data = await collectReport(db.engine, await workloadFromSql(WORKLOAD), {
    sources: ['sql:test'],
    commands: ['indexwise report --db pglite:x --out r.md'],
  });
});
afterAll(async () => db?.cleanup());

describe('the Markdown report', () => {
  it('lists every existing index with its definition and size, and which queries use it', () => {
    const md = renderReport(data, 'markdown');
    for (const index of data.catalog.indexes) expect(md).toContain(`\`${index.name}\``);
    expect(md).toMatch(/\| `authors_email_key` \| `USING btree \(email\)` \| [\d.]+ kB \| .* \| author_by_email \|/);
    expect(md).toContain('## The kinds of index this database uses');
    expect(md).toContain('## When to add an index, and when not');
    expect(md).toContain('## Maintenance');
  });

  it('has the recommendations with their numbers and the migration command', () => {
    const md = renderReport(data, 'markdown');
    const rec = data.advice.recommendations.find((r) => r.table === 'public.posts');
    expect(rec).toBeDefined();
    expect(md).toContain(`| \`public.posts\` | \`(${rec?.columns.join(', ')})`);
    expect(md).toMatch(/\| `public\.posts` \| `\(author_id[^`]*` \| [\d.]+ (kB|MB) \| 1 \| [\d,]+ \| [\d,.]+ \| [\d.]+% \|/);
    expect(md).toContain(`${rec?.sql};`);
    expect(md).toContain('indexwise migrate --format sql');
    expect(md).toContain('## How to repeat');
    expect(md).toContain('indexwise report --db pglite:x --out r.md');
  });

  it('the CLI writes it; a bad extension is a one-line error', async () => {
    const bad = await runCli(['report', '--db', 'pglite:memory', '--out', join(dir, 'r.pdf')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(`indexwise: --out must end in .md or .html, got "${join(dir, 'r.pdf')}"`);
  });
});

describe.skipIf(!hasChromium)('the HTML report in headless Chromium', () => {
  it('opens offline without console errors, draws its charts, sorts a table on a click', async () => {
    const file = join(dir, 'report.html');
    writeReport(data, file);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=["']?https?:/); // self-contained
    const browser = await chromium.launch({
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
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (r) => !r.url().startsWith('file:') && !r.url().startsWith('data:') && errors.push(`network: ${r.url()}`));
      await page.goto(`file://${file}`);
      await page.waitForFunction(() => document.querySelectorAll('canvas').length >= 2);
      const drawn = await paintedPixels(page);
      expect(drawn.length).toBeGreaterThanOrEqual(2);
      for (const painted of drawn) expect(painted).toBeGreaterThan(500);

      const table = page.locator('table.sortable').filter({ hasText: 'posts_status_idx' }).first();
      const names = async () => table.locator('tbody tr td:first-child').allInnerTexts();
      const sizeHeader = table.locator('th', { hasText: 'size' });
      // the sorter re-orders the rows in a timer after the click and then fires sort-end
      const sortBy = async () => {
        const done = page.evaluate(
          () => new Promise((resolve) => document.addEventListener('sort-end', () => resolve(true), { once: true })),
        );
        await sizeHeader.click();
        await done;
      };
      await sortBy();
      const afterFirst = await names();
      await sortBy();
      const afterSecond = await names();
      expect(await sizeHeader.getAttribute('aria-sort')).toMatch(/ascending|descending/);
      expect(afterFirst.length).toBe(2);
      expect(afterSecond).toEqual([...afterFirst].reverse());

      const shots = join(PROJECT_ROOT, 'test-results');
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'report.png'), fullPage: true });
      expect(statSync(join(shots, 'report.png')).size).toBeGreaterThan(10_000);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

// issue 15: a name containing `<!--` made the HTML parser swallow the end of the charts' JSON script, and every chart broke
// (52 bytes with the "k" of the index: under PostgreSQL's 63)
const HOSTILE = '<!--</script><script>window.hacked=1</script>\u2028\u2029&';
const HOSTILE_SCHEMA = `
CREATE TABLE "t${HOSTILE}" (id bigint PRIMARY KEY, k int NOT NULL, v text);
CREATE INDEX "k${HOSTILE}" ON "t${HOSTILE}" (k);
INSERT INTO "t${HOSTILE}" SELECT g, g % 500, 'v' || g FROM generate_series(1, 20000) g;
ANALYZE;`;

describe.skipIf(!hasChromium)('the HTML report with names that look like HTML', () => {
  it('`<!--`, `</script>`, U+2028 and U+2029 in index and query names: the charts’ JSON parses and they are drawn', async () => {
    const hostile = await PGLITE.open('report-hostile');
    try {
      await hostile.setup(HOSTILE_SCHEMA);
      const workload = await workloadFromSql(`SELECT id FROM "t${HOSTILE}" WHERE k = $1 AND v = $2;`);
      const hostileData = await collectReport(hostile.engine, workload, { sources: ['sql:test'], commands: [] });
      expect(hostileData.counters.some((c) => c.index === `k${HOSTILE}`)).toBe(true);
      const file = join(dir, 'hostile.html');
      writeReport(hostileData, file);
      const html = readFileSync(file, 'utf8');
      const json = /<script type="application\/json" id="indexwise-charts">([^]*?)<\/script>/.exec(html)?.[1] ?? '';
      expect(json).not.toMatch(/[<>\u2028\u2029]/);
      const charts = JSON.parse(json) as { id: string; config: { data: { labels?: string[] } } }[];
      // the index's name is a scatter point's label, the query's text a bar's
      expect(JSON.stringify(charts)).toContain(JSON.stringify(`public."k${HOSTILE}"`).slice(1, -1));
      expect(charts.find((c) => c.id === 'chart-cost')?.config.data.labels?.[0]).toMatch(/^SELECT id FROM "t<!--<\/script><script>/);
      await withPage(file, async (page, errors) => {
        await page.waitForFunction(() => document.querySelectorAll('canvas').length >= 2);
        const parsed = await page.evaluate(
          () => JSON.parse(document.getElementById('indexwise-charts')?.textContent ?? '') as { id: string }[],
        );
        expect(parsed.map((c) => c.id)).toEqual(charts.map((c) => c.id));
        expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
        for (const painted of await paintedPixels(page)) expect(painted).toBeGreaterThan(500);
        expect(errors).toEqual([]);
      });
    } finally {
      await hostile.cleanup();
    }
  });
});

async function withPage(file: string, body: (page: import('playwright-core').Page, errors: string[]) => Promise<void>): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`file://${file}`);
    await body(page, errors);
  } finally {
    await browser.close();
  }
}

/** Per canvas, how many of its pixels something was drawn on. */
function paintedPixels(page: import('playwright-core').Page): Promise<number[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('canvas')].map((canvas) => {
      const context = canvas.getContext('2d');
      if (!context || canvas.width === 0) return 0;
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) painted++;
      return painted;
    }),
  );
}
