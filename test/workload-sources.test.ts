/** Workload sources (SQL files, stdin, pg_stat_statements, pg_stat_activity) and the collector's normalization. */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf, loadParser, type ParsedStatement, parseStatements } from '../src/analysis/parse.js';
import { connect } from '../src/engines/connect.js';
import type { Engine } from '../src/engines/engine.js';
import type { WorkloadQuery } from '../src/model/workload.js';
import { collectWorkload, parseSourceSpec } from '../src/workload/collect.js';
import { WorkloadCollector } from '../src/workload/collector.js';
import { readPgStatStatements } from '../src/workload/sources/pg-stat-statements.js';
import { sqlStatements } from '../src/workload/sources/sql-file.js';
import { rewriteSqliteFlavour } from '../src/analysis/sqlite-flavour.js';
import { workloadKey } from '../src/analysis/workload-key.js';
import { bindParams, splitScript } from '../src/workload/sql-text.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from './helpers/postgres.js';

const FIXTURE = 'test/fixtures/workload-with-comments.sql';

beforeAll(async () => {
  await loadParser();
});

describe('SQL scripts', () => {
  it('splits at top-level semicolons only, keeping annotations', () => {
    const statements = splitScript(readFileSync(FIXTURE, 'utf8'));
    expect(statements.map((s) => s.sql.split('\n')[0])).toEqual([
      "SELECT id FROM users WHERE email = 'a;b@example.com'",
      'SELECT id, total FROM orders',
      "DO $body$ BEGIN PERFORM 1; RAISE NOTICE 'x;y'; END $body$",
      'SELECT $tag$literal; with semicolon$tag$ AS t, id FROM products WHERE sku = $1',
      'SELECT FROM WHERE broken',
      "SELECT id FROM users WHERE email = 'second@example.com'",
    ]);
    expect(statements[1]).toMatchObject({ name: 'orders_of_user', calls: 40, description: 'The orders page.' });
  });

  it('a statement the parser rejects is skipped with its reason, the rest is kept', async () => {
    const workload = await collectWorkload(null, [parseSourceSpec(`sql:${FIXTURE}`)]);
    expect(workload.queries).toHaveLength(3); // the two e-mail lookups share a fingerprint
    const lookup = workload.queries.find((q) => q.sql.startsWith('SELECT id FROM users'));
    expect(lookup?.calls).toBe(2);
    expect(lookup?.sql).toBe('SELECT id FROM users WHERE email = $1');
    expect(lookup?.samples).toEqual([
      "SELECT id FROM users WHERE email = 'a;b@example.com'",
      "SELECT id FROM users WHERE email = 'second@example.com'",
    ]);
    expect(workload.queries.find((q) => q.name === 'orders_of_user')?.calls).toBe(40);
    expect(workload.skipped).toEqual([
      { sql: 'SELECT FROM WHERE broken', reason: 'parse error: syntax error at or near "WHERE"', source: `sql:${FIXTURE}`, count: 1 },
    ]);
    expect(workload.utility).toEqual({ Do: 1 });
  });

  it('reads stdin with --from -', async () => {
    const stdin = Readable.from(['SELECT 1 FROM t WHERE a = 1;', 'SELECT 1 FROM t WHERE a = 2;']);
    const workload = await collectWorkload(null, [parseSourceSpec('-')], { stdin });
    expect(workload.queries).toHaveLength(1);
    expect(workload.queries[0]).toMatchObject({ calls: 2, sources: ['sql:stdin'] });
  });

  it('rejects an unknown source and a missing file with one clear line', async () => {
    expect(() => parseSourceSpec('mysql:x')).toThrow(/unknown workload source "mysql:x"/);
    await expect(collectWorkload(null, [parseSourceSpec('sql:/no/such/file.sql')])).rejects.toThrow(
      /cannot read \/no\/such\/file\.sql: no such file/,
    );
  });
});

describe('normalization', () => {
  it('literals and $n placeholders give the same fingerprint; IN lists of any length too', () => {
    expect(fingerprintOf('SELECT * FROM t WHERE a = 5 AND b IN (1, 2, 3)')).toBe(
      fingerprintOf('SELECT * FROM t WHERE a = $1 AND b IN ($2)'),
    );
    expect(fingerprintOf('select * from t where a = 5')).toBe(fingerprintOf('SELECT *\n  FROM t -- comment\n WHERE a = 7'));
    expect(fingerprintOf('SELECT * FROM t WHERE a = 5')).not.toBe(fingerprintOf('SELECT * FROM t WHERE b = 5'));
  });

  it('rewrites SQLite-flavoured text to PostgreSQL', () => {
    expect(rewriteSqliteFlavour('SELECT `id` FROM `my table` WHERE a = ? AND b = ?')).toBe(
      'SELECT "id" FROM "my table" WHERE a = $1 AND b = $2',
    );
    expect(rewriteSqliteFlavour('SELECT * FROM t WHERE a = ?2 AND b = ?1')).toBe('SELECT * FROM t WHERE a = $2 AND b = $1');
    expect(rewriteSqliteFlavour('SELECT * FROM t WHERE a = :name AND b = @other AND c = :name AND d::int = $x')).toBe(
      'SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $1 AND d::int = $3',
    );
    expect(rewriteSqliteFlavour('INSERT OR REPLACE INTO t (a) VALUES (?)')).toBe('INSERT INTO t (a) VALUES ($1)');
    expect(rewriteSqliteFlavour('SELECT a FROM t LIMIT 5, 10')).toBe('SELECT a FROM t LIMIT 10 OFFSET 5');
  });

  it('SQLite text is collected like PostgreSQL text', () => {
    const collector = new WorkloadCollector();
    collector.add({ sql: 'SELECT * FROM `users` WHERE email = ?', source: 'test' });
    collector.add({ sql: 'SELECT * FROM users WHERE email = $1', source: 'test' });
    expect(collector.result().queries).toHaveLength(1);
    expect(collector.result().queries[0]?.calls).toBe(2);
  });

  it('puts logged parameter values into samples', () => {
    expect(bindParams('SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $3', ["it's", null])).toBe(
      "SELECT * FROM t WHERE a = 'it''s' AND b = NULL AND c = $3",
    );
    const collector = new WorkloadCollector();
    collector.add({ sql: 'SELECT * FROM t WHERE a = $1', params: ['42'], source: 'log', totalTimeMs: 2 });
    collector.add({ sql: 'SELECT * FROM t WHERE a = $1', params: ['43'], source: 'log', totalTimeMs: 4 });
    const [query] = collector.result().queries;
    expect(query).toMatchObject({
      calls: 2,
      totalTimeMs: 6,
      meanTimeMs: 3,
      samples: ["SELECT * FROM t WHERE a = '42'", "SELECT * FROM t WHERE a = '43'"],
    });
  });

  it('a truncated text is skipped with a hint', () => {
    const collector = new WorkloadCollector();
    collector.add({ sql: 'SELECT id, email FROM users WHERE id = 5 AND (status = ', source: 'pg_stat_activity' });
    expect(collector.result().skipped[0]?.reason).toMatch(/may be truncated/);
  });
});

/** The queries one collector makes of these texts, each added once. */
function collected(...texts: string[]): WorkloadQuery[] {
  const collector = new WorkloadCollector();
  for (const sql of texts) collector.add({ sql, source: 'test' });
  return [...collector.result().queries];
}

describe('the workload key does not merge different tables that share a libpg-query fingerprint', () => {
  it('the same alias on two tables: two entries', () => {
    const users = 'SELECT * FROM users u WHERE u.id = $1';
    const orders = 'SELECT * FROM orders u WHERE u.id = $1';
    expect(fingerprintOf(users)).toBe(fingerprintOf(orders)); // the bug's cause, still true of libpg-query
    const queries = collected(users, orders);
    expect(queries.map((q) => q.sql).sort()).toEqual([orders, users]);
    expect(new Set(queries.map((q) => q.fingerprint)).size).toBe(2);
  });

  it('two tables in a join swapped behind the same aliases: two entries', () => {
    const queries = collected(
      'SELECT * FROM users a JOIN orders b ON a.id = b.user_id WHERE a.email = $1',
      'SELECT * FROM orders a JOIN users b ON a.id = b.user_id WHERE a.email = $1',
    );
    expect(queries).toHaveLength(2);
  });

  it('relation names that differ only in their digits (t0036, t0190): two entries', () => {
    const queries = collected('SELECT * FROM t0036 WHERE tenant_id = $1', 'SELECT * FROM t0190 WHERE tenant_id = $1');
    expect(queries.map((q) => q.sql).sort()).toEqual([
      'SELECT * FROM t0036 WHERE tenant_id = $1',
      'SELECT * FROM t0190 WHERE tenant_id = $1',
    ]);
  });

  it('writes on tables whose names differ only in their digits: two entries each', () => {
    for (const [a, b] of [
      ['UPDATE t0036 SET status = $1 WHERE id = $2', 'UPDATE t0190 SET status = $1 WHERE id = $2'],
      ['DELETE FROM t0036 WHERE t0001_id = $1', 'DELETE FROM t0190 WHERE t0001_id = $1'],
      ['INSERT INTO t0036 (id, name) VALUES ($1, $2)', 'INSERT INTO t0190 (id, name) VALUES ($1, $2)'],
      ['INSERT INTO t0036 (id) SELECT id FROM t0001', 'INSERT INTO t0190 (id) SELECT id FROM t0001'],
    ]) {
      expect(collected(a as string, b as string), a).toHaveLength(2);
    }
  });

  it('one table name in two schemas (a.orders, b.orders): two entries', () => {
    const queries = collected('SELECT id FROM a.orders WHERE status = $1', 'SELECT id FROM b.orders WHERE status = $1');
    expect(queries).toHaveLength(2);
    expect(queries.every((q) => /^[0-9a-f]{16}$/.test(q.fingerprint))).toBe(true);
  });

  it('the same query with different literal values, layout and comments: still one entry', () => {
    const queries = collected(
      "SELECT * FROM a.orders o WHERE o.status = 'open' AND o.amount > 10 LIMIT 20",
      "select *\n  from a.orders o -- the open ones\n where o.status = 'paid' and o.amount > 2.5 limit 50",
      'SELECT * FROM a.orders o WHERE o.status = $1 AND o.amount > $2 LIMIT $3',
    );
    expect(queries).toHaveLength(1);
    expect(queries[0]?.calls).toBe(3);
  });

  it('pg_stat_statements-style and log-style texts of one query: one entry', () => {
    const queries = collected('SELECT id FROM t0036 WHERE code IN ($1, $2, $3)', "SELECT id FROM t0036 WHERE code IN ('a')");
    expect(queries).toHaveLength(1);
  });
});

describe('the shape cache does not merge texts that differ in an identifier', () => {
  it('a number inside a double-quoted identifier ("t 1", "t 2"): two entries, two parses', () => {
    const collector = new WorkloadCollector();
    collector.add({ sql: 'SELECT * FROM "t 1" WHERE a = 1', source: 'test' });
    collector.add({ sql: 'SELECT * FROM "t 2" WHERE a = 1', source: 'test' });
    expect(
      collector
        .result()
        .queries.map((q) => q.sql)
        .sort(),
    ).toEqual(['SELECT * FROM "t 1" WHERE a = $1', 'SELECT * FROM "t 2" WHERE a = $1']);
    expect(collector.stats.parses).toBe(2);
  });

  it('digits that are part of a name, after a non-ASCII letter or a $: two entries', () => {
    expect(collected('SELECT * FROM tablé1 WHERE a = 5', 'SELECT * FROM tablé2 WHERE a = 5')).toHaveLength(2);
    expect(collected('SELECT * FROM t$1 WHERE a = 5', 'SELECT * FROM t$2 WHERE a = 5')).toHaveLength(2);
  });

  it('a quote inside a comment does not hide the table name that follows', () => {
    const queries = collected("SELECT * -- it's\nFROM t1 WHERE a = 'x'", "SELECT * -- it's\nFROM t2 WHERE a = 'x'");
    expect(queries).toHaveLength(2);
  });

  it('texts that differ only in values still share one parse', () => {
    const collector = new WorkloadCollector();
    for (let i = 0; i < 5; i++)
      collector.add({ sql: `SELECT * FROM "t 1" WHERE a = ${i} AND b = 'v${i}' /* request ${i} */`, source: 'test' });
    expect(collector.result().queries).toHaveLength(1);
    expect(collector.stats).toMatchObject({ statements: 5, parses: 1, cacheHits: 4 });
  });
});

const QUERIES = [
  ['SELECT count(*) FROM items WHERE category = $1', ['a']],
  ['SELECT id FROM items WHERE price > $1 ORDER BY price LIMIT 5', [10]],
  ["SELECT id FROM items WHERE category = 'b' AND price < 3", []],
] as const;

describe.skipIf(!hasPostgres)('pg_stat_statements and pg_stat_activity on a real server', () => {
  let db: TestDatabase;
  let engine: Engine;
  beforeAll(async () => {
    db = await createTestDatabase('sources');
    await db.sql(`CREATE TABLE items (id int PRIMARY KEY, category text, price numeric);
      INSERT INTO items SELECT g, chr(97 + g % 5), g % 100 FROM generate_series(1, 1000) g; ANALYZE items;`);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    for (let i = 0; i < 3; i++) for (const [sql, params] of QUERIES) await client.query(sql, [...params]);
    await client.end();
    engine = await connect(db.url);
  });
  afterAll(async () => {
    await engine?.close();
    await db?.drop();
  });

  it('reads this database’s statements with calls and time, and the same workload keys as the SQL text', async () => {
    const raw = await readPgStatStatements(engine);
    const collector = new WorkloadCollector();
    for (const statement of raw) collector.add(statement);
    const workload = collector.result();
    const expected = QUERIES.map(([sql]) => workloadKey(parseStatements(sql)[0] as ParsedStatement));
    for (const fingerprint of expected) {
      const query = workload.queries.find((q) => q.fingerprint === fingerprint);
      expect(query, fingerprint).toBeDefined();
      expect(query?.calls).toBe(3);
      expect(query?.totalTimeMs).toBeGreaterThan(0);
    }
    expect(workload.timed).toBe(true);
    const fromFile = new WorkloadCollector();
    for (const s of sqlStatements(QUERIES.map(([sql]) => sql).join(';\n'), 'sql:test')) fromFile.add(s);
    expect(
      fromFile
        .result()
        .queries.map((q) => q.fingerprint)
        .sort(),
    ).toEqual([...expected].sort());
  });

  it('filters by --min-calls', async () => {
    const none = await readPgStatStatements(engine, { minCalls: 1000 });
    expect(none).toEqual([]);
  });

  it('samples running queries from pg_stat_activity, with their values', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const running = client.query("SELECT id, pg_sleep(1.2) FROM items WHERE category = 'c' AND id = 7");
    const workload = await collectWorkload(engine, [parseSourceSpec('pg_stat_activity')], { sampleMs: 800 });
    await running;
    await client.end();
    const sampled = workload.queries.find((q) => q.sql.includes('pg_sleep'));
    expect(sampled?.calls).toBe(1); // seen many times, counted once
    expect(sampled?.samples[0]).toContain("category = 'c'");
  });
});
