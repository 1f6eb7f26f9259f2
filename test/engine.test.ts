/** explain() and query() on real PostgreSQL and PGlite. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseError, SQLSTATE, TimeoutError } from '../src/errors.js';
import { indexesUsed, scanTypes } from '../src/model/plan.js';
import { POSTGRES_FAMILY, type TestEngine } from './helpers/engines.js';

const SETUP = `
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, total numeric);
INSERT INTO orders SELECT g, g % 1000, CASE WHEN g % 7 = 0 THEN 'open' ELSE 'done' END, g FROM generate_series(1, 20000) g;
CREATE INDEX orders_customer_idx ON orders (customer_id);
ANALYZE orders;
`;

for (const fixture of POSTGRES_FAMILY) {
  describe.skipIf(!fixture.available)(`engine on ${fixture.name}`, () => {
    let db: TestEngine;
    beforeAll(async () => {
      db = await fixture.open('engine');
      await db.setup(SETUP);
    });
    afterAll(async () => db?.cleanup());

    it('reports version and capabilities', async () => {
      const info = await db.engine.info();
      expect(info.family).toBe('postgres');
      expect(info.serverVersionNum).toBeGreaterThanOrEqual(150000);
      expect(info.capabilities.hypopg).toBe(fixture.name === 'postgres');
      expect(info.capabilities.statStatements).toBe(fixture.name === 'postgres');
      expect(info.capabilities.includeColumns).toBe(true);
    });

    it('explains a $1-parameterized query as a generic plan, without values', async () => {
      const plan = await db.engine.explain('SELECT * FROM orders WHERE customer_id = $1 AND status = $2', { generic: true });
      expect(plan.totalCost).toBeGreaterThan(0);
      expect(indexesUsed(plan)).toEqual(['orders_customer_idx']);
      // the session is left as it was: no prepared statement, no forced plan mode
      const [mode] = await db.engine.query<{ v: string }>(`SELECT current_setting('plan_cache_mode') AS v`);
      expect(mode?.v).toBe('auto');
      const prepared = await db.engine.query('SELECT name FROM pg_prepared_statements');
      expect(prepared).toEqual([]);
    });

    it('explains with bound values, and with ANALYZE', async () => {
      const plan = await db.engine.explain('SELECT * FROM orders WHERE customer_id = $1', { params: [42] });
      expect(scanTypes(plan).some((s) => s.includes('Index') || s.includes('Bitmap'))).toBe(true);
      const analyzed = await db.engine.explain('SELECT count(*) FROM orders WHERE status = $1', { params: ['open'], analyze: true });
      expect(analyzed.executionTimeMs).toBeGreaterThan(0);
      expect(analyzed.root['Actual Rows']).toBe(1);
    });

    it('reports a query it cannot plan as a DatabaseError with the SQLSTATE', async () => {
      const error = await db.engine.explain('SELECT * FROM no_such_table WHERE a = $1', { generic: true }).catch((e) => e);
      expect(error).toBeInstanceOf(DatabaseError);
      expect(error.sqlState).toBe(SQLSTATE.undefinedTable);
      expect(error.message).toMatch(/no_such_table/);
    });

    it('never runs a second statement smuggled into a text it explains', async () => {
      const error = await db.engine.explain('SELECT 1; DROP TABLE orders', { generic: true }).catch((e) => e);
      expect(error).toBeInstanceOf(DatabaseError);
      const error2 = await db.engine.explain('SELECT 1; DROP TABLE orders').catch((e) => e);
      expect(error2).toBeInstanceOf(DatabaseError);
      const rows = await db.engine.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
      expect(rows[0]?.n).toBe(20000);
    });

    it.skipIf(fixture.name !== 'postgres')('stops a statement at its timeout and restores the setting', async () => {
      const error = await db.engine.query('SELECT pg_sleep(5)', [], { timeoutMs: 200 }).catch((e) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      const [row] = await db.engine.query<{ v: string }>(`SELECT current_setting('statement_timeout') AS v`);
      expect(row?.v).toBe('0');
      const ok = await db.engine.query<{ n: number }>('SELECT 1 AS n', [], { timeoutMs: 5000 });
      expect(ok[0]?.n).toBe(1);
    });
  });
}
