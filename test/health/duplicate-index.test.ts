import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_FAMILY, type TestEngine } from '../helpers/engines.js';
import { findings } from '../helpers/health.js';

const SETUP = `
CREATE TABLE t (id int PRIMARY KEY, a int, b text, c text COLLATE "C", d timestamptz);
CREATE INDEX t_a_1 ON t (a);
CREATE INDEX t_a_2 ON t (a);
CREATE INDEX t_id_again ON t (id);
CREATE INDEX t_a_hash ON t USING hash (a);
CREATE INDEX t_lower_b ON t (lower(b));
CREATE INDEX t_lower_b_pattern ON t (lower(b) text_pattern_ops);
CREATE INDEX t_lower_b_2 ON t (lower(b));
CREATE INDEX t_lower_b_varchar ON t (lower(b::varchar));
CREATE INDEX t_upper_b ON t (upper(b));
CREATE INDEX t_b_default ON t (b);
CREATE INDEX t_b_c_collation ON t (b COLLATE "C");
CREATE INDEX t_a_partial ON t (a) WHERE d IS NULL;
CREATE INDEX t_a_desc ON t (a DESC);
CREATE INDEX t_a_include ON t (a) INCLUDE (b);
CREATE TABLE p (id int, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX p_id_1 ON p (id);
CREATE INDEX p_id_2 ON p (id);
`;

for (const fixture of POSTGRES_FAMILY) {
  describe.skipIf(!fixture.available)(`duplicate-index on ${fixture.name}`, () => {
    let db: TestEngine;
    beforeAll(async () => {
      db = await fixture.open('duplicate_index');
      await db.setup(SETUP);
    });
    afterAll(async () => db?.cleanup());

    it('finds exact duplicates and keeps the one enforcing a constraint', async () => {
      const found = await findings(db, 'duplicate-index');
      const pairs = found.map((f) => `${f.index} = ${f.evidence.duplicateOf}`).sort();
      expect(pairs).toEqual([
        'public.p_id_2 = public.p_id_1',
        'public.t_a_2 = public.t_a_1',
        'public.t_id_again = public.t_pkey',
        'public.t_lower_b_2 = public.t_lower_b', // the same expression
      ]);
      const t = found.find((f) => f.index === 'public.t_a_2');
      expect(t).toMatchObject({ severity: 'warning', table: 'public.t' });
      expect(t?.fixSql).toMatch(/^DROP INDEX (CONCURRENTLY )?public\.t_a_2;$/);
    });

    it('does not call a different method, operator class, collation, predicate, direction or INCLUDE a duplicate', async () => {
      const flagged = new Set((await findings(db, 'duplicate-index')).map((f) => f.index));
      for (const name of [
        't_a_hash',
        't_lower_b',
        't_lower_b_pattern',
        't_lower_b_varchar', // another expression (the database prints lower(b::character varying::text))
        't_upper_b',
        't_b_default',
        't_b_c_collation',
        't_a_partial',
        't_a_desc',
        't_a_include',
      ]) {
        expect(flagged.has(`public.${name}`), name).toBe(false);
      }
    });

    it('never proposes dropping the primary key', async () => {
      const found = await findings(db, 'duplicate-index');
      expect(found.some((f) => f.index === 'public.t_pkey')).toBe(false);
    });
  });
}
