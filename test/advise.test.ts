/**
 * The advisor on real PostgreSQL + HypoPG and on PGlite (real indexes in a rolled-back
 * transaction), with tables large enough for the planner to care. Same expectations on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advise } from '../src/advisor/advise.js';
import type { Catalog } from '../src/model/catalog.js';
import type { AdviceReport, Recommendation } from '../src/model/recommendation.js';
import { POSTGRES_FAMILY, type TestEngine } from './helpers/engines.js';
import { workloadFromSql } from './helpers/workload.js';

const SETUP = `
CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, region int NOT NULL, status text NOT NULL,
  score int NOT NULL, created_at timestamptz NOT NULL, deleted_at timestamptz, bio text);
INSERT INTO accounts SELECT g, 'user' || g || '@example.com', g % 500, (ARRAY['active','invited','disabled','banned'])[1 + g % 4],
  (g * 7919) % 1000, timestamptz '2024-01-01' + g * interval '5 minutes', CASE WHEN g % 20 = 0 THEN timestamptz '2025-01-01' END,
  repeat('x', 200)
  FROM generate_series(1, 120000) g;
CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint NOT NULL, amount numeric NOT NULL, status text NOT NULL,
  created_at timestamptz NOT NULL, note text);
INSERT INTO orders SELECT g, 1 + (g * 31) % 120000, g % 1000, CASE WHEN g % 10 = 0 THEN 'open' ELSE 'closed' END,
  timestamptz '2024-01-01' + g * interval '1 minute', repeat('n', 100)
  FROM generate_series(1, 150000) g;
CREATE TABLE readings (id bigint PRIMARY KEY, sensor_id int NOT NULL, value int NOT NULL, taken_at timestamptz NOT NULL, payload text);
INSERT INTO readings SELECT g, g % 200, g % 97, timestamptz '2024-01-01' + g * interval '1 second', repeat('p', 200)
  FROM generate_series(1, 100000) g;
CREATE VIEW active_accounts AS SELECT * FROM accounts WHERE deleted_at IS NULL;
CREATE TABLE events (id bigint, user_id int NOT NULL, kind text NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO events SELECT g, g % 5000, 'k' || (g % 7), date '2024-01-01' + (g % 700) FROM generate_series(1, 100000) g;
CREATE TABLE "Audit Log" ("Id" bigint PRIMARY KEY, "UserId" int NOT NULL, "CreatedAt" timestamptz NOT NULL, "What" text);
INSERT INTO "Audit Log" SELECT g, g % 100, timestamptz '2025-01-01' - g * interval '1 second', 'what ' || g FROM generate_series(1, 100000) g;
CREATE TABLE served (id bigint PRIMARY KEY, a int NOT NULL, b int NOT NULL);
INSERT INTO served SELECT g, g % 10000, g % 7 FROM generate_series(1, 100000) g;
CREATE INDEX served_a_idx ON served (a);
CREATE TABLE posts (id bigint PRIMARY KEY, user_id int NOT NULL, blog_id int NOT NULL, title text NOT NULL, body text);
INSERT INTO posts SELECT g, g % 10, (g * 7919) % 1000, 'title ' || g, repeat('b', 200) FROM generate_series(1, 100000) g;
CREATE TABLE hot (id bigint PRIMARY KEY, k int NOT NULL, v int NOT NULL);
INSERT INTO hot SELECT g, g % 50000, g FROM generate_series(1, 100000) g;
`;

/**
 * VACUUM marks pages all-visible only when no older snapshot may still need them; other
 * test files run concurrently, so repeat until the visibility map covers the table
 * (index-only scans are costed from it).
 */
async function vacuumUntilAllVisible(db: TestEngine, table: string): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    await db.setup('VACUUM ANALYZE');
    const [row] = await db.engine.query<{ done: boolean }>(
      'SELECT relallvisible >= relpages AS done FROM pg_class WHERE oid = to_regclass($1)',
      [table],
    );
    if (row?.done) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`VACUUM could not mark ${table} all-visible`);
}

const describeIndex = (r: Recommendation) => `${r.table}(${r.columns.join(', ')})${r.where ? ` WHERE ${r.where}` : ''}`;

for (const fixture of POSTGRES_FAMILY) {
  describe.skipIf(!fixture.available)(`advise on ${fixture.name}`, () => {
    let db: TestEngine;
    let catalog: Catalog;
    beforeAll(async () => {
      db = await fixture.open('advise');
      await db.setup(SETUP);
      await vacuumUntilAllVisible(db, 'readings');
      catalog = await db.engine.catalog();
    });
    afterAll(async () => db?.cleanup());

    const run = async (sql: string): Promise<AdviceReport> => advise(db.engine, await workloadFromSql(sql), catalog);
    const onTable = (report: AdviceReport, table: string) => report.recommendations.filter((r) => r.table === table);

    it('uses the expected what-if method', async () => {
      const report = await run('SELECT * FROM accounts WHERE email = $1');
      expect(report.whatIf).toBe(fixture.name === 'postgres' ? 'hypopg' : 'transaction');
      expect(report.notes.length > 0).toBe(fixture.name === 'pglite');
    });

    it('single column', async () => {
      const report = await run('SELECT * FROM accounts WHERE email = $1');
      expect(report.recommendations.map(describeIndex)).toEqual(['public.accounts(email)']);
      const [rec] = report.recommendations;
      expect(rec?.sql).toMatch(/^CREATE INDEX (CONCURRENTLY )?idx_accounts_email ON public\.accounts USING btree \(email\)$/);
      expect(rec?.estimatedBytes).toBeGreaterThan(1_000_000);
      expect(report.queries[0]?.costAfter).toBeLessThan((report.queries[0]?.costBefore ?? 0) / 10);
      expect(report.queries[0]?.uses).toEqual([rec?.sql]);
      // the scans of its plan before the advice, as the advisor planned its baseline
      expect(report.queries[0]?.scans?.map((s) => `${s.node} on ${s.table}`)).toEqual([expect.stringMatching(/Seq Scan on accounts$/)]);
    });

    it('two columns: equality before range', async () => {
      const report = await run('SELECT id FROM accounts WHERE region = $1 AND created_at > $2');
      expect(onTable(report, 'public.accounts').map((r) => r.columns)).toEqual([['region', 'created_at']]);
    });

    it('three columns: equality (most selective first), then the ORDER BY with its direction', async () => {
      const report = await run('SELECT id, email FROM accounts WHERE status = $2 AND region = $1 ORDER BY created_at DESC LIMIT 20');
      expect(onTable(report, 'public.accounts').map((r) => r.columns)).toEqual([['region', 'status', 'created_at DESC']]);
    });

    it('an equality then the ORDER BY of a LIMIT query: (user_id, blog_id), not the sort key alone (issue 17 miss)', async () => {
      // 10 users, 1,000 blogs: an index on (blog_id) alone walks a tenth of the table in order,
      // (user_id, blog_id) reads the first 1,000 rows of one user already sorted
      const report = await run('SELECT * FROM posts WHERE user_id = $1 ORDER BY blog_id LIMIT 1000');
      expect(onTable(report, 'public.posts').map((r) => r.columns)).toEqual([['user_id', 'blog_id']]);
      const [query] = report.queries;
      expect(query?.costAfter).toBeLessThan((query?.costBefore ?? 0) / 2);
    });

    it('join keys', async () => {
      const report = await run('SELECT o.amount FROM accounts a JOIN orders o ON o.account_id = a.id WHERE a.email = $1');
      expect(onTable(report, 'public.orders').map((r) => r.columns[0])).toEqual(['account_id']);
      expect(new Set(report.queries[0]?.scans?.map((s) => s.table))).toEqual(new Set(['accounts', 'orders']));
      expect(onTable(report, 'public.accounts').map((r) => r.columns[0])).toEqual(['email']);
    });

    it('covering: INCLUDE the columns read so the scan is index-only', async () => {
      const report = await run('SELECT taken_at, value FROM readings WHERE sensor_id = $1');
      expect(report.recommendations.map((r) => [r.columns, r.include])).toEqual([[['sensor_id'], ['taken_at', 'value']]]);
      expect(report.recommendations[0]?.sql).toMatch(/INCLUDE \(taken_at, value\)$/);
    });

    it('partial on soft delete', async () => {
      const report = await run('SELECT id, status FROM accounts WHERE email = $1 AND deleted_at IS NULL');
      expect(report.recommendations.map(describeIndex)).toEqual(['public.accounts(email) WHERE deleted_at IS NULL']);
      expect(report.recommendations[0]?.sql).toMatch(/ WHERE deleted_at IS NULL$/);
    });

    it('a CTE: the outer filter reaches the base table', async () => {
      const report = await run(
        'WITH recent AS (SELECT id, account_id, amount, created_at FROM orders WHERE created_at > $1) SELECT amount FROM recent WHERE account_id = $2',
      );
      expect(onTable(report, 'public.orders').map((r) => r.columns[0])).toEqual(['account_id']);
    });

    it('a view: the index goes on its base table', async () => {
      const report = await run('SELECT id, email FROM active_accounts WHERE region = $1 AND score = $2');
      const recs = onTable(report, 'public.accounts');
      expect(recs).toHaveLength(1);
      // score has 1,000 distinct values, region 500: the more selective column leads
      expect(recs[0]?.columns.slice(0, 2)).toEqual(['score', 'region']);
    });

    it('a partitioned table: the index goes on the parent', async () => {
      const report = await run('SELECT id, kind FROM events WHERE user_id = $1');
      expect(report.recommendations.map((r) => [r.table, r.columns[0]])).toEqual([['public.events', 'user_id']]);
      // PostgreSQL cannot build a partitioned index CONCURRENTLY in one statement: the advice says so and its SQL runs as written
      expect(report.recommendations[0]?.partitioned).toBe(true);
      expect(report.recommendations[0]?.sql).toMatch(/^CREATE INDEX idx_\S+ ON public\.events USING btree \(user_id\)/);
    });

    it('UPDATE and DELETE with WHERE', async () => {
      const report = await run('UPDATE accounts SET score = $2 WHERE email = $1;\nDELETE FROM orders WHERE account_id = $1');
      expect(report.recommendations.map(describeIndex).sort()).toEqual(['public.accounts(email)', 'public.orders(account_id)']);
    });

    it('a mixed-case quoted table and columns', async () => {
      const report = await run('SELECT "Id", "What" FROM "Audit Log" WHERE "UserId" = $1 ORDER BY "CreatedAt" DESC LIMIT 10');
      expect(report.recommendations.map((r) => [r.table, r.columns])).toEqual([['public."Audit Log"', ['"UserId"', '"CreatedAt" DESC']]]);
      expect(report.recommendations[0]?.sql).toMatch(/ON public\."Audit Log" USING btree \("UserId", "CreatedAt" DESC\)/);
      expect(report.recommendations[0]?.partitioned).toBe(false);
    });

    it('queries no index can help are skipped with a reason, nothing is recommended', async () => {
      const report = await run(`SELECT 1;
        SELECT now();
        SELECT relname FROM pg_class WHERE oid = $1;
        SELECT * FROM missing_table WHERE id = $1;
        SELEC broken FROM accounts`);
      expect(report.recommendations).toEqual([]);
      const reasons = report.workload.skipped.map((s) => s.reason);
      expect(reasons.some((r) => /^parse error: syntax error at or near "SELEC"/.test(r))).toBe(true);
      expect(reasons).toContain('not in the schema: missing_table');
      expect(reasons.filter((r) => r === 'reads no user table (a catalog or table-less query)')).toHaveLength(3);
      expect(report.workload.queries).toBe(4);
    });

    it('a query the planner rejects is skipped and the others are still advised (it used to abort the what-if transaction)', async () => {
      const report = await run('SELECT id, nosuch FROM accounts WHERE email = $1;\nSELECT * FROM accounts WHERE email = $1');
      expect(report.workload.skipped.map((s) => s.reason)).toEqual(['cannot plan: column "nosuch" does not exist']);
      expect(report.recommendations.map(describeIndex)).toEqual(['public.accounts(email)']);
    });

    it('a query an existing index already serves gets nothing', async () => {
      const report = await run('SELECT * FROM served WHERE a = $1');
      expect(report.recommendations).toEqual([]);
    });

    it('an index that would cost its writes more than it saves is not recommended', async () => {
      const read = '-- calls: 1\nSELECT v FROM hot WHERE k = $1;';
      const writeHeavy = await run(`${read}\n-- calls: 100000\nINSERT INTO hot (id, k, v) VALUES ($1, $2, $3);`);
      expect(writeHeavy.recommendations).toEqual([]);
      // the same read without the writes does get its index: the write cost is what stopped it
      const readOnly = await run(read);
      expect(readOnly.recommendations.map(describeIndex)).toEqual(['public.hot(k)']);
    });

    it('prefers one index that serves several queries (prefix sharing)', async () => {
      const report = await run(`SELECT id FROM orders WHERE account_id = $1;
        SELECT id FROM orders WHERE account_id = $1 AND created_at > $2 ORDER BY created_at`);
      expect(onTable(report, 'public.orders')).toHaveLength(1);
      expect(onTable(report, 'public.orders')[0]?.queries).toHaveLength(2);
    });

    it('leaves the database as it was: no index, catalog row or data changed (what-if runs in a rolled-back transaction or HypoPG)', async () => {
      const state = async () => ({
        relations: await db.engine.query(
          `SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' ORDER BY 1`,
        ),
        indexes: await db.engine.query(
          `SELECT i.indexrelid::regclass::text AS name, i.indisvalid, i.indisready FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' ORDER BY 1`,
        ),
        data: await db.engine.query(
          `SELECT (SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM accounts t) AS accounts,
                  (SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM orders t) AS orders`,
        ),
      });
      const before = await state();
      const report = await run(`SELECT * FROM accounts WHERE email = $1;
        SELECT id FROM orders WHERE account_id = $1 AND created_at > $2 ORDER BY created_at;
        SELECT o.amount FROM accounts a JOIN orders o ON o.account_id = a.id WHERE a.region = $1`);
      expect(report.recommendations.length).toBeGreaterThan(0);
      expect(await state()).toEqual(before);
    });

    it('--max-time: returns at once with what it has and says the search was cut', async () => {
      const workload = await workloadFromSql('SELECT * FROM accounts WHERE email = $1; SELECT * FROM orders WHERE account_id = $1');
      const started = performance.now();
      const report = await advise(db.engine, workload, catalog, { maxTimeMs: 1 });
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(report.stats.cut).toBe(true);
      expect(report.notes.some((n) => /--max-time/.test(n))).toBe(true);
      expect(report.recommendations).toEqual([]);
      expect(report.workload.skipped.some((s) => s.reason === 'not costed: the time limit came first')).toBe(true);
    });

    it('reports the cost cache and honours --max-indexes', async () => {
      const report = await advise(
        db.engine,
        await workloadFromSql(
          'SELECT * FROM accounts WHERE email = $1; SELECT * FROM orders WHERE account_id = $1; SELECT * FROM events WHERE user_id = $1',
        ),
        catalog,
        { maxIndexes: 1 },
      );
      expect(report.recommendations).toHaveLength(1);
      expect(report.stats.whatIfCalls).toBeGreaterThan(0);
      expect(report.stats.cacheHitRate).toBeGreaterThan(0);
      expect(report.stats.cacheHitRate).toBeLessThanOrEqual(1);
    });

    it.runIf(fixture.name === 'postgres')('several what-if connections give the same advice as one', async () => {
      const workload = await workloadFromSql(`SELECT * FROM accounts WHERE email = $1;
        SELECT id FROM accounts WHERE region = $1 AND created_at > $2;
        SELECT id FROM orders WHERE account_id = $1 AND created_at > $2 ORDER BY created_at;
        SELECT taken_at, value FROM readings WHERE sensor_id = $1;
        SELECT o.amount FROM accounts a JOIN orders o ON o.account_id = a.id WHERE a.email = $1`);
      const one = await advise(db.engine, workload, catalog, { whatIfConnections: 1 });
      const three = await advise(db.engine, workload, catalog, { whatIfConnections: 3 });
      expect(one.stats.connections).toBe(1);
      expect(three.stats.connections).toBe(3);
      expect(three.recommendations.map((r) => r.sql).sort()).toEqual(one.recommendations.map((r) => r.sql).sort());
      expect(three.cost.after).toBeCloseTo(one.cost.after, 6);
    });
  });
}
