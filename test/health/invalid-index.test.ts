import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES, type TestEngine } from '../helpers/engines.js';
import { findings } from '../helpers/health.js';

describe.skipIf(!POSTGRES.available)('invalid-index', () => {
  let db: TestEngine;
  beforeAll(async () => {
    db = await POSTGRES.open('invalid_index');
    await db.setup(`CREATE TABLE people (id int PRIMARY KEY, email text);
      INSERT INTO people SELECT g, CASE WHEN g % 10 = 0 THEN 'same' ELSE 'p' || g END FROM generate_series(1, 1000) g;
      CREATE INDEX people_email_ok ON people (email);`);
    // a real failed concurrent build: the duplicate values break the unique index half-way
    await db.setup('CREATE UNIQUE INDEX CONCURRENTLY people_email_unique ON people (email)').catch(() => {});
  });
  afterAll(async () => db?.cleanup());

  it('finds the index a failed CREATE INDEX CONCURRENTLY left behind, with a fix', async () => {
    const found = await findings(db, 'invalid-index');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      check: 'invalid-index',
      severity: 'error',
      table: 'public.people',
      index: 'public.people_email_unique',
      fixSql:
        'DROP INDEX CONCURRENTLY IF EXISTS public.people_email_unique;\nCREATE UNIQUE INDEX CONCURRENTLY people_email_unique ON public.people USING btree (email);',
    });
    expect(found[0]?.evidence.bytes).toBeGreaterThanOrEqual(0);
  });

  it('reports nothing once the index is gone', async () => {
    await db.setup('DROP INDEX people_email_unique');
    expect(await findings(db, 'invalid-index')).toEqual([]);
  });
});
