/**
 * SP-GiST beside GiST, and GIN on a jsonb path (issue 17): `^@` gets SP-GiST text_ops (the
 * only method that serves it); inet containment, `point <@ box` and the nearest-first order
 * `ORDER BY spot <-> point(…) LIMIT n` get GiST and SP-GiST candidates both, built and costed,
 * and the recommended one is the cheapest of them; `(doc -> 'tags') @> $1` gets GIN on the
 * query's own expression. Neighbour queries they cannot serve get none. On a server with
 * HypoPG they are listed as not costed and costed with --what-if transaction; verify --trial
 * measures them (a `?` placeholder gets a key that the data has) and apply builds them. Real
 * PostgreSQL 15 and PGlite (PostgreSQL 18): 20,000 rows, enough for the planner to prefer the
 * indexes by cost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advise } from '../src/advisor/advise.js';
import { applyPlan } from '../src/apply/apply.js';
import { parsePlanInput } from '../src/migrate/inputs.js';
import { buildPlan } from '../src/migrate/plan.js';
import type { Catalog } from '../src/model/catalog.js';
import { type IndexDef, keyColumn } from '../src/model/index-def.js';
import type { AdviceReport, Recommendation } from '../src/model/recommendation.js';
import { createIndexSql } from '../src/sql/ddl.js';
import { measureWorkload, trialAdvice } from '../src/verify/verify.js';
import { POSTGRES, POSTGRES_FAMILY, type TestEngine } from './helpers/engines.js';
import { workloadFromSql } from './helpers/workload.js';

const SETUP = `
CREATE TABLE places (id bigint PRIMARY KEY, slug text NOT NULL, addr inet NOT NULL, spot point NOT NULL, doc jsonb NOT NULL);
INSERT INTO places SELECT g, md5(g::text), ('10.' || (g / 65536) % 256 || '.' || (g / 256) % 256 || '.' || g % 256)::inet,
  point((hashint4(g) & 65535) / 100.0, (hashint4(g * 7) & 65535) / 100.0),
  jsonb_build_object('tags', jsonb_build_array('t' || g % 500, 't' || g % 3), 'attrs', jsonb_build_object('a' || g % 400, true))
  FROM generate_series(1, 20000) g;
ANALYZE places;
`;

const describeIndex = (r: { method: string; columns: readonly string[] }) => `${r.method} (${r.columns.join(', ')})`;
const PLACES = { schema: 'public', name: 'places' };
const on = (method: IndexDef['method'], column: string, opclass: string | null = null): IndexDef => ({
  table: PLACES,
  keys: [keyColumn(column, { opclass })],
  include: [],
  where: null,
  method,
  unique: false,
});

for (const fixture of POSTGRES_FAMILY) {
  describe.skipIf(!fixture.available)(`SP-GiST and jsonb-path GIN on ${fixture.name}`, () => {
    let db: TestEngine;
    let catalog: Catalog;
    beforeAll(async () => {
      db = await fixture.open('advise_spgist');
      await db.setup(SETUP);
      catalog = await db.engine.catalog();
    });
    afterAll(async () => db?.cleanup());

    const run = async (sql: string): Promise<AdviceReport> =>
      advise(db.engine, await workloadFromSql(sql), catalog, fixture.name === 'postgres' ? { whatIf: 'transaction' } : {});

    /** The plan of `query` (literal values) and its total cost with `def` built (then dropped). */
    const planWith = async (def: IndexDef, query: string): Promise<{ text: string; cost: number }> => {
      await db.setup(createIndexSql(def, { name: 'ix_probe' }));
      try {
        const rows = await db.engine.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query}`);
        const text = rows.map((r) => r['QUERY PLAN']).join('\n');
        return { text, cost: Number(/\.\.([\d.]+)/.exec(text)?.[1]) };
      } finally {
        await db.setup('DROP INDEX ix_probe');
      }
    };

    /** The recommendation is the cheapest plan of the alternatives, each built for real. */
    const expectCheapest = async (rec: Recommendation | undefined, alternatives: IndexDef[], query: string) => {
      expect(rec).toBeDefined();
      const chosen = await planWith(rec?.index as IndexDef, query);
      expect(chosen.text).toContain('ix_probe');
      for (const other of alternatives) expect(chosen.cost).toBeLessThanOrEqual((await planWith(other, query)).cost);
    };

    it('^@ gets SP-GiST text_ops, the planner uses it; = alone on the column gets a b-tree, no SP-GiST', async () => {
      const report = await run('SELECT id FROM places WHERE slug ^@ $1');
      expect(report.recommendations.map(describeIndex)).toEqual(['spgist (slug)']);
      const equal = await run('SELECT id FROM places WHERE slug = $1');
      expect(equal.recommendations.map(describeIndex)).toEqual(['btree (slug)']);
      const rec = report.recommendations[0];
      expect(rec?.sql).toMatch(/^CREATE INDEX (CONCURRENTLY )?idx_places_slug_spgist ON public\.places USING spgist \(slug\)$/);
      expect((await planWith(rec?.index as IndexDef, "SELECT id FROM places WHERE slug ^@ 'abc'")).text).toContain('ix_probe');
    });

    it('inet << and point <@ box: GiST and SP-GiST both costed, the cheapest plan recommended', async () => {
      const report = await run("SELECT id FROM places WHERE addr << $1; SELECT id FROM places WHERE spot <@ box '((10,10),(40,40))'");
      const addr = report.recommendations.filter((r) => r.index.keys[0]?.column === 'addr');
      const spot = report.recommendations.filter((r) => r.index.keys[0]?.column === 'spot');
      expect(addr.map(describeIndex)).toEqual([expect.stringMatching(/^(gist \(addr inet_ops\)|spgist \(addr\))$/)]);
      expect(spot.map(describeIndex)).toEqual([expect.stringMatching(/^(gist|spgist) \(spot( kd_point_ops)?\)$/)]);
      await expectCheapest(
        addr[0],
        [on('gist', 'addr', 'inet_ops'), on('spgist', 'addr')],
        "SELECT id FROM places WHERE addr << '10.0.3.0/24'",
      );
      await expectCheapest(
        spot[0],
        [on('gist', 'spot'), on('spgist', 'spot'), on('spgist', 'spot', 'kd_point_ops')],
        "SELECT id FROM places WHERE spot <@ box '((10,10),(40,40))'",
      );
    });

    it('nearest first (ORDER BY spot <-> point LIMIT n): GiST or SP-GiST by cost; DESC and = on addr get none', async () => {
      const report = await run(
        'SELECT id FROM places ORDER BY spot <-> point($1, $2) LIMIT 5; SELECT id FROM places ORDER BY spot <-> point(1, 2) DESC LIMIT 5',
      );
      // DESC: farthest first, which neither method returns in order (a b-tree on the distance to that one point could)
      const nearest = report.recommendations.filter((r) => r.method !== 'btree');
      expect(nearest.map(describeIndex)).toEqual([expect.stringMatching(/^(gist|spgist) \(spot( kd_point_ops)?\)$/)]);
      const served = report.queries.filter((q) => nearest[0]?.queries.includes(q.fingerprint)).map((q) => q.sql);
      expect(served).toEqual([expect.stringMatching(/point\(\$1, \$2\) LIMIT/)]);
      await expectCheapest(
        nearest[0],
        [on('gist', 'spot'), on('spgist', 'spot'), on('spgist', 'spot', 'kd_point_ops')],
        'SELECT id FROM places ORDER BY spot <-> point(100, 100) LIMIT 5',
      );
      const equal = await run("SELECT id FROM places WHERE addr = '10.0.1.2'");
      expect(equal.recommendations.map(describeIndex)).toEqual(['btree (addr)']);
    });

    it("(doc -> 'tags') @> $1 gets GIN on the query's expression; ->> compared with = gets a b-tree", async () => {
      const report = await run(
        "SELECT id FROM places WHERE (doc -> 'tags') @> $1; SELECT id FROM places WHERE doc -> 'attrs' ? $1; SELECT id FROM places WHERE doc ->> 'slug' = $1",
      );
      expect(report.recommendations.map(describeIndex).sort()).toEqual([
        "btree ((doc ->> 'slug'))",
        "gin ((doc -> 'attrs'))",
        "gin ((doc -> 'tags') jsonb_path_ops)",
      ]);
      const tags = report.recommendations.find((r) => r.columns[0]?.includes('tags'));
      expect(tags?.sql).toMatch(/USING gin \(\(doc -> 'tags'\) jsonb_path_ops\)$/);
      expect((await planWith(tags?.index as IndexDef, `SELECT id FROM places WHERE (doc -> 'tags') @> '["t42"]'`)).text).toContain(
        'ix_probe',
      );
    });

    it('verify --trial measures them, a ? placeholder drawn as a key of the data; apply builds them', async () => {
      const sql = "SELECT id FROM places WHERE slug ^@ $1; SELECT id FROM places WHERE doc -> 'attrs' ? $1";
      const workload = await workloadFromSql(sql);
      const report = await advise(db.engine, workload, catalog, fixture.name === 'postgres' ? { whatIf: 'transaction' } : {});
      expect(report.recommendations.map(describeIndex).sort()).toEqual(["gin ((doc -> 'attrs'))", 'spgist (slug)']);
      const trial = await trialAdvice(db.engine, workload, catalog, report.recommendations, { runs: 1 });
      // the values verify drew: a key the data has for ?, a prefix for ^@; each finds rows
      for (const query of trial.before.queries) {
        expect(query.skipped).toBeUndefined();
        const executed = query.executed as { sql: string; params: readonly (string | null)[] };
        const [count] = await db.engine.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${executed.sql}) q`, [...executed.params]);
        expect(count?.n).toBeGreaterThan(0);
      }
      expect(trial.comparison.queries.map((q) => q.planChange ?? '').sort()).toEqual([
        expect.stringMatching(/Seq Scan → .*Bitmap/),
        expect.stringMatching(/Seq Scan → .*Bitmap/),
      ]);
      const plan = buildPlan([parsePlanInput(JSON.stringify(report), 'advice.json')], {}, { dialect: 'postgres' });
      const summary = await applyPlan(db.engine, plan);
      expect(summary.steps.map((s) => s.status)).toEqual(['built', 'built']);
      const indexes = await db.engine.query<{ def: string }>(
        "SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid = 'places'::regclass AND NOT indisprimary ORDER BY 1",
      );
      expect(indexes.map((i) => i.def)).toEqual([
        expect.stringMatching(/^CREATE INDEX idx_places_doc_attrs_gin_\w+ ON public\.places USING gin \(+doc -> 'attrs'::text\)+$/),
        'CREATE INDEX idx_places_slug_spgist ON public.places USING spgist (slug)',
      ]);
    });

    it('? $1 on a jsonb column without any key: verify skips the query, saying no value can be drawn', async () => {
      await db.setup(`CREATE TABLE blanks (id int PRIMARY KEY, doc jsonb NOT NULL);
        INSERT INTO blanks SELECT g, '{}' FROM generate_series(1, 50) g; ANALYZE blanks;`);
      const measured = await measureWorkload(
        db.engine,
        await workloadFromSql('SELECT id FROM blanks WHERE doc ? $1'),
        await db.engine.catalog(),
        { runs: 1 },
      );
      expect(measured.queries.map((q) => q.skipped)).toEqual(['no value can be drawn from the data for $1']);
      await db.setup('DROP TABLE blanks');
    });
  });
}

describe.skipIf(!POSTGRES.available)('SP-GiST under HypoPG on a server', () => {
  let db: TestEngine;
  beforeAll(async () => {
    db = await POSTGRES.open('advise_spgist_hypopg');
    await db.setup(SETUP);
  });
  afterAll(async () => db?.cleanup());

  it('is listed as not costed, with the reason and the command that costs it', async () => {
    const report = await advise(db.engine, await workloadFromSql('SELECT id FROM places WHERE slug ^@ $1'), await db.engine.catalog());
    expect(report.whatIf).toBe('hypopg');
    expect(report.recommendations).toEqual([]);
    expect(report.uncosted.map(describeIndex)).toEqual(['spgist (slug)']);
    expect(report.uncosted[0]?.reason).toMatch(/HypoPG cannot create a hypothetical SP-GiST index/);
    expect(report.uncosted[0]?.command).toContain('--what-if hybrid');
  });
});
