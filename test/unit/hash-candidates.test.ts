/**
 * The pure rule for hash index candidates (src/advisor/hash-candidates.ts): `USING hash (col)`
 * beside the b-tree, only on a wide text key (pg_stats.avg_width ≥ 64) that the whole workload
 * compares with `=`, IN or `= ANY` alone; never where a range, pattern, IS NULL, sort, grouping
 * or a multi-column key uses it, nor where an index already leads with it, nor on SQLite. The
 * migration formats write it (Prisma as `type: Hash`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCandidates } from '../../src/advisor/candidates.js';
import { HASH_MIN_WIDTH } from '../../src/advisor/hash-candidates.js';
import { plannedIndex, replacedIndexes } from '../../src/advisor/replaces.js';
import { analyzeSql } from '../../src/analysis/analyze-query.js';
import { loadParser } from '../../src/analysis/parse.js';
import type { EngineInfo } from '../../src/engines/engine.js';
import { KIND_CAPABILITIES } from '../../src/engines/kind-capabilities.js';
import type { Catalog, Column, Index, Table } from '../../src/model/catalog.js';
import { INDEX_METHODS, type IndexDef, type IndexMethod, keyColumn } from '../../src/model/index-def.js';
import { FORMATS } from '../../src/migrate/formats/format.js';
import { migrationFormat } from '../../src/migrate/formats/index.js';
import { parsePlanInput } from '../../src/migrate/inputs.js';
import { buildPlan } from '../../src/migrate/plan.js';
import { createIndexSql } from '../../src/sql/ddl.js';

const column = (name: string, type: string, avgWidth: number | null): Column => ({
  name,
  position: 0,
  type,
  nullable: false,
  generated: false,
  stats: avgWidth === null ? null : { nDistinct: -1, nullFrac: 0, correlation: 0.01, avgWidth },
});
const PAGES: Table = {
  schema: 'public',
  name: 'pages',
  kind: 'table',
  parent: null,
  rowEstimate: 100_000,
  tableBytes: 2e7,
  totalBytes: 2e7,
  columns: [
    column('id', 'bigint', 8),
    column('url', 'text', 100),
    column('token', 'character varying(200)', HASH_MIN_WIDTH),
    column('code', 'text', 12),
    column('n', 'integer', 4),
    column('body', 'bytea', 300),
    column('payload', 'jsonb', 400),
    column('unknown', 'text', null),
  ],
  primaryKey: ['id'],
};
const catalog = (indexes: Index[] = []) =>
  ({
    schemas: ['public'],
    searchPath: ['public'],
    tables: [PAGES],
    indexes,
    foreignKeys: [],
    views: [],
    triggers: [],
  }) as unknown as Catalog;

/** The hash candidates `queries` (one workload) get, as `USING hash (…)`. */
function hashCandidates(queries: string[], options: { methods?: readonly IndexMethod[]; indexes?: Index[] } = {}): string[] {
  const cat = catalog(options.indexes);
  const analyzed = queries.map((sql, i) => ({ fingerprint: `q${i}`, accesses: analyzeSql(sql, cat).accesses }));
  return generateCandidates(analyzed, cat, { maxColumns: 3, includeColumns: true, methods: options.methods ?? INDEX_METHODS })
    .filter((c) => c.def.method === 'hash')
    .map((c) => createIndexSql(c.def).replace(/^CREATE INDEX \S+ ON public\.pages /, ''))
    .sort();
}

/** A b-tree index on pages(url), as the catalog reads one. */
const urlIndex = (name: string, unique: boolean): Index => ({
  schema: 'public',
  name,
  table: { schema: 'public', name: 'pages' },
  method: 'btree',
  unique,
  primary: false,
  valid: true,
  keys: [{ column: 'url', expression: null, descending: false, nullsFirst: false, opclass: null, collation: null }],
  include: [],
  predicate: null,
  definition: `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${name} ON public.pages USING btree (url)`,
  bytes: 0,
  constraint: null,
  parentIndex: null,
});

describe('hash candidates', () => {
  beforeAll(loadParser);

  it('on a wide text key compared with =, IN or = ANY, beside the b-tree', () => {
    expect(hashCandidates(['SELECT id FROM pages WHERE url = $1'])).toEqual(['USING hash (url)']);
    expect(hashCandidates(['SELECT id FROM pages WHERE url IN ($1, $2)'])).toEqual(['USING hash (url)']);
    expect(hashCandidates(['SELECT id FROM pages WHERE url = ANY($1)'])).toEqual(['USING hash (url)']);
    expect(hashCandidates(['SELECT * FROM pages WHERE token = $1'])).toEqual(['USING hash (token)']);
    expect(hashCandidates(['SELECT id FROM pages WHERE body = $1'])).toEqual(['USING hash (body)']);
    expect(hashCandidates(['SELECT id FROM pages WHERE url = $1 OR token = $2'])).toEqual(['USING hash (token)', 'USING hash (url)']);
    // the b-tree candidate stays: the selection chooses between them by the planner's costs
    const cat = catalog();
    const methods = generateCandidates(
      [{ fingerprint: 'q', accesses: analyzeSql('SELECT id FROM pages WHERE url = $1', cat).accesses }],
      cat,
      {
        maxColumns: 3,
        includeColumns: true,
        methods: INDEX_METHODS,
      },
    ).map((c) => `${c.def.method} ${c.def.keys.map((k) => k.column).join()}${c.def.include.length ? ' include' : ''}`);
    expect(methods.sort()).toEqual(['btree url', 'btree url include', 'hash url']);
  });

  it('not on narrow keys, keys of unknown width or types outside the text family', () => {
    expect(hashCandidates(['SELECT id FROM pages WHERE code = $1'])).toEqual([]);
    expect(hashCandidates(['SELECT id FROM pages WHERE n = $1'])).toEqual([]);
    expect(hashCandidates(['SELECT id FROM pages WHERE unknown = $1'])).toEqual([]);
    expect(hashCandidates(['SELECT id FROM pages WHERE payload = $1'])).toEqual([]);
  });

  it('not when any query of the workload ranges over, matches, tests, sorts or groups the column', () => {
    const equality = 'SELECT id FROM pages WHERE url = $1';
    for (const other of [
      'SELECT id FROM pages WHERE url > $1',
      'SELECT id FROM pages WHERE url BETWEEN $1 AND $2',
      "SELECT id FROM pages WHERE url LIKE 'https://a%'",
      'SELECT id FROM pages WHERE url IS NULL',
      'SELECT id FROM pages WHERE url <> $1',
      'SELECT id FROM pages ORDER BY url LIMIT 10',
      'SELECT url, count(*) FROM pages GROUP BY url',
    ])
      expect(hashCandidates([equality, other]), other).toEqual([]);
    expect(hashCandidates(['SELECT id FROM pages WHERE url = $1 ORDER BY url'])).toEqual([]);
  });

  it('not as part of a multi-column key: another equality, range or sort beside it', () => {
    expect(hashCandidates(['SELECT id FROM pages WHERE url = $1 AND n = $2'])).toEqual([]);
    expect(hashCandidates(['SELECT id FROM pages WHERE url = $1 AND n > $2'])).toEqual([]);
    expect(hashCandidates(['SELECT id FROM pages WHERE url = $1 ORDER BY id DESC LIMIT 5'])).toEqual([]);
    // one query with url beside n rules it out for the whole workload
    expect(hashCandidates(['SELECT id FROM pages WHERE url = $1', 'SELECT id FROM pages WHERE url = $1 AND n = $2'])).toEqual([]);
  });

  it('not where an index already leads with the column, nor where the engine has no hash indexes (SQLite)', () => {
    const existing: Index = { ...urlIndex('pages_url_key', true), constraint: 'pages_url_key' };
    expect(hashCandidates(['SELECT id FROM pages WHERE url = $1'], { indexes: [existing] })).toEqual([]);
    expect(hashCandidates(['SELECT id FROM pages WHERE url = $1'], { indexes: [{ ...existing, predicate: 'id > 0' }] })).toEqual([
      'USING hash (url)',
    ]);
    expect(hashCandidates(['SELECT id FROM pages WHERE url = $1'], { methods: KIND_CAPABILITIES.sqlite.indexMethods })).toEqual([]);
    expect(KIND_CAPABILITIES.pglite.indexMethods).toContain('hash');
  });
});

describe('a recommended hash index and the indexes it would replace', () => {
  const info = { family: 'postgres', capabilities: { concurrently: true } } as unknown as EngineInfo;
  const def = (method: IndexMethod, columns: string[]): IndexDef => ({
    table: { schema: 'public', name: 'pages' },
    keys: columns.map((c) => keyColumn(c)),
    include: [],
    where: null,
    method,
    unique: false,
  });

  it('makes no b-tree redundant (it keeps no key order); a b-tree leading with the same key would', () => {
    const existing = catalog([urlIndex('idx_pages_url', false)]);
    const hash = plannedIndex(def('hash', ['url']), 'idx_pages_url_hash', 1e6);
    expect(replacedIndexes(info, existing, [hash])).toEqual([]);
    const btree = plannedIndex(def('btree', ['url', 'n']), 'idx_pages_url_n', 1e6);
    expect(replacedIndexes(info, existing, [btree]).map((f) => f.index)).toEqual(['public.idx_pages_url']);
  });
});

describe('hash indexes in the migration formats', () => {
  const advice = {
    engine: 'postgres',
    recommendations: [{ table: 'public.pages', columns: ['url'], include: [], where: null, method: 'hash', name: 'idx_pages_url_hash' }],
  };
  const plan = buildPlan([parsePlanInput(JSON.stringify(advice), 'advice.json')], {}, { dialect: 'postgres' });

  for (const id of FORMATS) {
    it(`${id}: USING hash (url)`, () => {
      const output = migrationFormat(id, 'postgres').render({
        plan,
        now: new Date('2026-12-02T12:00:00Z'),
        name: 'indexes',
        outName: 'out',
        listing: [],
        existing: new Map(),
      });
      const text = output.files.map((f) => f.contents).join('\n');
      if (id === 'alembic') expect(text).toContain("postgresql_using='hash'");
      else expect(text).toMatch(/CREATE INDEX (CONCURRENTLY )?(IF NOT EXISTS )?idx_pages_url_hash ON public\.pages USING hash \(url\)/);
      if (id === 'prisma') expect(output.printed).toContain('@@index([url], type: Hash, map: "idx_pages_url_hash")');
    });
  }
});
