/** verify on real PostgreSQL: measured speed-ups, writes never kept, timeouts as lower bounds, compare by fingerprint. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advise } from '../../src/advisor/advise.js';
import type { Catalog } from '../../src/model/catalog.js';
import { compareMeasurements } from '../../src/verify/compare.js';
import { measureWorkload, trialAdvice } from '../../src/verify/verify.js';
import { runCli } from '../helpers/cli.js';
import { POSTGRES, type TestEngine } from '../helpers/engines.js';
import { workloadFromSql } from '../helpers/workload.js';
import { tempDir } from '../helpers/temp.js';

const LOOKUP = 'SELECT id, v FROM big WHERE k = $1';
const WORKLOAD = `-- calls: 100
${LOOKUP};
-- calls: 10
DELETE FROM big WHERE k = $1;
-- calls: 1
SELECT pg_sleep(3), id FROM big WHERE id = $1;
`;

describe.skipIf(!POSTGRES.available)('verify on PostgreSQL', () => {
  let db: TestEngine;
  let catalog: Catalog;
  const rowCount = async () => Number((await db.engine.query<{ n: number }>('SELECT count(*)::int AS n FROM big'))[0]?.n);

  beforeAll(async () => {
    db = await POSTGRES.open('verify');
    await db.setup(`CREATE TABLE big (id bigint PRIMARY KEY, k int NOT NULL, v int NOT NULL, pad text);
      INSERT INTO big SELECT g, g % 20000, g, repeat('p', 100) FROM generate_series(1, 200000) g;`);
    await db.setup('VACUUM ANALYZE big');
    catalog = await db.engine.catalog();
  });
  afterAll(async () => db?.cleanup());

  it('measures, never keeps a write, reports a timeout as a lower bound; an index makes the lookup ≥ 5× faster', async () => {
    const workload = await workloadFromSql(WORKLOAD);
    const options = { runs: 3, timeoutMs: 500, writes: 'rollback' as const };
    const rowsBefore = await rowCount();
    const before = await measureWorkload(db.engine, workload, catalog, options);
    expect(await rowCount()).toBe(rowsBefore); // the DELETE ran three times plus a warm-up, rolled back each time

    const lookup = before.queries.find((q) => q.sql === LOOKUP);
    expect(lookup?.scans).toEqual(['Seq Scan']);
    expect(lookup?.runsMs).toHaveLength(3);
    expect(lookup?.executed?.params).toHaveLength(1);
    const del = before.queries.find((q) => q.write);
    expect(del?.skipped).toBeUndefined();
    expect(del?.medianMs).toBeGreaterThan(0);
    const slow = before.queries.find((q) => q.sql.includes('pg_sleep'));
    expect(slow).toMatchObject({ timedOut: true, medianMs: 500 });

    await db.setup('CREATE INDEX big_k_idx ON big (k)');
    const after = await measureWorkload(db.engine, workload, await db.engine.catalog(), { ...options, pinned: before });
    // the same statement with the same values ran before and after
    expect(after.queries.find((q) => q.sql === LOOKUP)?.executed).toEqual(lookup?.executed);
    const comparison = compareMeasurements(before, after);
    const compared = comparison.queries.find((q) => q.sql === LOOKUP);
    expect(compared?.speedup).toBeGreaterThanOrEqual(5);
    expect(compared?.planChange).toMatch(/^Seq Scan → .*(Index|Bitmap)/);
    expect(compared?.indexesAfter).toContain('big_k_idx');
    expect(comparison.queries.find((q) => q.sql.includes('pg_sleep'))?.speedupIsLowerBound).toBe(false);
    expect(comparison.workload.speedup).toBeGreaterThan(1);
    expect(await rowCount()).toBe(rowsBefore);
    await db.setup('DROP INDEX big_k_idx');
  });

  it('compare names the join types that changed, not only the scans', async () => {
    await db.setup(`CREATE TABLE owners (id bigint PRIMARY KEY, k int NOT NULL);
      INSERT INTO owners SELECT g, g % 20000 FROM generate_series(1, 100000) g;
      CREATE TABLE pets (id bigint PRIMARY KEY, owner_id bigint NOT NULL, pad text);
      INSERT INTO pets SELECT g, 1 + g % 100000, repeat('p', 50) FROM generate_series(1, 200000) g;`);
    await db.setup('VACUUM ANALYZE owners, pets');
    const workload = await workloadFromSql('SELECT p.id FROM owners o JOIN pets p ON p.owner_id = o.id WHERE o.k = $1');
    const options = { runs: 1, timeoutMs: 10_000 };
    const before = await measureWorkload(db.engine, workload, await db.engine.catalog(), options);
    expect(before.queries[0]?.joins).toEqual(['Hash Join']);
    await db.setup('CREATE INDEX owners_k_idx ON owners (k); CREATE INDEX pets_owner_idx ON pets (owner_id)');
    const after = await measureWorkload(db.engine, workload, await db.engine.catalog(), { ...options, pinned: before });
    expect(after.queries[0]?.joins).toEqual(['Nested Loop']);
    expect(compareMeasurements(before, after).queries[0]?.planChange).toMatch(/^Seq Scan → .*; Hash Join → Nested Loop$/);
    await db.setup('DROP TABLE owners, pets');
  });

  it('skips writes by default on a server', async () => {
    const workload = await workloadFromSql('DELETE FROM big WHERE k = $1');
    const m = await measureWorkload(db.engine, workload, catalog, { runs: 1 });
    expect(m.writes).toBe('skip');
    expect(m.queries[0]?.skipped).toMatch(/^a write: not run/);
  });

  it('--trial builds the advice in a transaction, measures, and rolls back', async () => {
    const workload = await workloadFromSql(`-- calls: 100\n${LOOKUP};`);
    const advice = await advise(db.engine, workload, catalog);
    expect(advice.recommendations.map((r) => r.columns)).toEqual([['k']]);
    const result = await trialAdvice(db.engine, workload, catalog, advice.recommendations, { runs: 3 });
    expect(result.comparison.queries[0]?.speedup).toBeGreaterThanOrEqual(5);
    expect(result.after.trialIndexes).toHaveLength(1);
    const indexes = await db.engine.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'big'`);
    expect(indexes.map((r) => r.indexname)).toEqual(['big_pkey']);
  });

  it('a value compared with an expression is drawn as that expression on a row; --trial measures the expression index', async () => {
    const sql = 'SELECT id, v FROM big WHERE (k * 2) = $1';
    const workload = await workloadFromSql(`-- calls: 100\n${sql};`);
    const advice = await advise(db.engine, workload, catalog);
    expect(advice.recommendations.map((r) => r.columns)).toEqual([['(k * 2)']]);
    const result = await trialAdvice(db.engine, workload, catalog, advice.recommendations, { runs: 3 });
    const [measured] = result.after.queries;
    expect(measured?.skipped).toBeUndefined();
    const [value] = measured?.executed?.params ?? [];
    expect(Number(value) % 2).toBe(0); // k * 2 of a real row: a lookup that finds rows
    expect(result.comparison.queries[0]?.speedup).toBeGreaterThanOrEqual(5);
  });

  it('compare matches queries by fingerprint: values may differ, text layout too', () => {
    const q = (fingerprint: string, medianMs: number, scans: string[]) => ({
      fingerprint,
      sql: 'x',
      executed: null,
      calls: 2,
      write: false,
      runsMs: [medianMs],
      medianMs,
      minMs: medianMs,
      maxMs: medianMs,
      timedOut: false,
      sharedHitBlocks: null,
      sharedReadBlocks: null,
      scans,
      indexes: [],
    });
    const m = (queries: ReturnType<typeof q>[]) => ({
      kind: 'indexwise-measurement' as const,
      target: 't',
      serverVersion: '15',
      measuredAt: 'now',
      runs: 1,
      timeoutMs: 1,
      writes: 'skip' as const,
      trialIndexes: [],
      queries,
    });
    const c = compareMeasurements(m([q('a', 10, ['Seq Scan']), q('b', 4, ['Seq Scan'])]), m([q('b', 2, ['Index Scan']), q('c', 1, [])]));
    expect(c.queries.map((x) => [x.fingerprint, x.speedup, x.planChange])).toEqual([['b', 2, 'Seq Scan → Index Scan']]);
    expect([...c.unmatched].sort()).toEqual(['a', 'c']);
    expect(c.workload).toEqual({ beforeMs: 8, afterMs: 4, speedup: 2 });
  });

  it('CLI: baseline to a file, then compare with it', async () => {
    const dir = tempDir('verify');
    const workloadFile = join(dir, 'w.sql');
    const baseline = join(dir, 'before.json');
    (await import('node:fs')).writeFileSync(workloadFile, `-- calls: 100\n${LOOKUP};\n`);
    const first = await runCli([
      'verify',
      'baseline',
      '--db',
      db.url as string,
      '--from',
      `sql:${workloadFile}`,
      '--runs',
      '2',
      '--out',
      baseline,
      '-q',
    ]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Seq Scan/);
    expect(JSON.parse(readFileSync(baseline, 'utf8')).kind).toBe('indexwise-measurement');
    const second = await runCli([
      'verify',
      'compare',
      baseline,
      '--db',
      db.url as string,
      '--from',
      `sql:${workloadFile}`,
      '--runs',
      '2',
      '-q',
    ]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Workload \(Σ calls × median\)/);
    const bad = await runCli(['verify', 'compare', join(dir, 'missing.json'), '--db', db.url as string]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^indexwise: cannot read a baseline measurement .*missing\.json: no such file$/);
  });
});
