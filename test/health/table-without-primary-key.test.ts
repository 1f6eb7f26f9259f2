import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_FAMILY, type TestEngine } from '../helpers/engines.js';
import { findings } from '../helpers/health.js';

const SETUP = `
CREATE TABLE with_pk (id int PRIMARY KEY);
CREATE TABLE no_pk (a int, b int);
INSERT INTO no_pk SELECT g, g FROM generate_series(1, 1000) g;
CREATE TABLE promotable (email text NOT NULL, x int);
CREATE UNIQUE INDEX promotable_email ON promotable (email);
CREATE TABLE nullable_unique (email text UNIQUE);
CREATE TABLE "Order Items" (id int, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE "Order Items 2024" PARTITION OF "Order Items" FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE part_pk (id int, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE part_pk_2024 PARTITION OF part_pk FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x;
ANALYZE;
`;

for (const fixture of POSTGRES_FAMILY) {
  describe.skipIf(!fixture.available)(`table-without-primary-key on ${fixture.name}`, () => {
    let db: TestEngine;
    beforeAll(async () => {
      db = await fixture.open('table_without_primary_key');
      await db.setup(SETUP);
    });
    afterAll(async () => db?.cleanup());

    it('finds tables with no primary key; partitions follow their parent', async () => {
      const found = await findings(db, 'table-without-primary-key');
      expect(found.map((f) => f.table).sort()).toEqual([
        'public."Order Items"',
        'public.no_pk',
        'public.nullable_unique',
        'public.promotable',
      ]);
      expect(found.find((f) => f.table === 'public.no_pk')).toMatchObject({
        severity: 'warning',
        index: null,
        fixSql: null,
        evidence: { rows: 1000, kind: 'table' },
      });
      expect(found.find((f) => f.table === 'public."Order Items"')?.evidence.kind).toBe('partitioned');
      expect(found.find((f) => f.table === 'public.nullable_unique')?.fixSql).toBeNull(); // its unique column allows NULL
    });

    it('promotes a unique index on NOT NULL columns, and the fix works', async () => {
      const promotable = (await findings(db, 'table-without-primary-key')).find((f) => f.table === 'public.promotable');
      expect(promotable?.fixSql).toBe('ALTER TABLE public.promotable ADD PRIMARY KEY USING INDEX promotable_email;');
      await db.setup(promotable?.fixSql ?? '');
      expect((await findings(db, 'table-without-primary-key')).map((f) => f.table)).not.toContain('public.promotable');
    });
  });
}
