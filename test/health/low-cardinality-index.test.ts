import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_FAMILY, type TestEngine } from '../helpers/engines.js';
import { findings } from '../helpers/health.js';

const SETUP = `
CREATE TABLE t (id int PRIMARY KEY, status text, active boolean, score int, tenant int, at timestamptz);
INSERT INTO t SELECT g, (ARRAY['new', 'open', 'done'])[g % 3 + 1], g % 2 = 0, g, g % 5, now() - g * interval '1 minute'
FROM generate_series(1, 20000) g;
CREATE INDEX t_status ON t (status);
CREATE INDEX t_active ON t (active);
CREATE INDEX t_active_score ON t (active, score);
CREATE INDEX t_score ON t (score);
CREATE INDEX t_tenant_at ON t (tenant, at);
CREATE INDEX t_status_partial ON t (status) WHERE status = 'new';
CREATE UNIQUE INDEX t_status_id ON t (status, id);
CREATE TABLE small (id int, kind text);
INSERT INTO small SELECT g, (ARRAY['a', 'b'])[g % 2 + 1] FROM generate_series(1, 100) g;
CREATE INDEX small_kind ON small (kind);
CREATE TABLE "Order Items" (id int, at date NOT NULL, "select" int) PARTITION BY RANGE (at);
CREATE TABLE "Order Items 2024" PARTITION OF "Order Items" FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO "Order Items" SELECT g, '2024-01-01'::date + g % 300, g % 4 FROM generate_series(1, 20000) g;
CREATE INDEX "oi select" ON "Order Items" ("select");
ANALYZE;
`;

for (const fixture of POSTGRES_FAMILY) {
  describe.skipIf(!fixture.available)(`low-cardinality-index on ${fixture.name}`, () => {
    let db: TestEngine;
    beforeAll(async () => {
      db = await fixture.open('low_cardinality_index');
      await db.setup(SETUP);
    });
    afterAll(async () => db?.cleanup());

    it('finds single-column indexes on few distinct values, and indexes leading with a boolean', async () => {
      const found = await findings(db, 'low-cardinality-index');
      expect(found.map((f) => f.index).sort()).toEqual([
        'public."oi select"',
        'public.t_active',
        'public.t_active_score',
        'public.t_status',
      ]);
      const status = found.find((f) => f.index === 'public.t_status');
      expect(status).toMatchObject({
        severity: 'info',
        table: 'public.t',
        fixSql: null,
        message: expect.stringContaining('partial index'),
      });
      expect(status?.evidence).toMatchObject({ column: 'status', distinctValues: 3, rows: 20000, boolean: false });
      expect(found.find((f) => f.index === 'public.t_active_score')?.evidence.boolean).toBe(true);
      expect(found.find((f) => f.index === 'public."oi select"')?.table).toBe('public."Order Items"');
    });

    it('no false findings: many values, a composite led by a low-cardinality column, partial, unique, small tables', async () => {
      const flagged = (await findings(db, 'low-cardinality-index')).map((f) => f.index);
      for (const name of ['t_score', 't_tenant_at', 't_status_partial', 't_status_id', 'small_kind', 't_pkey'])
        expect(flagged).not.toContain(`public.${name}`);
      expect(flagged.some((name) => name?.includes('2024'))).toBe(false);
    });

    it('the thresholds move the line', async () => {
      const strict = (await findings(db, 'low-cardinality-index', { 'low-cardinality-max-distinct': 2 })).map((f) => f.index);
      expect(strict).not.toContain('public.t_status');
      const smallTables = (await findings(db, 'low-cardinality-index', { 'min-table-rows': 50 })).map((f) => f.index);
      expect(smallTables).toContain('public.small_kind');
    });
  });
}
