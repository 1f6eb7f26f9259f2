/**
 * The measured guard on real PostgreSQL: an index the planner likes but the clock does
 * not (it walks a misleading sort order) is taken out; a good one stays; nothing is left
 * in the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/model/catalog.js';
import { keyColumn } from '../../src/model/index-def.js';
import type { Recommendation } from '../../src/model/recommendation.js';
import { guardAdvice } from '../../src/verify/guard.js';
import { POSTGRES, type TestEngine } from '../helpers/engines.js';
import { workloadFromSql } from '../helpers/workload.js';

const recommendation = (name: string, column: string): Recommendation =>
  ({
    name,
    index: {
      table: { schema: 'public', name: 'feed' },
      keys: [keyColumn(column)],
      include: [],
      where: null,
      method: 'btree',
      unique: false,
    },
  }) as unknown as Recommendation;

describe.skipIf(!POSTGRES.available)('advise --measure (the measured guard)', () => {
  let db: TestEngine;
  let catalog: Catalog;
  beforeAll(async () => {
    db = await POSTGRES.open('guard');
    // created_at is a shuffle of the row order; the few 'rare' rows are the newest, so a
    // walk along created_at meets them only at the very end, through random heap reads
    await db.setup(`CREATE TABLE feed (id bigint PRIMARY KEY, k int NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL, pad text);
      INSERT INTO feed SELECT g, g % 5000,
        CASE WHEN (g * 7919) % 200000 >= 199000 THEN 'rare' ELSE 'common' END,
        timestamptz '2024-01-01' + ((g * 7919) % 200000) * interval '1 minute', repeat('p', 80)
      FROM generate_series(1, 200000) g;`);
    await db.setup('VACUUM ANALYZE feed');
    catalog = await db.engine.catalog();
  });
  afterAll(async () => db?.cleanup());

  it('takes out the index that makes a query slower, keeps the one that helps', async () => {
    const workload = await workloadFromSql(`-- calls: 10
SELECT id FROM feed WHERE status = 'rare' ORDER BY created_at LIMIT 5;
-- calls: 10
SELECT id, status FROM feed WHERE k = $1;`);
    const result = await guardAdvice(
      db.engine,
      workload,
      catalog,
      [recommendation('feed_created_at_trap', 'created_at'), recommendation('feed_k_good', 'k')],
      { runs: 3 },
    );
    // the trap's query came out slower on the first pass: timed again in alternating rounds, and still slower
    expect(result.rechecked).toEqual([expect.stringContaining('ORDER BY created_at')]);
    expect(result.removed.map((r) => r.name)).toEqual(['feed_created_at_trap']);
    expect(result.removed[0]?.speedup).toBeLessThan(0.9);
    expect(result.kept.map((r) => r.name)).toEqual(['feed_k_good']);
    const lookup = result.comparison.queries.find((q) => q.sql.includes('k = $1'));
    expect(lookup?.speedup).toBeGreaterThan(5);
    const trap = result.comparison.queries.find((q) => q.sql.includes('ORDER BY'));
    expect(trap?.indexesAfter).not.toContain('feed_created_at_trap');
    const indexes = await db.engine.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'feed'`);
    expect(indexes.map((r) => r.indexname)).toEqual(['feed_pkey']); // all rolled back
  });
});
