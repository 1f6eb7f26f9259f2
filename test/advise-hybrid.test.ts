/**
 * `--what-if hybrid` on a real server: the b-tree candidates are HypoPG's hypothetical
 * indexes, the GIN ones (jsonb `@>`, trigram ILIKE) are built inside a transaction that
 * is rolled back, in one session. Everything is costed (nothing listed as not costed),
 * the advice is the one `--what-if transaction` gives for these queries, and the
 * database is left as it was. PGlite and SQLite, which have no HypoPG, refuse it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advise } from '../src/advisor/advise.js';
import { connect } from '../src/engines/connect.js';
import type { Engine } from '../src/engines/engine.js';
import { keyColumn } from '../src/model/index-def.js';
import type { AdviceReport } from '../src/model/recommendation.js';
import { runCli } from './helpers/cli.js';
import { PGLITE } from './helpers/engines.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from './helpers/postgres.js';
import { tempDir } from './helpers/temp.js';
import { workloadFromSql } from './helpers/workload.js';

const SETUP = `
CREATE TABLE docs (id bigint PRIMARY KEY, owner_id int NOT NULL, body text NOT NULL, metadata jsonb NOT NULL);
INSERT INTO docs SELECT g, g % 500, 'word' || (g % 997) || ' text ' || md5((g * 31)::text), jsonb_build_object('kind', 'k' || (g % 1000), 'n', g)
  FROM generate_series(1, 20000) g;
ANALYZE docs;
CREATE TABLE audit (id int);
-- declared STABLE, yet it writes: the planner runs it to estimate a constant expression
CREATE FUNCTION log_visit(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit VALUES (x); RETURN x; END $$;
CREATE FUNCTION sneaky(x int) RETURNS int STABLE LANGUAGE plpgsql AS $$ BEGIN RETURN log_visit(x); END $$;
`;

const WORKLOAD = `SELECT id FROM docs WHERE owner_id = $1;
SELECT id FROM docs WHERE metadata @> $1;
SELECT id FROM docs WHERE body ILIKE '%word42 %';`;

const describeIndex = (r: { table: string; method: string; columns: readonly string[] }) =>
  `${r.method} ${r.table}(${r.columns.join(', ')})`;

/** What must be the same before and after: the indexes, any relation a what-if left, the extensions. */
async function state(engine: Engine): Promise<unknown> {
  return {
    indexes: await engine.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`),
    leftovers: await engine.query(`SELECT relname FROM pg_class WHERE relname LIKE 'indexwise%' ORDER BY 1`),
    extensions: await engine.query(`SELECT extname FROM pg_extension ORDER BY 1`),
  };
}

/** The CREATE INDEX statements this database ran since pg_stat_statements was reset (also those rolled back). */
async function indexBuilds(engine: Engine): Promise<string[]> {
  const rows = await engine.query<{ query: string }>(
    `SELECT query FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
      WHERE d.datname = current_database() AND query ILIKE 'CREATE INDEX%' ORDER BY 1`,
  );
  return rows.map((r) => r.query);
}

async function hypotheticalCreations(engine: Engine): Promise<number> {
  const [row] = await engine.query<{ calls: number }>(
    `SELECT coalesce(sum(calls), 0)::int AS calls FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
      WHERE d.datname = current_database() AND query LIKE '%hypopg_create_index%'`,
  );
  return Number(row?.calls ?? 0);
}

describe.skipIf(!hasPostgres)('advise --what-if hybrid on PostgreSQL', () => {
  let db: TestDatabase;
  let engine: Engine;
  beforeAll(async () => {
    db = await createTestDatabase('whatif_hybrid');
    await db.sql(SETUP);
    engine = await connect(db.url);
  });
  afterAll(async () => {
    await engine?.close();
    await db?.drop();
  });

  it('costs the b-tree with HypoPG and builds only the GIN candidates; the advice of --what-if transaction; nothing left behind', async () => {
    const workload = await workloadFromSql(WORKLOAD);
    const catalog = await engine.catalog();
    const before = await state(engine);
    expect((await engine.info()).capabilities.whatIfMethods).toEqual(['hypopg', 'hybrid', 'transaction']);

    await engine.query('SELECT pg_stat_statements_reset()');
    const hybrid = await advise(engine, workload, catalog, { whatIf: 'hybrid' });
    const builds = await indexBuilds(engine);
    const creations = await hypotheticalCreations(engine);

    expect(hybrid.whatIf).toBe('hybrid');
    expect(hybrid.uncosted).toEqual([]);
    expect(hybrid.recommendations.map(describeIndex).sort()).toEqual([
      'btree public.docs(owner_id)',
      'gin public.docs(body gin_trgm_ops)',
      'gin public.docs(metadata jsonb_path_ops)',
    ]);
    // every index really built was a GIN one; the b-trees were HypoPG's
    expect(builds.length).toBeGreaterThan(0);
    for (const build of builds) expect(build).toMatch(/^CREATE INDEX indexwise_whatif_\d+ ON public\.docs USING gin /);
    expect(creations).toBeGreaterThan(0);
    expect(hybrid.notes.join('\n')).toMatch(
      /What-if by hybrid: [1-9]\d* B-tree\/BRIN\/hash candidate index\(es\) were HypoPG hypothetical/,
    );

    // the same session's HypoPG is reset, the builds and the pg_trgm they needed rolled back
    expect(await engine.query('SELECT * FROM hypopg_list_indexes')).toEqual([]);
    expect(await state(engine)).toEqual(before);

    await engine.query('SELECT pg_stat_statements_reset()');
    const transaction = await advise(engine, workload, catalog, { whatIf: 'transaction' });
    expect((await indexBuilds(engine)).some((b) => / USING btree /.test(b))).toBe(true);
    expect(transaction.recommendations.map(describeIndex).sort()).toEqual(hybrid.recommendations.map(describeIndex).sort());
    // the GIN indexes were built in both runs: their queries cost the same
    const costs = (report: AdviceReport) => report.queries.filter((q) => !q.sql.includes('owner_id')).map((q) => [q.sql, q.costAfter]);
    expect(costs(hybrid)).toEqual(costs(transaction));
    expect(await state(engine)).toEqual(before);
  });

  it('one EXPLAIN sees the active indexes of both kinds, and only those', async () => {
    const backend = await engine.openWhatIf('hybrid');
    const table = { schema: 'public', name: 'docs' };
    const tables = new Set(['public.docs']);
    // one plan, a scan for each index
    const sql = `SELECT id FROM docs WHERE owner_id = 7 UNION ALL SELECT id FROM docs WHERE metadata @> '{"kind": "k7"}'`;
    try {
      backend.register('owner', { table, keys: [keyColumn('owner_id')], include: [], where: null, method: 'btree', unique: false });
      backend.register('meta', {
        table,
        keys: [keyColumn('metadata', { opclass: 'jsonb_path_ops' })],
        include: [],
        where: null,
        method: 'gin',
        unique: false,
      });
      const both = await backend.explain(sql, {}, ['meta', 'owner'], tables);
      expect([...both.usedIds].sort()).toEqual(['meta', 'owner']);
      // inside the session: one hypothetical b-tree, one real GIN
      expect(await engine.query<{ n: number }>('SELECT count(*)::int AS n FROM hypopg_list_indexes')).toEqual([{ n: 1 }]);
      const built = await engine.query(
        `SELECT a.amname FROM pg_class c JOIN pg_am a ON a.oid = c.relam WHERE c.relname LIKE 'indexwise_whatif_%'`,
      );
      expect(built).toEqual([{ amname: 'gin' }]);
      expect((await backend.explain(sql, {}, ['meta'], tables)).usedIds).toEqual(['meta']);
      expect((await backend.explain(sql, {}, ['owner'], tables)).usedIds).toEqual(['owner']);
      expect((await backend.explain(sql, {}, [], tables)).usedIds).toEqual([]);
      expect(backend.knownSize('meta')).toBeGreaterThan(0);
      expect(backend.knownSize('owner')).toBeGreaterThan(0);

      // HypoPG refuses a definition (no such operator class for a b-tree): the transaction the GIN lives in goes on
      backend.register('bad', {
        table,
        keys: [keyColumn('body', { opclass: 'jsonb_path_ops' })],
        include: [],
        where: null,
        method: 'btree',
        unique: false,
      });
      const refused = await backend.explain(sql, {}, ['bad', 'meta', 'owner'], tables);
      expect(refused.refused.map((r) => r.id)).toEqual(['bad']);
      expect([...refused.usedIds].sort()).toEqual(['meta', 'owner']);
      // a statement the planner rejects aborts the transaction: the next one is costed with both kinds again
      await expect(backend.explain('SELECT 1 / 0 FROM docs WHERE owner_id = 1 / 0', {}, ['meta', 'owner'], tables)).rejects.toThrow(
        /division by zero/,
      );
      expect([...(await backend.explain(sql, {}, ['meta', 'owner'], tables)).usedIds].sort()).toEqual(['meta', 'owner']);
      // the planner's call of a writing function fails as on HypoPG's read-only session, and the session goes on
      await expect(backend.explain('SELECT id FROM docs WHERE owner_id = sneaky(7)', {}, ['meta', 'owner'], tables)).rejects.toThrow(
        /read-only transaction/,
      );
      expect(await engine.query('SELECT id FROM audit')).toEqual([]);
      backend.register('trgm', {
        table,
        keys: [keyColumn('body', { opclass: 'gin_trgm_ops' })],
        include: [],
        where: null,
        method: 'gin',
        unique: false,
      });
      // a build after the read-only EXPLAINs: the transaction is read-write again
      expect(await backend.size('trgm')).toBeGreaterThan(0);
    } finally {
      await backend.close();
    }
    expect(await engine.query('SELECT * FROM hypopg_list_indexes')).toEqual([]);
    expect(await engine.query(`SELECT relname FROM pg_class WHERE relname LIKE 'indexwise_whatif_%'`)).toEqual([]);
  });

  it('as the tables’ owner, not a superuser (the builds hidden by DROP in a savepoint): the same advice, nothing left behind', async () => {
    const role = `ix_hybrid_owner_${process.pid}`;
    await db.sql(
      `CREATE ROLE ${role} LOGIN PASSWORD 'owner-pw'; GRANT CREATE ON DATABASE ${db.name} TO ${role}; GRANT USAGE, CREATE ON SCHEMA public TO ${role}; ALTER TABLE docs OWNER TO ${role}`,
    );
    const url = new URL(db.url);
    url.username = role;
    url.password = 'owner-pw';
    const owner = await connect(url.toString());
    try {
      const workload = await workloadFromSql(WORKLOAD);
      const before = await state(engine);
      const report = await advise(owner, workload, await owner.catalog(), { whatIf: 'hybrid' });
      expect(report.uncosted).toEqual([]);
      expect(report.recommendations.map(describeIndex).sort()).toEqual([
        'btree public.docs(owner_id)',
        'gin public.docs(body gin_trgm_ops)',
        'gin public.docs(metadata jsonb_path_ops)',
      ]);
      expect(await state(engine)).toEqual(before);

      // each EXPLAIN's savepoint (the builds it hides are dropped in it) is ended, not left nested
      const backend = await owner.openWhatIf('transaction');
      try {
        backend.register('meta', {
          table: { schema: 'public', name: 'docs' },
          keys: [keyColumn('metadata', { opclass: 'jsonb_path_ops' })],
          include: [],
          where: null,
          method: 'gin',
          unique: false,
        });
        for (let i = 0; i < 3; i++)
          await backend.explain(`SELECT id FROM docs WHERE metadata @> '{"kind": "k7"}'`, {}, [], new Set(['public.docs']));
        await expect(owner.query('RELEASE SAVEPOINT indexwise_explain')).rejects.toThrow(/does not exist/);
      } finally {
        await backend.close();
      }
    } finally {
      await owner.close();
      await db.sql(`ALTER TABLE docs OWNER TO postgres; DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });

  it('a table another session holds a write lock on: its builds give up after lock_timeout, with the reason; the rest is costed', async () => {
    const writer = await connect(db.url);
    try {
      // an open transaction that wrote to docs: its ROW EXCLUSIVE lock conflicts with CREATE INDEX's SHARE lock
      await writer.query('BEGIN');
      await writer.query('UPDATE docs SET owner_id = owner_id WHERE id = 1');
      const workload = await workloadFromSql(WORKLOAD);
      const before = await state(engine);
      const report = await advise(engine, workload, await engine.catalog(), { whatIf: 'hybrid', whatIfOptions: { lockTimeoutMs: 200 } });
      // the b-tree candidate needs no lock (HypoPG): still recommended; the GIN builds waited 200 ms and were left out
      expect(report.recommendations.map(describeIndex)).toEqual(['btree public.docs(owner_id)']);
      expect(report.notes.join('\n')).toMatch(/public\.docs stayed locked by another session for 200 ms: not built, so not costed/);
      expect(await state(engine)).toEqual(before);
    } finally {
      await writer.query('ROLLBACK').catch(() => {});
      await writer.close();
    }
  });

  it('the CLI accepts --what-if hybrid, and refuses an unknown method in one line with exit 2', async () => {
    const file = join(tempDir('hybrid'), 'workload.sql');
    writeFileSync(file, WORKLOAD);
    const ok = await runCli(['advise', '--db', db.url, '--from', `sql:${file}`, '--what-if', 'hybrid', '--json', '-q']);
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout) as AdviceReport;
    expect(report.whatIf).toBe('hybrid');
    expect(report.uncosted).toEqual([]);
    expect(report.recommendations).toHaveLength(3);

    const bad = await runCli(['advise', '--db', db.url, '--from', `sql:${file}`, '--what-if', 'hybird']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('indexwise: --what-if must be one of auto, hypopg, transaction, hybrid, sqlite-copy, got "hybird"');
  });

  it('under HypoPG the GIN candidates are listed as not costed, with --what-if hybrid as the way to cost them', async () => {
    const report = await advise(engine, await workloadFromSql(WORKLOAD), await engine.catalog());
    expect(report.whatIf).toBe('hypopg');
    expect(report.uncosted.map((u) => u.command)).toEqual([
      'indexwise advise <the same arguments> --what-if hybrid',
      'indexwise advise <the same arguments> --what-if hybrid',
    ]);
  });
});

describe('--what-if hybrid where there is no HypoPG', () => {
  it('PGlite refuses it in one line naming the methods it has', async () => {
    const db = await PGLITE.open('hybrid');
    try {
      await db.setup('CREATE TABLE t (id int PRIMARY KEY, a int)');
      const run = advise(db.engine, await workloadFromSql('SELECT id FROM t WHERE a = $1'), await db.engine.catalog(), {
        whatIf: 'hybrid',
      });
      await expect(run).rejects.toThrow(/^--what-if hybrid is not available on pglite: it has transaction$/);
    } finally {
      await db.cleanup();
    }
  });

  it('SQLite refuses it from the CLI: one line, exit 2', async () => {
    const dir = tempDir('hybrid-sqlite');
    const path = join(dir, 'app.db');
    const sqlite = new Database(path);
    sqlite.exec('CREATE TABLE t (id integer PRIMARY KEY, a int)');
    sqlite.close();
    const file = join(dir, 'workload.sql');
    writeFileSync(file, 'SELECT id FROM t WHERE a = ?;');
    const result = await runCli(['advise', '--db', path, '--from', `sql:${file}`, '--what-if', 'hybrid', '-q']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('indexwise: --what-if hybrid is not available on sqlite: it has sqlite-copy');
  });
});
