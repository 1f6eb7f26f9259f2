/**
 * `indexwise serve --fleet` on a fleet of two SQLite files, one PostgreSQL database (once by a
 * literal URL with a password, once by `env:VAR`), one member nobody listens for and one named
 * `..`, in headless Chromium: the picker in the header lists every member and switches from one
 * member's Indexes page to another's; an advise job on one member shows on its Advice page only;
 * the unreachable member answers 502 with one line while the others work; no password of the file
 * reaches any page; members open on their first visit only (200 members start closed), at most
 * --max-open at once; auth, CSRF and the Host check stand in front of every member. The real CLI
 * serves a fleet until SIGINT, and refuses --db with --fleet (exit 2, one line).
 */
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFleet, parseFleet, selectMembers } from '../../src/fleet/fleet-file.js';
import { type FleetDashboard, serveFleetDashboard } from '../../src/serve/dashboard.js';
import { Links } from '../../src/serve/links.js';
import { runCli, startCli } from '../helpers/cli.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp.js';
import { columnTexts, hasChromium, launchBrowser, openPage, screenshot, type WatchedPage } from './browser.js';

// the test cluster trusts the postgres role on 127.0.0.1: these passwords are accepted, and must never show
const LITERAL_PASSWORD = 'literal-pw-7c1e55';
const ENV_PASSWORD = 'env-pw-41d0aa';
const GONE_PASSWORD = 'gone-pw-e93b02';
const PASSWORDS = [LITERAL_PASSWORD, ENV_PASSWORD, GONE_PASSWORD];
const ENV_VAR = 'IX_SERVE_FLEET_PG_URL';

// a name with everything a URL or a page could trip on
const ODD = 'b/"<i>" 100% ~';

const dir = tempDir('serve-fleet');
const fleetFile = join(dir, 'fleet.json');
let pg: TestDatabase;
let dashboard: FleetDashboard;
let browser: Browser;
const serverErrors: string[] = [];
const TOKEN = 'fleet-token-0123456789abcdef';

function sqliteMember(file: string, schema: string): void {
  const db = new Database(file);
  db.exec(schema);
  db.close();
}

beforeAll(async () => {
  if (!hasPostgres || !hasChromium) return;
  sqliteMember(
    join(dir, 'alpha.db'),
    `CREATE TABLE items (id INTEGER PRIMARY KEY, sku TEXT NOT NULL, shelf INTEGER NOT NULL);
     CREATE INDEX items_shelf_idx ON items (shelf);
     WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 5000)
     INSERT INTO items SELECT n, 'sku-' || n, n % 50 FROM g;
     ANALYZE;`,
  );
  sqliteMember(
    join(dir, 'beta.db'),
    `CREATE TABLE visits (id INTEGER PRIMARY KEY, page TEXT NOT NULL, at INTEGER NOT NULL);
     CREATE INDEX visits_at_idx ON visits (at);
     INSERT INTO visits VALUES (1, '/', 1), (2, '/a', 2);`,
  );
  writeFileSync(join(dir, 'alpha.sql'), '-- name: item_by_sku\n-- calls_per_minute: 100\nSELECT id FROM items WHERE sku = $1;\n');
  writeFileSync(join(dir, 'beta.sql'), 'SELECT id FROM visits WHERE page = $1;\n');
  pg = await createTestDatabase('serve_fleet');
  await pg.sql('CREATE TABLE accounts (id int PRIMARY KEY, email text NOT NULL); CREATE INDEX accounts_email_idx ON accounts (email);');
  writeFileSync(join(dir, 'pg.sql'), 'SELECT id FROM accounts WHERE email = $1;\n');
  const withPassword = (password: string) => {
    const url = new URL(pg.url);
    url.password = password;
    return url.toString();
  };
  writeFileSync(
    fleetFile,
    JSON.stringify({
      databases: {
        alpha: { url: `sqlite:${join(dir, 'alpha.db')}`, tags: ['sqlite', 'eu'], from: [`sql:${join(dir, 'alpha.sql')}`] },
        [ODD]: { url: `sqlite:${join(dir, 'beta.db')}`, tags: ['sqlite'], from: [`sql:${join(dir, 'beta.sql')}`] },
        pg: { url: withPassword(LITERAL_PASSWORD), tags: ['pg'], from: [`sql:${join(dir, 'pg.sql')}`] },
        'pg-env': { url: `env:${ENV_VAR}`, tags: ['pg'], from: [`sql:${join(dir, 'pg.sql')}`] },
        gone: { url: `postgres://postgres:${GONE_PASSWORD}@127.0.0.1:1/nothing`, tags: ['pg'] },
        '..': { url: `sqlite:${join(dir, 'alpha.db')}`, from: [`sql:${join(dir, 'alpha.sql')}`] },
      },
    }),
  );
  const fleet = loadFleet(fleetFile, { [ENV_VAR]: withPassword(ENV_PASSWORD) });
  dashboard = await serveFleetDashboard({ members: selectMembers(fleet), port: 0, onError: (m) => serverErrors.push(m) });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await pg?.drop();
});

const url = (path: string) => new URL(path, dashboard.url).toString();
const member = (name: string, path = '/') => Links.forMember(name).to(path);

async function visit(watched: WatchedPage, path: string, status = 200): Promise<Page> {
  const response = await watched.page.goto(url(path));
  expect(response?.status(), path).toBe(status);
  return watched.page;
}

describe.skipIf(!hasPostgres || !hasChromium)('serve --fleet in headless Chromium', () => {
  it('the picker lists every member and switches from one Indexes page to another member’s', async () => {
    const watched = await openPage(browser, dashboard.url);
    const page = await visit(watched, member('alpha', '/indexes'));
    const options = await page.locator('#picker-db option').allInnerTexts();
    expect(options.map((o) => o.trim())).toEqual(['alpha (sqlite, eu)', `${ODD} (sqlite)`, 'pg (pg)', 'pg-env (pg)', 'gone (pg)', '..']);
    expect(await page.locator('#picker-db').inputValue()).toBe('alpha');
    expect(await columnTexts(page, 'indexes', 'index')).toEqual(['items_shelf_idx']);

    // app.js submits the picker on change: the same page kind on the chosen member
    await Promise.all([page.waitForURL((u) => u.pathname === member(ODD, '/indexes')), page.locator('#picker-db').selectOption(ODD)]);
    expect(new URL(page.url()).pathname).toBe(member(ODD, '/indexes'));
    expect(await page.locator('h1').innerText()).toBe('Indexes');
    expect(await page.locator('#picker-db').inputValue()).toBe(ODD);
    expect(await columnTexts(page, 'indexes', 'index')).toEqual(['visits_at_idx']);
    await screenshot(page, 'fleet-member-indexes');
    // its links stay under its own prefix
    expect(await page.locator('header nav a', { hasText: 'Queries' }).getAttribute('href')).toBe(member(ODD, '/queries'));

    // and the PostgreSQL member's, by the Go button (what works without script); an index page maps to its list
    await page.locator('#indexes a', { hasText: 'visits_at_idx' }).click();
    expect(await page.locator('h1').innerText()).toBe('Index');
    await page.evaluate(() => {
      const select = document.getElementById('picker-db') as HTMLSelectElement;
      select.value = 'pg';
    });
    await Promise.all([page.waitForURL(/\/db\/pg\/indexes$/), page.locator('#picker-go').click()]);
    expect(await columnTexts(page, 'indexes', 'index')).toEqual(expect.arrayContaining(['accounts_email_idx', 'accounts_pkey']));

    // a name of dots is one member, not a step up
    await visit(watched, member('..'));
    expect(await page.locator('h1').innerText()).toBe('Overview');
    expect(await page.locator('#picker-db').inputValue()).toBe('..');
    expect(watched.problems).toEqual([]);
  });

  it('an advise job on one member shows on its Advice page only', async () => {
    const watched = await openPage(browser, dashboard.url);
    const page = await visit(watched, member('alpha', '/advice'));
    // the job's id, taken from the POST's answer on its way to the page (a body read after the
    // page has moved on to the result would be gone)
    let job: { id: string } | undefined;
    await page.route(`**${member('alpha', '/api/advise')}`, async (route) => {
      const response = await route.fetch();
      job = (await response.json()) as { id: string };
      await route.fulfill({ response });
    });
    await page.locator('#run-advise').click();
    await page.waitForURL(/\/db\/alpha\/advice$/, { waitUntil: 'load' });
    await page.waitForSelector('#recommendations');
    const rows = await page.locator('#recommendations tbody tr').allInnerTexts();
    expect(rows.some((r) => r.includes('items') && r.includes('sku'))).toBe(true);
    if (job === undefined) throw new Error('the advise POST was not seen');

    // the other SQLite member and the one on the same file: no advice, no such job
    for (const other of [ODD, '..']) {
      await visit(watched, member(other, '/advice'));
      expect(await page.locator('#recommendations').count()).toBe(0);
      expect(await page.locator('main').innerText()).toContain('No advice yet.');
      expect((await fetch(url(member(other, `/api/jobs/${job.id}`)))).status).toBe(404);
    }
    const own: unknown = await (await fetch(url(member('alpha', `/api/jobs/${job.id}`)))).json();
    expect(own).toMatchObject({ id: job.id, state: 'done', resultUrl: member('alpha', '/advice') });
    expect(watched.problems).toEqual([]);
  });

  it('the unreachable member shows one line (502) and the others keep working', async () => {
    const watched = await openPage(browser, dashboard.url);
    const page = await visit(watched, member('gone', '/indexes'), 502);
    const error = await page.locator('#member-error').innerText();
    expect(error).toMatch(/^cannot open gone: \S/);
    expect(error).not.toContain('\n');
    expect(await page.locator('#picker-db').inputValue()).toBe('gone');
    await visit(watched, member('pg-env'));
    expect(await page.locator('h1').innerText()).toBe('Overview');
    await visit(watched, member('gone'), 502);
    await visit(watched, member('pg', '/health'));
    expect(await page.locator('h1').innerText()).toBe('Health');
    // its API under its prefix: a query's plan on demand
    await visit(watched, member('pg', '/queries'));
    await page.locator('#queries a', { hasText: 'FROM accounts' }).click();
    await page.getByRole('button', { name: 'EXPLAIN' }).click();
    await expect
      .poll(() =>
        page
          .locator('#explain-result pre')
          .innerText()
          .catch(() => ''),
      )
      .toMatch(/on public\.accounts|on accounts/);
    // a name the file does not have
    await visit(watched, member('nobody'), 404);
    expect(watched.problems.filter((p) => !p.includes('502') && !p.includes('404'))).toEqual([]);
  });

  it('the fleet home lists every member, what is open, and no password anywhere', async () => {
    const watched = await openPage(browser, dashboard.url);
    const page = await visit(watched, '/');
    expect(await page.locator('h1').innerText()).toBe('Fleet');
    expect(await columnTexts(page, 'fleet', 'database')).toEqual(['alpha', ODD, 'pg', 'pg-env', 'gone', '..']);
    const states = await columnTexts(page, 'fleet', 'state');
    expect(states.map((s) => s.split(' ')[0]?.toLowerCase())).toEqual(['open', 'open', 'open', 'open', 'unreachable', 'open']);
    expect(states[4]).toMatch(/ECONNREFUSED|connect/);
    const targets = await columnTexts(page, 'fleet', 'target');
    expect(targets[2]).toMatch(/^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/ix_serve_fleet_/);
    expect(targets[4]).toBe('postgres://postgres:***@127.0.0.1:1/nothing');
    // the Overview of pg-env was seen: its size and findings are shown, the engine of every open one
    expect((await columnTexts(page, 'fleet', 'engine'))[3]).toMatch(/^postgres 15/);
    expect((await columnTexts(page, 'fleet', 'findings'))[3]).toMatch(/error \d+ warning \d+ info \d+/i);
    expect((await columnTexts(page, 'fleet', 'advised indexes'))[0]).toMatch(/^\d+$/);
    await page.locator('#fleet a', { hasText: ODD }).click();
    expect(new URL(page.url()).pathname).toBe(member(ODD));
    await visit(watched, '/');
    await screenshot(page, 'fleet-home');
    expect(watched.problems).toEqual([]);

    // every page of every member, as HTML
    const paths = [
      '/',
      ...['alpha', ODD, 'pg', 'pg-env', 'gone', '..'].flatMap((m) =>
        ['/', '/queries', '/indexes', '/health', '/advice', '/history'].map((p) => member(m, p)),
      ),
    ];
    for (const path of paths) {
      const text = await (await fetch(url(path))).text();
      for (const password of PASSWORDS) expect(text, path).not.toContain(password);
    }
    for (const password of PASSWORDS) expect(serverErrors.join('\n')).not.toContain(password);
  });

  it('the picker’s /switch redirects without script; an unknown page kind goes to the Overview', async () => {
    const go = (query: string) => fetch(url(`/switch?${query}`), { redirect: 'manual' });
    const redirect = async (query: string) => {
      const response = await go(query);
      expect(response.status).toBe(303);
      return response.headers.get('location');
    };
    expect(await redirect(new URLSearchParams({ db: ODD, page: '/health' }).toString())).toBe(member(ODD, '/health'));
    expect(await redirect(new URLSearchParams({ db: 'pg', page: '//evil.example' }).toString())).toBe(member('pg', '/'));
    expect(await redirect(new URLSearchParams({ db: 'nobody', page: '/health' }).toString())).toBe('/');
  });

  it('members open on their first visit only, at most --max-open at once', async () => {
    const many = loadFleet(fleetFile, {}).members[0];
    if (many === undefined) throw new Error('no member');
    const members = Array.from({ length: 200 }, (_, i) => ({ ...many, name: `tenant-${i}`, tags: [`t${i % 3}`] }));
    const started = Date.now();
    const big = await serveFleetDashboard({ members, port: 0, maxOpen: 2 });
    try {
      expect(Date.now() - started).toBeLessThan(2000);
      const home = async () => (await fetch(new URL('/', big.url))).text();
      expect(await home()).toContain('200 databases, 0 open');
      for (const name of ['tenant-0', 'tenant-1', 'tenant-2', 'tenant-1'])
        expect((await fetch(new URL(member(name, '/indexes'), big.url))).status).toBe(200);
      const page = await home();
      expect(page).toContain('200 databases, 2 open');
      // tenant-0 was the least recently visited: closed for tenant-2
      const state = (name: string) => new RegExp(`>${name}</a>[\\s\\S]*?class="(state-open|muted)"`).exec(page)?.[1];
      expect([state('tenant-0'), state('tenant-1'), state('tenant-2'), state('tenant-3')]).toEqual([
        'muted',
        'state-open',
        'state-open',
        'muted',
      ]);
    } finally {
      await big.close();
    }
  });
});

describe('serve --fleet on the command line', () => {
  const cliDir = tempDir('serve-fleet-cli');
  const file = join(cliDir, 'fleet.json');
  beforeAll(() => {
    sqliteMember(join(cliDir, 'a.db'), 'CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER); CREATE INDEX t_k_idx ON t (k);');
    writeFileSync(
      file,
      JSON.stringify({
        databases: { a: { url: `sqlite:${join(cliDir, 'a.db')}`, tags: ['x'] }, b: { url: 'postgres://u:cli-pw-5a1@127.0.0.1:1/b' } },
      }),
    );
  });

  it('serves the fleet until SIGINT: its home, a member, exit 0; the literal password warned about, never printed', async () => {
    const started = startCli(['serve', '--fleet', file, '--port', '0']);
    try {
      const served = await new Promise<string>((resolve, reject) => {
        let out = '';
        started.child.stdout?.on('data', (d) => {
          out += String(d);
          const found = /at (http:\/\/\S+)/.exec(out);
          if (found?.[1]) resolve(found[1]);
        });
        started.child.on('close', () => reject(new Error(`serve exited: ${out}`)));
      });
      const home = await (await fetch(served)).text();
      expect(home).toContain('2 databases, 0 open');
      const indexes = await (await fetch(new URL(member('a', '/indexes'), served))).text();
      expect(indexes).toContain('t_k_idx');
      started.child.kill('SIGINT');
      const result = await started.done;
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^indexwise serve: a fleet of 2 databases at http:\/\/127\.0\.0\.1:\d+\/\n$/);
      expect(result.stderr).toContain('fleet database "b" has a password');
      expect(result.stdout + result.stderr).not.toContain('cli-pw-5a1');
    } finally {
      if (started.child.exitCode === null) started.child.kill('SIGKILL');
    }
  });

  it('security as for one database: auth before any member opens, CSRF on every POST (one token per server), the Host check', async () => {
    const members = selectMembers(loadFleet(file, {}));
    const secured = await serveFleetDashboard({ members, port: 0, auth: { kind: 'token', token: TOKEN } });
    const open = await serveFleetDashboard({ members, port: 0 });
    try {
      const at = (path: string) => new URL(path, secured.url);
      const bearer = { authorization: `Bearer ${TOKEN}` };
      expect((await fetch(at(member('a', '/indexes')))).status).toBe(401);
      expect(await (await fetch(at('/'), { headers: bearer })).text()).toContain('2 databases, 0 open');
      const page = await (await fetch(at(member('a', '/advice')), { headers: bearer })).text();
      const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(page)?.[1] ?? '';
      expect(csrf).not.toBe('');
      const advise = (headers: Record<string, string>) => fetch(at(member('a', '/api/advise')), { method: 'POST', headers });
      expect((await advise(bearer)).status).toBe(403);
      expect((await advise({ ...bearer, 'x-csrf-token': 'not-the-token' })).status).toBe(403);
      expect((await advise({ ...bearer, 'x-csrf-token': csrf })).status).toBe(202);
      const { port } = new URL(open.url);
      expect(await statusWithHost(new URL(member('a', '/indexes'), open.url).toString(), `rebound.example:${port}`)).toBe(421);
      expect(await statusWithHost(new URL(member('a', '/indexes'), open.url).toString(), `127.0.0.1:${port}`)).toBe(200);
    } finally {
      await secured.close();
      await open.close();
    }
  });

  it('a member closed to stay under --max-open keeps its advice: opened again, its Advice page shows it', async () => {
    sqliteMember(
      join(cliDir, 'shop.db'),
      `CREATE TABLE items (id INTEGER PRIMARY KEY, sku TEXT NOT NULL);
       WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 3000) INSERT INTO items SELECT n, 'sku-' || n FROM g;
       ANALYZE;`,
    );
    writeFileSync(join(cliDir, 'shop.sql'), 'SELECT id FROM items WHERE sku = $1;\n');
    const fleet = parseFleet(
      JSON.stringify({
        databases: {
          shop: { url: `sqlite:${join(cliDir, 'shop.db')}`, from: [`sql:${join(cliDir, 'shop.sql')}`] },
          a: { url: `sqlite:${join(cliDir, 'a.db')}` },
        },
      }),
      'inline',
      {},
    );
    const served = await serveFleetDashboard({ members: fleet.members, port: 0, maxOpen: 1 });
    try {
      const at = (path: string) => new URL(path, served.url);
      const advicePage = async () => (await fetch(at(member('shop', '/advice')))).text();
      const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(await advicePage())?.[1] ?? '';
      const started = (await (
        await fetch(at(member('shop', '/api/advise')), { method: 'POST', headers: { 'x-csrf-token': csrf } })
      ).json()) as {
        id: string;
      };
      let state = 'running';
      for (let i = 0; i < 300 && state === 'running'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        state = ((await (await fetch(at(member('shop', `/api/jobs/${started.id}`)))).json()) as { state: string }).state;
      }
      expect(state).toBe('done');
      expect(await advicePage()).toContain('id="recommendations"');
      // visiting the other member closes shop (one open at most) ...
      expect((await fetch(at(member('a', '/indexes')))).status).toBe(200);
      expect(await (await fetch(at('/'))).text()).toContain('2 databases, 1 open');
      // ... and opening shop again gives its advice back
      const again = await advicePage();
      expect(again).toContain('id="recommendations"');
      expect(again).toContain('sku');
      expect(again).not.toContain('No advice yet.');
    } finally {
      await served.close();
    }
  });

  it('a member whose env:VAR is not set: its pages say so (502), the home page shows the spec', async () => {
    const fleet = parseFleet(JSON.stringify({ databases: { unset: { url: 'env:IX_SERVE_FLEET_UNSET' } } }), 'inline', {});
    const served = await serveFleetDashboard({ members: fleet.members, port: 0 });
    try {
      const response = await fetch(new URL(member('unset', '/queries'), served.url));
      expect(response.status).toBe(502);
      expect(await response.text()).toContain('cannot open unset: environment variable IX_SERVE_FLEET_UNSET is not set');
      expect(await (await fetch(served.url)).text()).toContain('env:IX_SERVE_FLEET_UNSET (not set)');
    } finally {
      await served.close();
    }
  });

  it('--db with --fleet: exit 2, one line', async () => {
    const result = await runCli(['serve', '--db', 'sqlite::memory:', '--fleet', file, '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^indexwise: --db and --fleet exclude each other/)]);
    const unknown = await runCli(['serve', '--fleet', file, '--only-db', 'nobody', '--port', '0']);
    expect(unknown.code).toBe(2);
    // after the file's warning (its literal password), the error in one line
    expect(unknown.stderr.trim().split('\n').at(-1)).toBe('indexwise: no fleet database is named or tagged "nobody"');
  });
});

/** The status of a GET with a Host header of our choosing (fetch does not let one set it). */
function statusWithHost(url: string, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('error', reject);
  });
}
