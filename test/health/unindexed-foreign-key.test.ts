import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_FAMILY, type TestEngine } from '../helpers/engines.js';
import { findings } from '../helpers/health.js';

const SETUP = `
CREATE TABLE parent (id int PRIMARY KEY, k1 int, k2 int, UNIQUE (k1, k2));
CREATE TABLE lead_ok (id int, parent_id int REFERENCES parent, other int);
CREATE INDEX lead_ok_idx ON lead_ok (parent_id, other);
CREATE TABLE second_only (id int, parent_id int REFERENCES parent, other int);
CREATE INDEX second_only_idx ON second_only (other, parent_id);
CREATE TABLE pair_ok (k1 int, k2 int, z int, FOREIGN KEY (k1, k2) REFERENCES parent (k1, k2));
CREATE INDEX pair_ok_idx ON pair_ok (k2, k1, z);
CREATE TABLE pair_half (k1 int, k2 int, FOREIGN KEY (k1, k2) REFERENCES parent (k1, k2));
CREATE INDEX pair_half_idx ON pair_half (k1);
CREATE TABLE partial_only (parent_id int REFERENCES parent);
CREATE INDEX partial_only_idx ON partial_only (parent_id) WHERE parent_id > 0;
CREATE TABLE "Order Items" (id int, "select" int REFERENCES parent, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE "Order Items 2024" PARTITION OF "Order Items" FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE part_ok (parent_id int REFERENCES parent, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE part_ok_2024 PARTITION OF part_ok FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX part_ok_idx ON part_ok (parent_id);
CREATE TABLE part_each (parent_id int REFERENCES parent, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE part_each_2024 PARTITION OF part_each FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE part_each_2025 PARTITION OF part_each FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX part_each_2024_idx ON part_each_2024 (parent_id);
CREATE INDEX part_each_2025_idx ON part_each_2025 (parent_id, at);
INSERT INTO parent SELECT g, g, g FROM generate_series(1, 110) g;
INSERT INTO second_only SELECT g, g % 100 + 1, g FROM generate_series(1, 1000) g;
DELETE FROM parent WHERE id > 100;
UPDATE second_only SET other = -other WHERE id <= 10;
ANALYZE;
`;

for (const fixture of POSTGRES_FAMILY) {
  describe.skipIf(!fixture.available)(`unindexed-foreign-key on ${fixture.name}`, () => {
    let db: TestEngine;
    beforeAll(async () => {
      db = await fixture.open('unindexed_foreign_key');
      await db.setup(SETUP);
      await db.setup('SELECT pg_stat_force_next_flush()'); // counters reach the statistics at once
    });
    afterAll(async () => db?.cleanup());

    it('finds foreign keys no index starts with, with the index to create', async () => {
      const found = await findings(db, 'unindexed-foreign-key');
      expect(found.map((f) => f.table).sort()).toEqual([
        'public."Order Items"',
        'public.pair_half',
        'public.partial_only',
        'public.second_only',
      ]);
      const concurrently = fixture.name === 'postgres' ? 'CONCURRENTLY ' : '';
      const second = found.find((f) => f.table === 'public.second_only');
      expect(second).toMatchObject({
        check: 'unindexed-foreign-key',
        severity: 'warning',
        index: null,
        fixSql: `CREATE INDEX ${concurrently}idx_second_only_parent_id ON public.second_only USING btree (parent_id);`,
      });
      expect(second?.evidence).toMatchObject({ columns: 'parent_id', referencedTable: 'public.parent', rows: 1000 });
      expect(second?.evidence.bytes).toBeGreaterThan(0); // the table's size: the finding is about no index
      expect(found.find((f) => f.table === 'public.pair_half')?.fixSql).toBe(
        `CREATE INDEX ${concurrently}idx_pair_half_k1_k2 ON public.pair_half USING btree (k1, k2);`,
      );
      // a partitioned table: an index on the parent, built without CONCURRENTLY (PostgreSQL refuses it there)
      expect(found.find((f) => f.table === 'public."Order Items"')?.fixSql).toBe(
        'CREATE INDEX idx_order_items_select ON public."Order Items" USING btree ("select");',
      );
    });

    it('reports the write activity of the referencing table and the deletes on the referenced one', async () => {
      const second = (await findings(db, 'unindexed-foreign-key')).find((f) => f.table === 'public.second_only');
      expect(second?.evidence).toMatchObject({ inserts: 1000, updates: 10, deletes: 0 });
      const pairHalf = (await findings(db, 'unindexed-foreign-key')).find((f) => f.table === 'public.pair_half');
      expect(pairHalf?.evidence).toMatchObject({ inserts: 0, referencedDeletes: 10 });
    });

    it('no false findings: (fk, other) covers, any order within a composite key, parent or every partition indexed', async () => {
      const tables = new Set((await findings(db, 'unindexed-foreign-key')).map((f) => f.table));
      for (const name of ['lead_ok', 'pair_ok', 'part_ok', 'part_each', 'part_ok_2024', 'part_each_2024'])
        expect(tables.has(`public.${name}`), name).toBe(false);
    });
  });
}
