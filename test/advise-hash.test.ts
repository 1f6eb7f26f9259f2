/**
 * Hash indexes (issue 17, item 2): a wide text key (URLs of about 95 bytes, 20,000 rows,
 * ANALYZEd) compared only with `=` gets `USING hash (url)` as a candidate beside the b-tree,
 * and the selection keeps the one the planner prices better; a neighbour query that ranges
 * over or sorts by the column, and a narrow integer key, get no hash candidate. Real
 * PostgreSQL with HypoPG (which makes hypothetical hash indexes): `verify --trial` measures
 * it, `apply` builds it and the planner uses it; PGlite, where each candidate is built in a
 * rolled-back transaction, chooses it too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advise } from '../src/advisor/advise.js';
import { generateCandidates } from '../src/advisor/candidates.js';
import { analyzeSql } from '../src/analysis/analyze-query.js';
import { loadParser } from '../src/analysis/parse.js';
import { applyPlan } from '../src/apply/apply.js';
import { parsePlanInput } from '../src/migrate/inputs.js';
import { buildPlan } from '../src/migrate/plan.js';
import type { Catalog } from '../src/model/catalog.js';
import type { IndexMethod } from '../src/model/index-def.js';
import { createIndexSql } from '../src/sql/ddl.js';
import { trialAdvice } from '../src/verify/verify.js';
import { PGLITE, POSTGRES, type TestEngine } from './helpers/engines.js';
import { workloadFromSql } from './helpers/workload.js';

const SETUP = `
CREATE TABLE pages (id bigint PRIMARY KEY, url text NOT NULL, code int NOT NULL, title text NOT NULL);
INSERT INTO pages SELECT g, 'https://example.com/articles/' || md5(g::text) || '/' || md5((g * 7)::text), g % 1000, 'Title ' || g
  FROM generate_series(1, 20000) g;
ANALYZE pages;
`;

describe.skipIf(!POSTGRES.available)('hash indexes on postgres', () => {
  let db: TestEngine;
  let catalog: Catalog;
  let methods: readonly IndexMethod[];
  beforeAll(async () => {
    await loadParser();
    db = await POSTGRES.open('advise_hash');
    await db.setup(SETUP);
    catalog = await db.engine.catalog();
    methods = (await db.engine.info()).capabilities.indexMethods;
  });
  afterAll(async () => db?.cleanup());

  /** The candidates of the workload `queries`, with the catalog's real statistics (pg_stats.avg_width). */
  const candidatesOf = (...queries: string[]) =>
    generateCandidates(
      queries.map((sql, i) => ({ fingerprint: `q${i}`, accesses: analyzeSql(sql, catalog).accesses })),
      catalog,
      { maxColumns: 3, includeColumns: true, methods },
    ).map((c) => createIndexSql(c.def).replace(/^CREATE INDEX \S+ ON public\.pages /, ''));

  it('a wide key compared with = alone: hash and b-tree are both costed, the planner’s cheaper and smaller one is chosen', async () => {
    const url = catalog.tables.find((t) => t.name === 'pages')?.columns.find((c) => c.name === 'url');
    expect(url?.stats?.avgWidth).toBeGreaterThanOrEqual(64);
    expect(candidatesOf('SELECT * FROM pages WHERE url = $1').sort()).toEqual(['USING btree (url)', 'USING hash (url)']);

    const workload = await workloadFromSql('SELECT * FROM pages WHERE url = $1');
    const report = await advise(db.engine, workload, catalog);
    expect(report.whatIf).toBe('hypopg');
    expect(report.stats.candidates).toBe(2);
    expect(report.recommendations.map((r) => `${r.method} ${r.columns.join()}`)).toEqual(['hash url']);
    const [hash] = report.recommendations;
    expect(hash?.sql).toMatch(/USING hash \(url\)$/);
    expect(hash?.name).toBe('idx_pages_url_hash');

    // verify --trial builds it in a rolled-back transaction and measures the plan it gives
    const trial = await trialAdvice(db.engine, workload, catalog, report.recommendations, { runs: 1 });
    expect(trial.comparison.queries[0]?.planChange).toMatch(/Seq Scan → Index Scan/);

    // what the planner says of each alone, through HypoPG: the hash index is the cheaper plan and the smaller index
    const price = async (method: IndexMethod) => {
      const [created] = await db.engine.query<{ indexrelid: number }>('SELECT indexrelid FROM hypopg_create_index($1)', [
        `CREATE INDEX ON pages USING ${method} (url)`,
      ]);
      try {
        const plan = await db.engine.explain('SELECT * FROM pages WHERE url = $1', { generic: true });
        const [size] = await db.engine.query<{ bytes: string }>('SELECT hypopg_relation_size($1) AS bytes', [created?.indexrelid]);
        return { cost: plan.totalCost, bytes: Number(size?.bytes) };
      } finally {
        await db.engine.query('SELECT hypopg_reset()');
      }
    };
    const btree = await price('btree');
    const hashed = await price('hash');
    expect(hashed.cost).toBeLessThan(btree.cost);
    expect(hashed.bytes).toBeLessThan(btree.bytes);
    expect(hash?.estimatedBytes).toBe(hashed.bytes);
    expect(report.cost.after).toBeCloseTo(hashed.cost, 2);

    // apply builds it and the planner uses it for the query
    const plan = buildPlan([parsePlanInput(JSON.stringify(report), 'advice.json')], {}, { dialect: 'postgres' });
    const summary = await applyPlan(db.engine, plan);
    expect(summary.steps.map((s) => s.status)).toEqual(['built']);
    const explain = await db.engine.query<{ 'QUERY PLAN': string }>(
      "EXPLAIN SELECT * FROM pages WHERE url = 'https://example.com/articles/x'",
    );
    expect(explain.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Scan using idx_pages_url_hash on pages/);
    await db.setup('DROP INDEX idx_pages_url_hash');
  });

  it('no hash candidate when a neighbour query ranges over or sorts by the column, nor on a narrow integer key', async () => {
    const equality = 'SELECT * FROM pages WHERE url = $1';
    expect(candidatesOf(equality, 'SELECT id FROM pages WHERE url > $1').filter((c) => c.includes('hash'))).toEqual([]);
    expect(candidatesOf(equality, 'SELECT url FROM pages ORDER BY url LIMIT 20').filter((c) => c.includes('hash'))).toEqual([]);
    expect(candidatesOf('SELECT * FROM pages WHERE code = $1')).toEqual(['USING btree (code)']);

    const report = await advise(
      db.engine,
      await workloadFromSql(`${equality}; SELECT * FROM pages WHERE url > $1 ORDER BY url LIMIT 20`),
      catalog,
    );
    expect(report.recommendations.map((r) => `${r.method} ${r.columns.join()}`)).toEqual(['btree url']);
  });
});

describe('hash indexes on pglite', () => {
  it('the rolled-back builds cost both: the hash index is chosen there too', async () => {
    await loadParser();
    const db = await PGLITE.open('advise_hash');
    try {
      await db.setup(SETUP);
      const catalog = await db.engine.catalog();
      const report = await advise(db.engine, await workloadFromSql('SELECT * FROM pages WHERE url = $1'), catalog);
      expect(report.whatIf).toBe('transaction');
      expect(report.stats.candidates).toBe(2);
      expect(report.recommendations.map((r) => `${r.method} ${r.columns.join()}`)).toEqual(['hash url']);
    } finally {
      await db.cleanup();
    }
  });
});
