import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUnused, type UsageSnapshot } from '../../src/health/checks/unused-index.js';
import type { Catalog, Index } from '../../src/model/catalog.js';
import { PGLITE, POSTGRES, type TestEngine } from '../helpers/engines.js';
import { findings } from '../helpers/health.js';

const SETUP = `
CREATE TABLE parent (id int PRIMARY KEY);
CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int, email text, parent_id int REFERENCES parent, CONSTRAINT t_c_key UNIQUE (c));
CREATE INDEX t_a ON t (a);
CREATE INDEX t_b ON t (b);
CREATE INDEX t_b_rare ON t (b, a);
CREATE UNIQUE INDEX t_email ON t (email);
CREATE INDEX t_parent ON t (parent_id);
CREATE TABLE "Order Items" (id int, at date NOT NULL, "select" int) PARTITION BY RANGE (at);
CREATE TABLE "Order Items 2024" PARTITION OF "Order Items" FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX "oi select" ON "Order Items" ("select");
CREATE INDEX oi_id ON "Order Items" (id);
`;

/** Index scans that really happen, flushed to the statistics at once. */
const USE = `
SET enable_seqscan = off; SET enable_bitmapscan = off;
DO $$ BEGIN
  FOR i IN 1..60 LOOP PERFORM * FROM t WHERE a = i; PERFORM * FROM "Order Items" WHERE "select" = i; END LOOP;
  FOR i IN 1..5 LOOP PERFORM * FROM t WHERE b = i AND a = i; END LOOP;
END $$;
SELECT pg_stat_force_next_flush();
`;

const names = (found: { index: string | null }[]) => found.map((f) => f.index).sort();

describe.skipIf(!POSTGRES.available)('unused-index on postgres', () => {
  let db: TestEngine;
  beforeAll(async () => {
    db = await POSTGRES.open('unused_index');
    await db.setup(SETUP);
    await db.setup(USE);
  });
  afterAll(async () => db?.cleanup());

  it('a young statistics reset is not a verdict: info, no fix', async () => {
    const found = await findings(db, 'unused-index');
    expect(names(found)).toEqual(['public.oi_id', 'public.t_b', 'public.t_b_rare']);
    for (const f of found) {
      expect(f.severity).toBe('info');
      expect(f.fixSql).toBeNull();
      expect(f.message).toMatch(/too young for a verdict/);
      expect(f.evidence.statsSinceSource).toBe('server start');
    }
  });

  it('with old enough statistics: a warning with the drop and the definition to rebuild it', async () => {
    const found = await findings(db, 'unused-index', { 'min-stats-age-days': 0 });
    expect(names(found)).toEqual(['public.oi_id', 'public.t_b', 'public.t_b_rare']);
    const b = found.find((f) => f.index === 'public.t_b');
    expect(b).toMatchObject({ severity: 'warning', table: 'public.t', fixSql: 'DROP INDEX CONCURRENTLY public.t_b;' });
    expect(b?.evidence).toMatchObject({ scans: 0, definition: 'CREATE INDEX t_b ON public.t USING btree (b)', databases: 1 });
    expect(found.find((f) => f.index === 'public.t_b_rare')?.evidence.scans).toBe(5);
    // a partitioned index is dropped without CONCURRENTLY, which PostgreSQL refuses there
    const partitioned = found.find((f) => f.index === 'public.oi_id');
    expect(partitioned?.fixSql).toBe('DROP INDEX public.oi_id;');
    expect(partitioned?.evidence).toMatchObject({
      definition: 'CREATE INDEX oi_id ON ONLY public."Order Items" USING btree (id)',
      recreateSql: 'CREATE INDEX oi_id ON public."Order Items" USING btree (id);', // ON ONLY would leave the partitions without it
    });
    expect(b?.evidence.recreateSql).toBe('CREATE INDEX CONCURRENTLY t_b ON public.t USING btree (b);');
  });

  it('never calls a primary key, unique, constraint or foreign-key index unused', async () => {
    const flagged = names(await findings(db, 'unused-index', { 'min-stats-age-days': 0, 'min-scans': 1_000_000 }));
    for (const keep of ['t_pkey', 't_email', 't_c_key', 't_parent', 'parent_pkey']) expect(flagged).not.toContain(`public.${keep}`);
    expect(flagged).toContain('public.t_a'); // used 60 times, but fewer than a million
  });

  it('counts the scans of a partitioned index on its partitions; --min-scans moves the line', async () => {
    const found = await findings(db, 'unused-index', { 'min-stats-age-days': 0, 'min-scans': 61 });
    const select = found.find((f) => f.index === 'public."oi select"');
    expect(select?.evidence.scans).toBe(60);
    expect(select?.table).toBe('public."Order Items"');
    expect(names(await findings(db, 'unused-index', { 'min-stats-age-days': 0, 'min-scans': 5 }))).not.toContain('public.t_b_rare');
  });

  it('after pg_stat_reset() the counters start again, and the reset time is the evidence', async () => {
    await db.setup('SELECT pg_stat_reset()');
    const found = await findings(db, 'unused-index', { 'min-stats-age-days': 0 });
    expect(names(found)).toContain('public.t_a');
    expect(found[0]?.evidence.statsSinceSource).toBe('stats_reset');
    expect(Number(found[0]?.evidence.statsAgeDays)).toBeLessThan(0.01);
    const young = await findings(db, 'unused-index');
    expect(young.every((f) => f.severity === 'info')).toBe(true);
  });
});

describe('unused-index on pglite', () => {
  let db: TestEngine;
  beforeAll(async () => {
    db = await PGLITE.open('unused_index');
    await db.setup('CREATE TABLE t (id int PRIMARY KEY, a int, e text UNIQUE); CREATE INDEX t_a ON t (a);');
  });
  afterAll(async () => db?.cleanup());

  it('runs, and leaves unique indexes alone', async () => {
    const found = await findings(db, 'unused-index', { 'min-stats-age-days': 0 });
    expect(names(found)).toEqual(['public.t_a']);
    expect(found[0]?.fixSql).toBe('DROP INDEX public.t_a;');
  });
});

describe('unused-index across replicas (pure rule)', () => {
  const index = (name: string): Index => ({
    schema: 'public',
    name,
    table: { schema: 'public', name: 't' },
    method: 'btree',
    unique: false,
    primary: false,
    valid: true,
    keys: [{ column: name, expression: null, descending: false, nullsFirst: false, opclass: null, collation: null }],
    include: [],
    predicate: null,
    definition: '',
    bytes: 8192,
    constraint: null,
    parentIndex: null,
  });
  const catalog: Catalog = {
    schemas: ['public'],
    searchPath: ['public'],
    tables: [],
    indexes: [index('a'), index('b')],
    foreignKeys: [],
    views: [],
  };
  const snapshot = (scans: Record<string, number>, days: number): UsageSnapshot => ({
    age: { since: '', source: 'stats_reset', days },
    indexes: Object.entries(scans).map(([name, n]) => ({
      index: { schema: 'public', name },
      table: { schema: 'public', name: 't' },
      scans: n,
      tuplesRead: 0,
      bytes: 8192,
      definition: '',
    })),
  });

  it('an index used on any database is used; the youngest statistics decide the verdict', () => {
    const unused = findUnused(catalog, snapshot({ a: 0, b: 0 }, 30), [snapshot({ a: 70 }, 3)], { minScans: 50, minStatsAgeDays: 7 });
    expect(unused.map((u) => u.index.name)).toEqual(['b']);
    expect(unused[0]).toMatchObject({ verdict: false, replicaScans: 0, age: { days: 3 } });
  });
});
