/**
 * Index kinds beyond the b-tree (issue 17, item 2): GIN on jsonb (jsonb_path_ops only when
 * `@>` alone is used), on arrays, for full-text search on the query's own to_tsvector, and
 * pg_trgm's trigram GIN for `ILIKE '%x%'` and regular expressions; GiST on range types;
 * BRIN on an append-ordered column of a large table. Each is recommended for its query and not for a neighbour query it cannot serve. On a
 * server with HypoPG (no GIN or GiST there) they are listed as not costed, apart from the
 * recommendations, and costed with --what-if transaction; PGlite builds them in a
 * rolled-back transaction; verify --trial measures them and apply builds them. Real
 * PostgreSQL (pg_trgm created with CREATE EXTENSION in the test's own database where an
 * index is built for real; the what-if transaction creates it itself) and PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advise } from '../src/advisor/advise.js';
import { connect } from '../src/engines/connect.js';
import { applyPlan } from '../src/apply/apply.js';
import { parsePlanInput } from '../src/migrate/inputs.js';
import { buildPlan } from '../src/migrate/plan.js';
import { trialAdvice } from '../src/verify/verify.js';
import type { Catalog } from '../src/model/catalog.js';
import type { AdviceReport, Recommendation } from '../src/model/recommendation.js';
import { createIndexSql, dropIndexSql } from '../src/sql/ddl.js';
import { POSTGRES_FAMILY, type TestEngine } from './helpers/engines.js';
import { workloadFromSql } from './helpers/workload.js';

const SETUP = `
CREATE TABLE docs (id bigint PRIMARY KEY, owner_id int NOT NULL, title text NOT NULL, body text NOT NULL,
  metadata jsonb NOT NULL, tags text[] NOT NULL, valid tstzrange NOT NULL);
INSERT INTO docs SELECT g, g % 500, 'Title ' || md5(g::text), 'word' || (g % 997) || ' text ' || md5((g * 31)::text),
  jsonb_build_object('kind', 'k' || (g % 1000), 'n', g), ARRAY['t' || (g % 1000), 't' || (g % 7)],
  tstzrange(timestamptz '2024-01-01' + g * interval '1 hour', timestamptz '2024-01-01' + (g + 2) * interval '1 hour')
  FROM generate_series(1, 30000) g;
ANALYZE docs;
`;

const describeIndex = (r: { table: string; method: string; columns: readonly string[] }) =>
  `${r.method} ${r.table}(${r.columns.join(', ')})`;

for (const fixture of POSTGRES_FAMILY) {
  describe.skipIf(!fixture.available)(`index kinds on ${fixture.name}`, () => {
    let db: TestEngine;
    let catalog: Catalog;
    beforeAll(async () => {
      db = await fixture.open('advise_kinds');
      await db.setup(SETUP);
      catalog = await db.engine.catalog();
    });
    afterAll(async () => db?.cleanup());

    // the server has HypoPG: GIN and GiST are costed only when a transaction is asked for
    const run = async (sql: string): Promise<AdviceReport> =>
      advise(db.engine, await workloadFromSql(sql), catalog, fixture.name === 'postgres' ? { whatIf: 'transaction' } : {});

    /** Builds the recommended index for real; the plan of `query` (literal values) with it. */
    const planWith = async (rec: Recommendation | undefined, query: string): Promise<string> => {
      if (rec === undefined) throw new Error('no recommendation');
      if (rec.extensions.length > 0) await db.setup(rec.extensions.map((e) => `CREATE EXTENSION IF NOT EXISTS ${e};`).join('\n'));
      await db.setup(createIndexSql(rec.index, { name: rec.name }));
      try {
        const rows = await db.engine.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query}`);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        await db.setup(dropIndexSql({ schema: 'public', name: rec.name }));
      }
    };

    it('jsonb @> alone gets GIN jsonb_path_ops; with ? on the same column, the default jsonb_ops', async () => {
      const containment = await run('SELECT id FROM docs WHERE metadata @> $1');
      expect(containment.recommendations.map(describeIndex)).toEqual(['gin public.docs(metadata jsonb_path_ops)']);
      const [rec] = containment.recommendations;
      expect(rec?.sql).toMatch(/USING gin \(metadata jsonb_path_ops\)$/);
      expect(await planWith(rec, `SELECT id FROM docs WHERE metadata @> '{"kind": "k7"}'`)).toContain(rec?.name);

      const both = await run("SELECT id FROM docs WHERE metadata @> $1; SELECT id FROM docs WHERE metadata ? 'kind'");
      const gin = both.recommendations.filter((r) => r.method === 'gin');
      expect(gin.map(describeIndex)).toEqual(['gin public.docs(metadata)']);
    });

    it("ILIKE '%x%' and ~ get a trigram GIN (pg_trgm); LIKE 'abc%' gets a b-tree, no trigram", async () => {
      const infix = await run("SELECT id FROM docs WHERE body ILIKE '%word42 %'; SELECT id FROM docs WHERE title ~ 'Title 0ab'");
      expect(infix.recommendations.map(describeIndex).sort()).toEqual([
        'gin public.docs(body gin_trgm_ops)',
        'gin public.docs(title gin_trgm_ops)',
      ]);
      const body = infix.recommendations.find((r) => r.columns[0] === 'body gin_trgm_ops');
      expect(body?.extensions).toEqual(['pg_trgm']);
      expect(body?.name).toBe('idx_docs_body_trgm');
      expect(await planWith(body, "SELECT id FROM docs WHERE body ILIKE '%word42 %'")).toContain(body?.name);

      const prefix = await run("SELECT id FROM docs WHERE title LIKE 'Title 0ab%'");
      expect(prefix.recommendations.map(describeIndex)).toEqual(['btree public.docs(title text_pattern_ops)']);
      expect(prefix.uncosted).toEqual([]);
    });

    it('arrays: tags && $1 gets GIN; full-text search gets GIN on the query’s own to_tsvector', async () => {
      const report = await run(
        "SELECT id FROM docs WHERE tags && ARRAY['t42']; SELECT id FROM docs WHERE to_tsvector('simple', body) @@ to_tsquery('simple', $1)",
      );
      expect(report.recommendations.map(describeIndex).sort()).toEqual([
        "gin public.docs((to_tsvector('simple', body)))",
        'gin public.docs(tags)',
      ]);
      const fts = report.recommendations.find((r) => r.columns[0]?.startsWith('(to_tsvector'));
      expect(await planWith(fts, "SELECT id FROM docs WHERE to_tsvector('simple', body) @@ to_tsquery('simple', 'word42')")).toContain(
        fts?.name,
      );
    });

    // BRIN needs a large table: on PostgreSQL only (HypoPG costs it), to keep the suite's time
    it.skipIf(fixture.name !== 'postgres')(
      'BRIN for a range on an append-ordered column of a large table when a b-tree does not fit the budget',
      async () => {
        await db.setup(`CREATE TABLE events (id bigint, at timestamptz NOT NULL, score int NOT NULL);
        INSERT INTO events SELECT g, timestamptz '2024-01-01' + g * interval '1 minute', (hashint4(g) & 1048575) FROM generate_series(1, 600000) g;
        ANALYZE events;`);
        const events = await db.engine.catalog();
        const workload = await workloadFromSql(
          'SELECT count(*) FROM events WHERE at >= $1 AND at < $2; SELECT count(*) FROM events WHERE score BETWEEN $1 AND $2',
        );
        const report = await advise(db.engine, workload, events, { budgetBytes: 1_000_000 });
        expect(report.whatIf).toBe('hypopg');
        expect(report.recommendations.map(describeIndex)).toEqual(['brin public.events(at)']);
        expect(report.recommendations[0]?.sql).toMatch(/USING brin \(at\)$/);
        expect(report.recommendations[0]?.estimatedBytes).toBeLessThan(1_000_000);
        await db.setup('DROP TABLE events');
      },
    );

    it('range overlap gets GiST; equality on owner_id stays a b-tree', async () => {
      const report = await run('SELECT id FROM docs WHERE valid && tstzrange($1, $2); SELECT id FROM docs WHERE owner_id = $1');
      expect(report.recommendations.map(describeIndex).sort()).toEqual(['btree public.docs(owner_id)', 'gist public.docs(valid)']);
    });
  });
}

describe.skipIf(!POSTGRES_FAMILY[0]?.available)('GIN under HypoPG on a server', () => {
  let db: TestEngine;
  beforeAll(async () => {
    db = await (POSTGRES_FAMILY[0] as (typeof POSTGRES_FAMILY)[number]).open('advise_kinds_hypopg');
    await db.setup(SETUP);
  });
  afterAll(async () => db?.cleanup());

  it('is listed as not costed, apart from the recommendations, and costed with --what-if transaction', async () => {
    const sql =
      "SELECT id FROM docs WHERE metadata @> $1; SELECT id FROM docs WHERE owner_id = $1; SELECT id FROM docs WHERE body ILIKE '%word42 %'";
    const workload = await workloadFromSql(sql);
    const catalog = await db.engine.catalog();
    const hypo = await advise(db.engine, workload, catalog);
    expect(hypo.whatIf).toBe('hypopg');
    expect(hypo.recommendations.map(describeIndex)).toEqual(['btree public.docs(owner_id)']);
    expect(hypo.uncosted.map(describeIndex).sort()).toEqual([
      'gin public.docs(body gin_trgm_ops)',
      'gin public.docs(metadata jsonb_path_ops)',
    ]);
    const trgm = hypo.uncosted.find((u) => u.extensions.length > 0);
    expect(trgm?.reason).toMatch(/HypoPG cannot create a hypothetical GIN index/);
    expect(trgm?.command).toContain('--what-if hybrid');
    expect(trgm?.extensions).toEqual(['pg_trgm']);
    // pg_trgm is not installed in this database (the other suite's database has it): the advice says the migration adds it
    expect(hypo.notes.join('\n')).toMatch(/Extension pg_trgm is not installed: the migration creates it/);

    const built = await advise(db.engine, workload, catalog, { whatIf: 'transaction' });
    expect(built.uncosted).toEqual([]);
    expect(built.recommendations.map(describeIndex).sort()).toEqual([
      'btree public.docs(owner_id)',
      'gin public.docs(body gin_trgm_ops)',
      'gin public.docs(metadata jsonb_path_ops)',
    ]);
    // the transaction that built the trigram index was rolled back: no extension left behind
    expect(await db.engine.query("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).toEqual([]);

    // verify --trial builds them (pg_trgm too) in a rolled-back transaction and measures the plans they give
    const trial = await trialAdvice(db.engine, workload, catalog, built.recommendations, { runs: 1 });
    const search = trial.comparison.queries.find((q) => q.sql.includes('ILIKE'));
    expect(search?.planChange).toMatch(/Seq Scan → .*Bitmap/);
    expect(await db.engine.query("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).toEqual([]);

    // apply builds them for good, the extension first
    const plan = buildPlan([parsePlanInput(JSON.stringify(built), 'advice.json')], {}, { dialect: 'postgres' });
    const summary = await applyPlan(db.engine, plan);
    expect(summary.steps.map((s) => s.status)).toEqual(['built', 'built', 'built']);
    const indexes = await db.engine.query<{ def: string }>(
      "SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid = 'docs'::regclass AND NOT indisprimary ORDER BY 1",
    );
    expect(indexes.map((i) => i.def)).toEqual([
      'CREATE INDEX idx_docs_body_trgm ON public.docs USING gin (body gin_trgm_ops)',
      'CREATE INDEX idx_docs_metadata_gin ON public.docs USING gin (metadata jsonb_path_ops)',
      expect.stringMatching(/^CREATE INDEX idx_docs_owner_id\S* ON public\.docs USING btree \(owner_id\)/),
    ]);
  });

  it('says when the role may not create the extension an index needs', async () => {
    const role = `ix_kinds_reader_${process.pid}`;
    await db.setup(
      `CREATE ROLE ${role} LOGIN PASSWORD 'reader'; GRANT SELECT ON docs TO ${role}; DROP EXTENSION IF EXISTS pg_trgm CASCADE;`,
    );
    const url = new URL(db.url as string);
    url.username = role;
    url.password = 'reader';
    const reader = await connect(url.toString());
    try {
      const report = await advise(
        reader,
        await workloadFromSql("SELECT id FROM docs WHERE body ILIKE '%word42 %'"),
        await reader.catalog(),
      );
      expect(report.uncosted.map((u) => u.name)).toEqual(['idx_docs_body_trgm']);
      expect(report.notes.join('\n')).toMatch(/Extension pg_trgm is not installed and this role cannot create it/);
    } finally {
      await reader.close();
      await db.setup(`DROP OWNED BY ${role}; DROP ROLE ${role};`);
    }
  });
});
