import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES, type TestEngine } from '../helpers/engines.js';
import { findings } from '../helpers/health.js';

const SETUP = `
CREATE TABLE scanned (id int PRIMARY KEY, v int);
CREATE TABLE indexed (id int PRIMARY KEY, v int);
CREATE TABLE tiny (id int PRIMARY KEY, v int);
CREATE TABLE "Order Items" (id int, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE "Order Items 2024" PARTITION OF "Order Items" FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO scanned SELECT g, g FROM generate_series(1, 20000) g;
INSERT INTO indexed SELECT g, g FROM generate_series(1, 20000) g;
INSERT INTO tiny SELECT g, g FROM generate_series(1, 100) g;
INSERT INTO "Order Items" SELECT g, '2024-01-01'::date + g % 300 FROM generate_series(1, 20000) g;
ANALYZE;
`;

const SCANS = `
SET enable_bitmapscan = off;
DO $$ BEGIN
  FOR i IN 1..12 LOOP
    PERFORM count(*) FROM scanned WHERE v = i;
    PERFORM count(*) FROM tiny WHERE v = i;
    PERFORM count(*) FROM "Order Items" WHERE id = i;
  END LOOP;
  FOR i IN 1..3 LOOP PERFORM * FROM scanned WHERE id = i; PERFORM count(*) FROM indexed WHERE v = i; END LOOP;
  FOR i IN 1..30 LOOP PERFORM * FROM indexed WHERE id = i; END LOOP;
END $$;
SELECT pg_stat_force_next_flush();
`;

const SMALL = { 'seq-scan-min-rows': 10_000, 'seq-scan-min-count': 10 };

describe.skipIf(!POSTGRES.available)('seq-scan-heavy-table', () => {
  let db: TestEngine;
  beforeAll(async () => {
    db = await POSTGRES.open('seq_scan_heavy_table');
    await db.setup(SETUP);
    await db.setup(SCANS);
  });
  afterAll(async () => db?.cleanup());

  it('finds large tables read mostly by sequential scans, and points to advise', async () => {
    const found = await findings(db, 'seq-scan-heavy-table', SMALL);
    expect(found.map((f) => f.table).sort()).toEqual(['public."Order Items 2024"', 'public.scanned']);
    const scanned = found.find((f) => f.table === 'public.scanned');
    expect(scanned).toMatchObject({ severity: 'warning', index: null, fixSql: null, message: expect.stringContaining('indexwise advise') });
    expect(scanned?.evidence).toMatchObject({ rows: 20000, indexScans: 3, seqRowsRead: 240000 });
    // 12 queries, plus the heap scan that built the (then empty) primary key counts as one
    expect(scanned?.evidence.seqScans).toBeGreaterThanOrEqual(12);
    expect(Number(scanned?.evidence.seqScanRatio)).toBeGreaterThanOrEqual(0.8);
  });

  it('no false findings: mostly index scans, small tables, the defaults, a stricter ratio', async () => {
    const tables = (await findings(db, 'seq-scan-heavy-table', SMALL)).map((f) => f.table);
    expect(tables).not.toContain('public.indexed');
    expect(tables).not.toContain('public.tiny');
    expect(await findings(db, 'seq-scan-heavy-table')).toEqual([]);
    const strict = await findings(db, 'seq-scan-heavy-table', { ...SMALL, 'seq-scan-ratio': 0.9 });
    expect(strict.map((f) => f.table)).toEqual(['public."Order Items 2024"']);
  });
});
