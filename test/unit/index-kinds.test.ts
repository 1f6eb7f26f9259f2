/**
 * The pure parts of index kinds beyond the b-tree: which definition each operator gets
 * from the analysis and the catalog's column types, the DDL, and each migration format
 * writing `USING gin (… opclass)` after the `CREATE EXTENSION IF NOT EXISTS` it needs
 * (never dropped on the way down), Prisma flagging what @@index cannot say.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCandidates } from '../../src/advisor/candidates.js';
import { analyzeSql } from '../../src/analysis/analyze-query.js';
import { loadParser } from '../../src/analysis/parse.js';
import type { Catalog, Column, Table } from '../../src/model/catalog.js';
import { extensionsFor, INDEX_METHODS, type IndexDef, indexId, keyColumn } from '../../src/model/index-def.js';
import { FORMATS } from '../../src/migrate/formats/format.js';
import { migrationFormat } from '../../src/migrate/formats/index.js';
import { parsePlanInput } from '../../src/migrate/inputs.js';
import { buildPlan } from '../../src/migrate/plan.js';
import { createIndexSql, indexName } from '../../src/sql/ddl.js';

const column = (name: string, type: string): Column => ({ name, position: 0, type, nullable: false, generated: false, stats: null });
const DOCS: Table = {
  schema: 'public',
  name: 'docs',
  kind: 'table',
  parent: null,
  rowEstimate: 10000,
  tableBytes: 1e6,
  totalBytes: 1e6,
  columns: [
    column('id', 'bigint'),
    column('owner_id', 'integer'),
    column('title', 'character varying(200)'),
    column('metadata', 'jsonb'),
    column('tags', 'text[]'),
    column('valid', 'tstzrange'),
    column('n', 'integer'),
    column('place', 'point'),
    column('area', 'box'),
    column('zone', 'circle'),
    column('addr', 'inet'),
    column('net', 'cidr'),
    column('slug', 'text'),
    column('code', 'character(8)'),
    column('stays', 'int4multirange'),
  ],
  primaryKey: ['id'],
};
const CATALOG = {
  schemas: ['public'],
  searchPath: ['public'],
  tables: [DOCS],
  indexes: [],
  foreignKeys: [],
  views: [],
  triggers: [],
} as unknown as Catalog;

function candidatesFor(...queries: string[]): string[] {
  const analyzed = queries.map((sql, i) => ({ fingerprint: `q${i}`, accesses: analyzeSql(sql, CATALOG).accesses }));
  return generateCandidates(analyzed, CATALOG, { maxColumns: 3, includeColumns: true, methods: INDEX_METHODS })
    .filter((c) => c.def.method !== 'btree')
    .map((c) => createIndexSql(c.def).replace(/^CREATE INDEX \S+ ON public\.docs /, ''))
    .sort();
}

describe('candidates of other methods', () => {
  beforeAll(loadParser);

  it('jsonb: jsonb_path_ops when only @> is used on the column, jsonb_ops as soon as ? is', () => {
    expect(candidatesFor('SELECT id FROM docs WHERE metadata @> $1')).toEqual(['USING gin (metadata jsonb_path_ops)']);
    expect(candidatesFor('SELECT id FROM docs WHERE metadata @> $1', "SELECT id FROM docs WHERE metadata ?| array['a']")).toEqual([
      'USING gin (metadata)',
    ]);
    // ->> is an expression b-trees serve: no GIN for it
    expect(candidatesFor("SELECT id FROM docs WHERE metadata ->> 'kind' = $1")).toEqual([]);
  });

  it('trigrams for patterns without a fixed prefix and regular expressions, not for LIKE prefixes or negations', () => {
    expect(candidatesFor("SELECT id FROM docs WHERE title LIKE '%abc%'")).toEqual(['USING gin (title gin_trgm_ops)']);
    expect(candidatesFor('SELECT id FROM docs WHERE title ILIKE $1')).toEqual(['USING gin (title gin_trgm_ops)']);
    expect(candidatesFor("SELECT id FROM docs WHERE title ~* 'ab+c'")).toEqual(['USING gin (title gin_trgm_ops)']);
    expect(candidatesFor("SELECT id FROM docs WHERE title LIKE 'abc%'")).toEqual([]);
    expect(candidatesFor("SELECT id FROM docs WHERE title NOT LIKE '%abc%'")).toEqual([]);
    expect(candidatesFor("SELECT id FROM docs WHERE title !~ 'abc'")).toEqual([]);
    // not a text column: a trigram class would not fit
    expect(candidatesFor("SELECT id FROM docs WHERE n::text LIKE '%1%'")).toEqual([]);
  });

  it('arrays, full-text on the query’s own expression, ranges; none for = ANY(array column)', () => {
    expect(candidatesFor('SELECT id FROM docs WHERE tags @> $1 OR tags && $2')).toEqual(['USING gin (tags)']);
    expect(candidatesFor('SELECT id FROM docs WHERE $1 = ANY(tags)')).toEqual([]);
    expect(candidatesFor("SELECT id FROM docs WHERE to_tsvector('english', title) @@ plainto_tsquery('english', $1)")).toEqual([
      "USING gin ((to_tsvector('english', title)))",
    ]);
    expect(candidatesFor('SELECT id FROM docs WHERE valid @> now()')).toEqual(['USING gist (valid)', 'USING spgist (valid)']);
    expect(candidatesFor('SELECT id FROM docs WHERE owner_id = $1')).toEqual([]);
  });
});

describe('GIN on a jsonb path the query names', () => {
  beforeAll(loadParser);

  it('is built on the query’s own expression: jsonb_path_ops for @> alone, jsonb_ops with ?', () => {
    expect(candidatesFor("SELECT id FROM docs WHERE (metadata -> 'tags') @> $1")).toEqual([
      "USING gin ((metadata -> 'tags') jsonb_path_ops)",
    ]);
    expect(
      candidatesFor("SELECT id FROM docs WHERE metadata -> 'attrs' ? 'x'", "SELECT id FROM docs WHERE metadata->'attrs' @> $1"),
    ).toEqual(["USING gin ((metadata -> 'attrs'))"]);
    expect(candidatesFor("SELECT id FROM docs WHERE metadata -> 'a' -> 'b' ?| $1")).toEqual(["USING gin (((metadata -> 'a') -> 'b'))"]);
    expect(candidatesFor("SELECT id FROM docs WHERE metadata #> '{a,b}' @> $1")).toEqual([
      "USING gin ((metadata #> '{a,b}') jsonb_path_ops)",
    ]);
  });

  it('is not offered for text taken out of jsonb, nor for a path of a column that is not jsonb', () => {
    expect(candidatesFor("SELECT id FROM docs WHERE (metadata ->> 'tags')::jsonb @> $1")).toEqual([]);
    expect(candidatesFor("SELECT id FROM docs WHERE metadata ->> 'kind' LIKE 'a%'")).toEqual([]);
    expect(candidatesFor("SELECT id FROM docs WHERE title::json -> 'a' @> $1")).toEqual([]);
  });
});

describe('GiST and SP-GiST candidates', () => {
  beforeAll(loadParser);

  it('both where both serve the operator, with the classes each needs named', () => {
    expect(candidatesFor('SELECT id FROM docs WHERE addr << $1')).toEqual(['USING gist (addr inet_ops)', 'USING spgist (addr)']);
    expect(candidatesFor("SELECT id FROM docs WHERE net >>= '10.1.2.3'")).toEqual(['USING gist (net inet_ops)', 'USING spgist (net)']);
    expect(candidatesFor("SELECT id FROM docs WHERE place <@ box '((0,0),(1,1))'")).toEqual([
      'USING gist (place)',
      'USING spgist (place kd_point_ops)',
      'USING spgist (place)',
    ]);
    expect(candidatesFor('SELECT id FROM docs WHERE area && $1')).toEqual(['USING gist (area)', 'USING spgist (area)']);
    expect(candidatesFor('SELECT id FROM docs WHERE zone && $1')).toEqual(['USING gist (zone)']);
    // a multirange column: GiST's multirange_ops; SP-GiST has no class for it
    expect(candidatesFor('SELECT id FROM docs WHERE stays && $1')).toEqual(['USING gist (stays)']);
  });

  it('SP-GiST alone for a text prefix (^@)', () => {
    expect(candidatesFor("SELECT id FROM docs WHERE slug ^@ 'abc'")).toEqual(['USING spgist (slug)']);
    expect(candidatesFor('SELECT id FROM docs WHERE title ^@ $1')).toEqual(['USING spgist (title)']);
    // char(n) has no SP-GiST operator class (its cast to text is not binary)
    expect(candidatesFor('SELECT id FROM docs WHERE code ^@ $1')).toEqual([]);
  });

  it('nearest first: ORDER BY col <-> value, ascending, on a type whose classes order by distance', () => {
    const nearest = ['USING gist (place)', 'USING spgist (place kd_point_ops)', 'USING spgist (place)'];
    expect(candidatesFor('SELECT id FROM docs ORDER BY place <-> point($1, $2) LIMIT 5')).toEqual(nearest);
    expect(candidatesFor("SELECT id FROM docs ORDER BY point '(1,2)' <-> place LIMIT 5")).toEqual(nearest);
    expect(candidatesFor('SELECT id FROM docs ORDER BY place <-> point($1, $2) DESC LIMIT 5')).toEqual([]);
    expect(candidatesFor('SELECT id FROM docs ORDER BY addr <-> $1 LIMIT 5')).toEqual([]);
  });

  it('none for the operators a b-tree serves, nor for others neither method has', () => {
    expect(candidatesFor('SELECT id FROM docs WHERE addr = $1')).toEqual([]);
    expect(candidatesFor("SELECT id FROM docs WHERE slug LIKE 'abc%'")).toEqual([]);
    expect(candidatesFor('SELECT id FROM docs WHERE slug = $1')).toEqual([]);
    expect(candidatesFor('SELECT id FROM docs WHERE addr::text LIKE $1')).toEqual([]);
    expect(candidatesFor('SELECT id FROM docs WHERE place = $1')).toEqual([]);
  });
});

describe('BRIN candidates', () => {
  beforeAll(loadParser);
  const stats = (correlation: number) => ({ nDistinct: -1, nullFrac: 0, correlation, avgWidth: 8 });
  const events = (rows: number): Catalog =>
    ({
      ...CATALOG,
      tables: [
        {
          ...DOCS,
          name: 'events',
          rowEstimate: rows,
          columns: [
            { ...column('at', 'timestamp with time zone'), stats: stats(0.998) },
            { ...column('score', 'integer'), stats: stats(0.01) },
          ],
        },
      ],
    }) as Catalog;
  const brin = (catalog: Catalog, sql: string) =>
    generateCandidates([{ fingerprint: 'q', accesses: analyzeSql(sql, catalog).accesses }], catalog, {
      maxColumns: 3,
      includeColumns: true,
      methods: INDEX_METHODS,
    })
      .filter((c) => c.def.method === 'brin')
      .map((c) => c.def.keys.map((k) => k.column).join());

  it('on a range over a column in the table’s physical order, on large tables only', () => {
    expect(brin(events(1_000_000), 'SELECT count(*) FROM events WHERE at >= $1 AND at < $2')).toEqual(['at']);
    expect(brin(events(1_000_000), 'SELECT count(*) FROM events WHERE score BETWEEN $1 AND $2')).toEqual([]);
    expect(brin(events(1_000_000), 'SELECT count(*) FROM events WHERE at = $1')).toEqual([]);
    expect(brin(events(10_000), 'SELECT count(*) FROM events WHERE at >= $1')).toEqual([]);
  });
});

describe('definitions of other methods', () => {
  const def = (method: IndexDef['method'], opclass: string | null): IndexDef => ({
    table: { schema: 'public', name: 'docs' },
    keys: [keyColumn('title', { opclass })],
    include: [],
    where: null,
    method,
    unique: false,
  });

  it('keep b-tree ids as they were, and tell the others apart', () => {
    expect(indexId(def('btree', null))).toBe('public.docs(title)');
    expect(indexId(def('gin', 'gin_trgm_ops'))).toBe('public.docs(title gin_trgm_ops) using gin');
    expect(indexName(def('gin', 'gin_trgm_ops'))).toBe('idx_docs_title_trgm');
    expect(indexName(def('gist', null))).toBe('idx_docs_title_gist');
    expect(indexName(def('spgist', null))).toBe('idx_docs_title_spgist');
    expect(indexName(def('spgist', 'kd_point_ops'))).toBe('idx_docs_title_kd_point_spgist');
    expect(indexName(def('gist', 'inet_ops'))).toBe('idx_docs_title_inet_gist');
    expect(indexName(def('gin', 'jsonb_path_ops'))).toBe('idx_docs_title_gin');
    expect(indexName(def('btree', null))).toBe('idx_docs_title');
    expect(extensionsFor(def('gin', 'gin_trgm_ops'))).toEqual(['pg_trgm']);
    expect(extensionsFor(def('gin', 'jsonb_path_ops'))).toEqual([]);
  });

  it('refuse a method that is not on the list (a definition read from a file is input)', () => {
    expect(() => createIndexSql({ ...def('btree', null), method: 'gin (x); DROP TABLE docs; --' as IndexDef['method'] })).toThrow(
      /unknown index method/,
    );
  });
});

describe('migration formats', () => {
  const advice = {
    engine: 'postgres',
    recommendations: [
      { table: 'public.docs', columns: ['owner_id'], include: [], where: null, method: 'btree', name: 'a', workloadShareSaved: 0.1 },
      { table: 'public.docs', columns: ['metadata jsonb_path_ops'], include: [], where: null, method: 'gin', name: 'b' },
      { table: 'public.docs', columns: ['title gin_trgm_ops'], include: [], where: null, method: 'gin', name: 'c' },
      { table: 'public.docs', columns: ['valid'], include: [], where: null, method: 'gist', name: 'd' },
      { table: 'public.docs', columns: ['place kd_point_ops'], include: [], where: null, method: 'spgist', name: 'e' },
    ],
  };
  const plan = buildPlan([parsePlanInput(JSON.stringify(advice), 'advice.json')], {}, { dialect: 'postgres' });
  const now = new Date('2026-12-02T12:00:00Z');

  it('reject a method that is not an index method', () => {
    const bad = { recommendations: [{ ...advice.recommendations[0], method: 'gin; --' }] };
    expect(() => parsePlanInput(JSON.stringify(bad), 'bad.json')).toThrow(/"method" must be one of btree, gin, gist, spgist, brin, hash/);
  });

  for (const id of FORMATS) {
    it(`${id}: USING gin/gist with the operator classes, CREATE EXTENSION pg_trgm first, not dropped on the way down`, () => {
      const output = migrationFormat(id, 'postgres').render({
        plan,
        now,
        name: 'indexes',
        outName: 'out',
        listing: [],
        existing: new Map(),
      });
      const text = output.files.map((f) => f.contents).join('\n');
      const up = output.files
        .filter((f) => !/down/.test(f.path))
        .map((f) => f.contents)
        .join('\n');
      expect(text).toMatch(/CREATE EXTENSION IF NOT EXISTS pg_trgm/);
      expect(text).not.toMatch(/DROP EXTENSION/);
      if (id === 'alembic') {
        expect(text).toContain("postgresql_using='gin'");
        expect(text).toContain("sa.text('metadata jsonb_path_ops')");
        expect(text).toContain("postgresql_using='gist'");
        expect(text).toContain("postgresql_using='spgist'");
        expect(text).toContain("sa.text('place kd_point_ops')");
      } else {
        expect(text).toMatch(/ON public\.docs USING gin \(metadata jsonb_path_ops\)/);
        expect(text).toMatch(/ON public\.docs USING gist \(valid\)/);
        expect(text).toMatch(/ON public\.docs USING spgist \(place kd_point_ops\)/);
        expect(text).toMatch(/ON public\.docs USING btree \(owner_id\)/);
        const extension = up.indexOf('CREATE EXTENSION IF NOT EXISTS pg_trgm');
        expect(extension).toBeGreaterThan(-1);
        expect(extension).toBeLessThan(up.indexOf('USING gin (title gin_trgm_ops)'));
      }
      if (id === 'prisma') {
        expect(output.printed).toContain('@@index([owner_id], map: "idx_docs_owner_id")');
        for (const name of ['idx_docs_metadata_gin', 'idx_docs_title_trgm', 'idx_docs_valid_gist', 'idx_docs_place_kd_point_spgist'])
          expect(output.printed).toMatch(new RegExp(`${name} has .*access method other than btree, which schema.prisma cannot express`));
      }
    });
  }
});
