/** Introspection on real PostgreSQL and on PGlite: the same schema, the same expectations. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../src/model/catalog.js';
import { POSTGRES_FAMILY, type TestEngine } from './helpers/engines.js';

const SCHEMA_SQL = `
CREATE SCHEMA "Bar";
CREATE TABLE "Bar"."Foo" (
  "Id" bigint PRIMARY KEY,
  "userName" text NOT NULL,
  email text,
  created_at timestamptz,
  deleted_at timestamptz,
  score int GENERATED ALWAYS AS ("Id" % 10) STORED
);
INSERT INTO "Bar"."Foo" ("Id", "userName", email, created_at, deleted_at)
  SELECT g, 'user' || g, CASE WHEN g % 100 = 0 THEN 'dup@x' ELSE 'u' || g || '@x' END,
         now() - g * interval '1 minute', CASE WHEN g % 10 = 0 THEN now() END
  FROM generate_series(1, 5000) g;
CREATE INDEX foo_active_email ON "Bar"."Foo" (email) WHERE deleted_at IS NULL;
CREATE INDEX foo_lower_email ON "Bar"."Foo" (lower(email) text_pattern_ops);
CREATE INDEX foo_created_desc ON "Bar"."Foo" (created_at DESC NULLS LAST) INCLUDE ("userName");
CREATE INDEX foo_email_c ON "Bar"."Foo" (email COLLATE "C");
CREATE TABLE parent (id bigint PRIMARY KEY, name text);
CREATE TABLE child (
  id bigint PRIMARY KEY,
  parent_id bigint REFERENCES parent (id),
  foo_id bigint REFERENCES "Bar"."Foo" ("Id")
);
CREATE TABLE events (id bigint, at date NOT NULL, kind text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX events_kind_idx ON events (kind);
INSERT INTO events SELECT g, date '2024-01-01' + (g % 700), 'k' || (g % 5) FROM generate_series(1, 3000) g;
ANALYZE;
`;

for (const fixture of POSTGRES_FAMILY) {
  describe.skipIf(!fixture.available)(`introspection on ${fixture.name}`, () => {
    let db: TestEngine;
    let catalog: Catalog;

    beforeAll(async () => {
      db = await fixture.open('introspection');
      await db.setup(SCHEMA_SQL);
      if (fixture.name === 'postgres') {
        // A real failed concurrent build: duplicate values leave an invalid unique index behind.
        await db.setup(`CREATE UNIQUE INDEX CONCURRENTLY foo_email_unique ON "Bar"."Foo" (email)`).catch(() => {});
      } else {
        // PGlite has no CONCURRENTLY; mark an index invalid the way a failed build leaves it.
        await db.setup(`CREATE INDEX foo_email_unique ON "Bar"."Foo" (email);
          UPDATE pg_index SET indisvalid = false WHERE indexrelid = '"Bar".foo_email_unique'::regclass;`);
      }
      catalog = await db.engine.catalog();
    });
    afterAll(async () => db?.cleanup());

    const table = (schema: string, name: string) => catalog.tables.find((t) => t.schema === schema && t.name === name);
    const index = (name: string) => catalog.indexes.find((i) => i.name === name);

    it('reads mixed-case schemas, tables and columns with types, nullability and pg_stats', () => {
      expect(catalog.schemas).toContain('Bar');
      const foo = table('Bar', 'Foo');
      expect(foo).toBeDefined();
      expect(foo?.kind).toBe('table');
      expect(foo?.rowEstimate).toBe(5000);
      expect(foo?.totalBytes).toBeGreaterThan(foo?.tableBytes ?? 0);
      expect(foo?.primaryKey).toEqual(['Id']);
      const userName = foo?.columns.find((c) => c.name === 'userName');
      expect(userName).toMatchObject({ type: 'text', nullable: false, position: 2 });
      const email = foo?.columns.find((c) => c.name === 'email');
      expect(email?.nullable).toBe(true);
      expect(email?.stats?.nDistinct).toBeLessThan(0); // mostly unique: a negative fraction
      expect(email?.stats?.avgWidth).toBeGreaterThan(0);
      const deleted = foo?.columns.find((c) => c.name === 'deleted_at');
      expect(deleted?.stats?.nullFrac).toBeCloseTo(0.9, 1);
      expect(foo?.columns.find((c) => c.name === 'score')?.generated).toBe(true);
    });

    it('reads partial, expression, INCLUDE, collated and primary-key indexes', () => {
      expect(index('foo_active_email')).toMatchObject({
        table: { schema: 'Bar', name: 'Foo' },
        method: 'btree',
        predicate: 'deleted_at IS NULL',
        keys: [{ column: 'email', expression: null, descending: false }],
      });
      expect(index('foo_lower_email')?.keys[0]).toMatchObject({ column: null, expression: 'lower(email)', opclass: 'text_pattern_ops' });
      expect(index('foo_created_desc')).toMatchObject({
        keys: [{ column: 'created_at', descending: true, nullsFirst: false }],
        include: ['userName'],
      });
      expect(index('foo_email_c')?.keys[0]?.collation).toBe('C');
      expect(index('foo_active_email')?.keys[0]?.collation).toBeNull();
      expect(index('Foo_pkey')).toMatchObject({ primary: true, unique: true, constraint: 'Foo_pkey', valid: true });
      expect(index('Foo_pkey')?.bytes).toBeGreaterThan(0);
      expect(index('foo_active_email')?.definition).toMatch(/^CREATE INDEX foo_active_email ON "Bar"\."Foo"/);
    });

    it('reports an invalid index as invalid', () => {
      expect(index('foo_email_unique')?.valid).toBe(false);
      expect(index('foo_active_email')?.valid).toBe(true);
    });

    it('reads partitioned tables, their partitions and partitioned indexes', () => {
      const events = table('public', 'events');
      expect(events?.kind).toBe('partitioned');
      expect(events?.rowEstimate).toBe(3000);
      expect(events?.totalBytes).toBeGreaterThan(0);
      expect(table('public', 'events_2024')).toMatchObject({ kind: 'partition', parent: { schema: 'public', name: 'events' } });
      expect(index('events_kind_idx')?.bytes).toBeGreaterThan(0);
      const partitionIndexes = catalog.indexes.filter((i) => i.parentIndex?.name === 'events_kind_idx');
      expect(partitionIndexes.map((i) => i.table.name).sort()).toEqual(['events_2024', 'events_2025']);
      expect(events?.columns.find((c) => c.name === 'kind')?.stats?.nDistinct).toBe(5);
    });

    it('reads foreign keys with both sides, across schemas', () => {
      const fks = catalog.foreignKeys.filter((f) => f.table.name === 'child');
      expect(fks).toHaveLength(2);
      expect(fks.find((f) => f.columns[0] === 'parent_id')).toMatchObject({
        referencedTable: { schema: 'public', name: 'parent' },
        referencedColumns: ['id'],
      });
      expect(fks.find((f) => f.columns[0] === 'foo_id')).toMatchObject({
        referencedTable: { schema: 'Bar', name: 'Foo' },
        referencedColumns: ['Id'],
      });
    });

    it('leaves out system schemas and extension objects', () => {
      expect(catalog.tables.some((t) => t.schema === 'pg_catalog' || t.schema === 'information_schema')).toBe(false);
      expect(catalog.schemas.some((s) => s.startsWith('pg_'))).toBe(false);
      expect(catalog.searchPath).toContain('public');
    });
  });
}
