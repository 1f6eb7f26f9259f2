/** Workload sources (SQL files, stdin, pg_stat_statements, pg_stat_activity) and the collector's normalization. */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf, loadParser } from '../src/analysis/parse.js';
import { connect } from '../src/engines/connect.js';
import type { Engine } from '../src/engines/engine.js';
import { collectWorkload, parseSourceSpec } from '../src/workload/collect.js';
import { WorkloadCollector } from '../src/workload/collector.js';
import { readPgStatStatements } from '../src/workload/sources/pg-stat-statements.js';
import { sqlStatements } from '../src/workload/sources/sql-file.js';
import { rewriteSqliteFlavour } from '../src/analysis/sqlite-flavour.js';
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

  it('reads this database’s statements with calls and time, and the same fingerprints as the SQL text', async () => {
    const raw = await readPgStatStatements(engine);
    const collector = new WorkloadCollector();
    for (const statement of raw) collector.add(statement);
    const workload = collector.result();
    const expected = QUERIES.map(([sql]) => fingerprintOf(sql));
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
