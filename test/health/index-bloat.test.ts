import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/engines/connect.js';
import { POSTGRES, type TestEngine } from '../helpers/engines.js';
import { findings } from '../helpers/health.js';

/** Real bloat: most rows deleted, VACUUM (never FULL) leaves the index pages mostly empty; fresh indexes are built after. */
const SETUP = `
CREATE TABLE t (id int PRIMARY KEY, v text);
INSERT INTO t SELECT g, 'value number ' || g FROM generate_series(1, 100000) g;
CREATE INDEX t_v ON t (v);
CREATE INDEX t_lower_v ON t (lower(v));
CREATE TABLE "Order Items" (id int, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE "Order Items 2024" PARTITION OF "Order Items" FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX oi_id ON "Order Items" (id);
INSERT INTO "Order Items" SELECT g, '2024-01-01'::date + g % 300 FROM generate_series(1, 60000) g;
DELETE FROM t WHERE id % 10 <> 0;
DELETE FROM "Order Items" WHERE id % 10 <> 0;
`;
const AFTER = `
VACUUM t; VACUUM "Order Items 2024"; ANALYZE;
CREATE INDEX t_v_fresh ON t (v);
CREATE INDEX t_id_fresh ON t (id) WITH (fillfactor = 70);
`;
const SMALL = { 'bloat-min-bytes': 200_000, 'bloat-ratio': 0.5 };
const BLOATED = ['public."Order Items 2024_id_idx"', 'public.t_lower_v', 'public.t_pkey', 'public.t_v'];

describe.skipIf(!POSTGRES.available)('index-bloat', () => {
  let db: TestEngine;
  beforeAll(async () => {
    db = await POSTGRES.open('index_bloat');
    await db.setup(SETUP);
    for (const statement of AFTER.split(';').filter((s) => s.trim() !== '')) await db.setup(statement);
  });
  afterAll(async () => db?.cleanup());

  it('estimates the waste from the statistics and proposes a concurrent rebuild', async () => {
    const found = await findings(db, 'index-bloat', SMALL);
    expect(found.map((f) => f.index).sort()).toEqual(BLOATED);
    const pkey = found.find((f) => f.index === 'public.t_pkey');
    expect(pkey).toMatchObject({ severity: 'warning', table: 'public.t', fixSql: 'REINDEX INDEX CONCURRENTLY public.t_pkey;' });
    expect(pkey?.evidence.method).toBe('estimate');
    expect(Number(pkey?.evidence.bloatRatio)).toBeGreaterThan(0.8);
    expect(found.find((f) => f.index?.includes('2024'))?.table).toBe('public."Order Items 2024"');
  });

  it('does not report freshly built indexes, nor anything under the default thresholds', async () => {
    const found = await findings(db, 'index-bloat', { 'bloat-min-bytes': 1, 'bloat-ratio': 0.2 });
    const flagged = found.map((f) => f.index);
    expect(flagged).not.toContain('public.t_v_fresh');
    expect(flagged).not.toContain('public.t_id_fresh'); // its own fillfactor leaves room on purpose
    expect(await findings(db, 'index-bloat')).toEqual([]); // a few MB is under the 10 MB default
  });

  it('measures exactly with pgstatindex() when pgstattuple is installed', async () => {
    await db.setup('CREATE EXTENSION pgstattuple');
    const engine = await connect(db.url ?? ''); // a new connection sees the new extension
    try {
      const exact = await findings({ ...db, engine }, 'index-bloat', SMALL);
      expect(exact.map((f) => f.index).sort()).toEqual(BLOATED);
      expect(exact.every((f) => f.evidence.method === 'pgstattuple')).toBe(true);
      const clean = await findings({ ...db, engine }, 'index-bloat', { 'bloat-min-bytes': 1, 'bloat-ratio': 0.2 });
      expect(clean.map((f) => f.index)).not.toContain('public.t_v_fresh');
      expect(clean.map((f) => f.index)).not.toContain('public.t_id_fresh');
    } finally {
      await engine.close();
    }
  });
});
