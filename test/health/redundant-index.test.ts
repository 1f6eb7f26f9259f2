import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_FAMILY, type TestEngine } from '../helpers/engines.js';
import { findings } from '../helpers/health.js';

const SETUP = `
CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int);
CREATE INDEX t_a ON t (a);
CREATE INDEX t_a_b ON t (a, b);
CREATE INDEX t_a_b_c ON t (a, b, c);
CREATE INDEX t_id_a ON t (id, a);
CREATE UNIQUE INDEX t_b_unique ON t (b);
CREATE INDEX t_b_c ON t (b, c);
CREATE INDEX t_b_desc_c ON t (b DESC, c);
CREATE INDEX t_c_desc ON t (c DESC);
CREATE INDEX t_c_a ON t (c, a);
CREATE TABLE s (id int, v text, w text, d timestamptz, n int);
CREATE INDEX s_lower_v ON s (lower(v));
CREATE INDEX s_lower_v_pattern_w ON s (lower(v) text_pattern_ops, w);
CREATE INDEX s_v_c ON s (v COLLATE "C");
CREATE INDEX s_v_w ON s (v, w);
CREATE INDEX s_d_partial ON s (d) WHERE n IS NULL;
CREATE INDEX s_d_n ON s (d, n);
CREATE INDEX s_n_hash ON s USING hash (n);
CREATE INDEX s_n_d ON s (n, d);
CREATE INDEX s_w_include ON s (w) INCLUDE (v);
CREATE INDEX s_w_include_more ON s (w) INCLUDE (v, n);
CREATE INDEX s_w_d_include ON s (w, d) INCLUDE (id);
CREATE TABLE e (id int, email text, n int);
CREATE INDEX e_email ON e (email);
CREATE INDEX e_lower_email ON e (lower(email));
CREATE INDEX e_lower_email_n ON e (lower(email), n);
CREATE INDEX e_upper_email ON e (upper(email));
CREATE TABLE dup (x int, y int);
CREATE INDEX dup_x_1 ON dup (x);
CREATE INDEX dup_x_2 ON dup (x);
CREATE INDEX dup_x_y ON dup (x, y);
CREATE TABLE "Order Items" (id int, at date NOT NULL, "select" int) PARTITION BY RANGE (at);
CREATE TABLE "Order Items 2024" PARTITION OF "Order Items" FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX "oi select" ON "Order Items" ("select");
CREATE INDEX "oi select at" ON "Order Items" ("select", at);
`;

for (const fixture of POSTGRES_FAMILY) {
  describe.skipIf(!fixture.available)(`redundant-index on ${fixture.name}`, () => {
    let db: TestEngine;
    beforeAll(async () => {
      db = await fixture.open('redundant_index');
      await db.setup(SETUP);
    });
    afterAll(async () => db?.cleanup());

    it('finds indexes whose keys lead another index, and says which one covers them', async () => {
      const found = await findings(db, 'redundant-index');
      const pairs = found.map((f) => `${f.index} < ${f.evidence.coveredBy}`).sort();
      expect(pairs).toEqual([
        'public."oi select" < public."oi select at"',
        'public.dup_x_1 < public.dup_x_y',
        'public.e_lower_email < public.e_lower_email_n', // an expression key leads the wider index
        'public.s_w_include < public.s_w_include_more',
        'public.t_a < public.t_a_b',
        'public.t_a_b < public.t_a_b_c',
        'public.t_c_desc < public.t_c_a', // the same key read backwards
      ]);
      const t = found.find((f) => f.index === 'public.t_a');
      expect(t).toMatchObject({ severity: 'warning', table: 'public.t', message: expect.stringContaining('public.t_a_b') });
      expect(t?.fixSql).toMatch(/^DROP INDEX (CONCURRENTLY )?public\.t_a;$/);
      expect(t?.evidence).toMatchObject({ definition: 'CREATE INDEX t_a ON public.t USING btree (a)' });
      // on a partitioned table PostgreSQL drops indexes only without CONCURRENTLY
      expect(found.find((f) => f.table === 'public."Order Items"')?.fixSql).toBe('DROP INDEX public."oi select";');
    });

    it('no false findings: unique, constraint, opclass, collation, predicate, method, direction, INCLUDE, duplicates', async () => {
      const flagged = new Set((await findings(db, 'redundant-index')).map((f) => f.index));
      const keep = [
        't_pkey',
        't_b_unique',
        't_b_desc_c',
        't_b_c',
        's_lower_v',
        's_v_c',
        's_d_partial',
        's_n_hash',
        's_w_d_include',
        'dup_x_2',
        'e_email', // the column is not the expression that reads it
        'e_upper_email',
      ];
      for (const name of keep) expect(flagged.has(`public.${name}`), name).toBe(false);
      expect([...flagged].some((name) => name?.includes('2024'))).toBe(false); // partition copies follow their parent
    });
  });
}
