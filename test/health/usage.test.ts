/** The library's index usage API: the most scanned indexes, and the unused ones with sizes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topIndexesByScans, unusedIndexes } from '../../src/index.js';
import { POSTGRES, type TestEngine } from '../helpers/engines.js';

describe.skipIf(!POSTGRES.available)('index usage API', () => {
  let db: TestEngine;
  beforeAll(async () => {
    db = await POSTGRES.open('usage');
    await db.setup(`CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int);
      INSERT INTO t SELECT g, g % 100, g % 7, g FROM generate_series(1, 5000) g;
      CREATE INDEX t_a ON t (a); CREATE INDEX t_b ON t (b); CREATE INDEX t_c ON t (c); ANALYZE t;`);
    await db.setup(`SET enable_seqscan = off; SET enable_bitmapscan = off;
      DO $$ BEGIN
        FOR i IN 1..30 LOOP PERFORM * FROM t WHERE a = i; END LOOP;
        FOR i IN 1..3 LOOP PERFORM * FROM t WHERE b = i; END LOOP;
      END $$;
      SELECT pg_stat_force_next_flush();`);
  });
  afterAll(async () => db?.cleanup());

  it('topIndexesByScans: most scanned first, with sizes and the statistics age', async () => {
    const top = await topIndexesByScans(db.engine, 2);
    expect(top.indexes.map((u) => [u.index.name, u.scans])).toEqual([
      ['t_a', 30],
      ['t_b', 3],
    ]);
    expect(top.indexes[0]?.bytes).toBeGreaterThan(8192);
    expect(top.indexes[0]?.table).toEqual({ schema: 'public', name: 't' });
    expect(top.age.days).toBeGreaterThanOrEqual(0);
  });

  it('unusedIndexes: below the scan threshold, largest first, never the primary key', async () => {
    const unused = await unusedIndexes(db.engine, { minScans: 10, minStatsAgeDays: 0 });
    expect(unused.map((u) => u.index.name)).toEqual(['t_c', 't_b']); // t_c (5000 distinct keys) is larger
    expect(unused[0]).toMatchObject({ scans: 0, verdict: true, definition: 'CREATE INDEX t_c ON public.t USING btree (c)' });
    expect(unused[0]?.bytes).toBeGreaterThan(unused[1]?.bytes ?? 0);
    const young = await unusedIndexes(db.engine);
    expect(young.every((u) => !u.verdict)).toBe(true);
    expect(young.map((u) => u.index.name).sort()).toEqual(['t_a', 't_b', 't_c']);
    expect(young.map((u) => u.bytes)).toEqual(young.map((u) => u.bytes).sort((a, b) => b - a));
  });
});
