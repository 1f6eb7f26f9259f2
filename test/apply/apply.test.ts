/**
 * apply without faults: drops (with the definition kept, constraints refused), a
 * partitioned table (ON ONLY + each partition concurrently + ATTACH), re-runs that skip,
 * PGlite (no CONCURRENTLY) and SQLite (one transaction, all or nothing).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import type { ApplyEvent } from '../../src/apply/types.js';
import { connect } from '../../src/engines/connect.js';
import { openPglite } from '../../src/engines/pglite/driver.js';
import { PostgresEngine } from '../../src/engines/postgres/engine.js';
import type { DropStep } from '../../src/migrate/plan.js';
import { keyColumn } from '../../src/model/index-def.js';
import { indexName } from '../../src/sql/ddl.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../helpers/postgres.js';
import { applyEngine, createStep, indexFacts, planOf, rowCount } from './fixture.js';
import { tempDir } from '../helpers/temp.js';

const dropStep = (name: string, table: string): DropStep => ({
  kind: 'drop',
  index: { schema: 'public', name },
  table: { schema: 'public', name: table },
  definition: `CREATE INDEX ${name} ON public.${table}`,
  check: 'unused-index',
  reason: 'test',
});

describe.skipIf(!hasPostgres)('apply on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('apply_pg');
    await db.sql(`CREATE TABLE items (id bigint PRIMARY KEY, sku text UNIQUE, kind int NOT NULL);
      INSERT INTO items SELECT g, 'sku' || g, g % 9 FROM generate_series(1, 20000) g;
      CREATE INDEX items_kind_old ON items (kind) WHERE kind > 3;
      CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, kind int NOT NULL) PARTITION BY RANGE (at);
      CREATE TABLE events_2023 PARTITION OF events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
      CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (kind);
      CREATE TABLE events_2024_rest PARTITION OF events_2024 DEFAULT;
      INSERT INTO events SELECT g, date '2023-01-01' + (g % 700), g % 5 FROM generate_series(1, 20000) g;`);
  });
  afterAll(async () => db?.drop());

  it('drops concurrently, keeps the exact definition; refuses an index behind a constraint; a missing one is skipped', async () => {
    const { engine, reconnect } = await applyEngine(db);
    try {
      const summary = await applyPlan(
        engine,
        planOf(dropStep('items_kind_old', 'items'), dropStep('items_sku_key', 'items'), dropStep('no_such_index', 'items')),
        { reconnect },
      );
      expect(summary.steps.map((s) => s.status)).toEqual(['dropped', 'failed', 'skipped']);
      expect(summary.steps[0]).toMatchObject({
        sql: 'DROP INDEX CONCURRENTLY IF EXISTS public.items_kind_old',
        definition: 'CREATE INDEX items_kind_old ON public.items USING btree (kind) WHERE (kind > 3)',
      });
      expect(summary.steps[1]?.message).toBe('it enforces the constraint items_sku_key: drop the constraint instead');
      expect((await indexFacts(db, 'items_kind_old')).exists).toBe(false);
      expect((await indexFacts(db, 'items_sku_key')).exists).toBe(true);
    } finally {
      await engine.close();
    }
  });

  it('a partitioned table: parent ON ONLY, partitions (and sub-partitions) concurrently, attached, valid', async () => {
    const rows = await rowCount(db, 'events');
    const step = createStep('events', ['kind', 'at']);
    const events: ApplyEvent[] = [];
    const { engine, reconnect } = await applyEngine(db);
    try {
      const summary = await applyPlan(engine, planOf(step), { reconnect, onEvent: (e) => events.push(e) });
      expect(summary.steps[0]).toMatchObject({
        status: 'built',
        sql: `CREATE INDEX IF NOT EXISTS ${step.name} ON ONLY public.events USING btree (kind, at)`,
      });
      expect(summary.steps[0]?.notes[0]).toMatch(
        /public.events is partitioned: its index is created ON ONLY, then each partition's index is built concurrently and attached/,
      );
      const tree = await db.sql(
        `SELECT c.relname, x.indisvalid FROM pg_partition_tree($1::regclass) t JOIN pg_class c ON c.oid = t.relid JOIN pg_index x ON x.indexrelid = c.oid ORDER BY 1`,
        [step.name],
      );
      expect(tree.rows).toEqual([
        { relname: 'idx_events_2023_kind_at', indisvalid: true },
        { relname: 'idx_events_2024_kind_at', indisvalid: true },
        { relname: 'idx_events_2024_rest_kind_at', indisvalid: true },
        { relname: step.name, indisvalid: true },
      ]);
      const again = await applyPlan(engine, planOf(step), { reconnect });
      expect(again.steps[0]).toMatchObject({ status: 'skipped', message: 'exists already' });
      const dropped = await applyPlan(engine, planOf(dropStep(step.name, 'events')), { reconnect });
      expect(dropped.steps[0]).toMatchObject({ status: 'dropped', sql: `DROP INDEX IF EXISTS public.${step.name}` });
      expect(dropped.steps[0]?.notes[0]).toMatch(/partitioned index cannot be dropped CONCURRENTLY/);
      expect(await rowCount(db, 'events')).toBe(rows);
      expect((await indexFacts(db, step.name)).invalid).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it('an index on an expression: built concurrently, valid, used by the planner; a second run skips it', async () => {
    const def = {
      table: { schema: 'public', name: 'items' },
      keys: [keyColumn('kind'), keyColumn('lower(sku)', { expression: { reads: ['sku'] } })],
      include: [],
      where: null,
      method: 'btree' as const,
      unique: false as const,
    };
    const plan = planOf({ kind: 'create', name: indexName(def), def, unique: false, reason: 'test' });
    const { engine, reconnect } = await applyEngine(db);
    try {
      const summary = await applyPlan(engine, plan, { reconnect });
      expect(summary.steps.map((s) => [s.status, s.sql])).toEqual([
        ['built', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_items_kind_lower_sku ON public.items USING btree (kind, (lower(sku)))'],
      ]);
      const [built] = (
        await db.sql(
          `SELECT pg_get_indexdef(indexrelid) AS definition, indisvalid FROM pg_index WHERE indexrelid = 'idx_items_kind_lower_sku'::regclass`,
        )
      ).rows;
      expect(built).toEqual({
        definition: 'CREATE INDEX idx_items_kind_lower_sku ON public.items USING btree (kind, lower(sku))',
        indisvalid: true,
      });
      await db.sql('ANALYZE items');
      const plan2 = (await db.sql(`EXPLAIN SELECT * FROM items WHERE kind = 3 AND lower(sku) = 'sku12'`)).rows;
      expect(plan2.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n')).toContain('idx_items_kind_lower_sku');
      expect((await applyPlan(engine, plan, { reconnect })).skipped).toBe(1);
    } finally {
      await engine.close();
      await db.sql('DROP INDEX IF EXISTS idx_items_kind_lower_sku');
    }
  });

  it('a table that does not exist: failed, the next step still runs', async () => {
    const { engine } = await applyEngine(db);
    try {
      const summary = await applyPlan(engine, planOf(createStep('nope', ['a']), createStep('items', ['kind', 'id'])), {
        concurrently: false,
      });
      expect(summary.steps.map((s) => [s.status, s.message.replace(/[\d.]+ s$/, 'N s')])).toEqual([
        ['failed', 'table public.nope does not exist'],
        ['built', 'built in N s'],
      ]);
      expect(summary.concurrently).toBe(false);
      expect(summary.steps[1]?.sql).toMatch(/^CREATE INDEX IF NOT EXISTS idx_items_kind_id ON public\.items/);
    } finally {
      await engine.close();
    }
  });
});

describe('apply on PGlite and SQLite', () => {
  it('PGlite: no CONCURRENTLY, said so; built, then skipped', async () => {
    const engine = new PostgresEngine(await openPglite(null));
    try {
      await engine.query('CREATE TABLE t (a int, b int)');
      const notes: string[] = [];
      const plan = planOf(createStep('t', ['a', 'b']));
      const summary = await applyPlan(engine, plan, { onEvent: (e) => e.kind === 'note' && notes.push(e.message) });
      expect(summary).toMatchObject({ concurrently: false, built: 1 });
      expect(notes).toEqual(['pglite has no CREATE INDEX CONCURRENTLY: building with plain CREATE INDEX']);
      expect((await applyPlan(engine, plan)).skipped).toBe(1);
    } finally {
      await engine.close();
    }
  });

  it('SQLite: one transaction; a failing step rolls every change back', async () => {
    const dir = tempDir('apply-sqlite');
    const path = join(dir, 'app.db');
    const { default: Database } = await import('better-sqlite3');
    const raw = new Database(path);
    raw.exec(`CREATE TABLE "Order Items" (id INTEGER PRIMARY KEY, user_id INT, at TEXT); CREATE INDEX old_one ON "Order Items" (at);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) INSERT INTO "Order Items" (user_id, at) SELECT i % 10, 'x' FROM n`);
    raw.close();
    const engine = await connect(`sqlite:${path}`, { writable: true });
    try {
      const create = { ...createStep('Order Items', ['user_id'], { schema: 'main' }) };
      const drop: DropStep = { ...dropStep('old_one', 'Order Items'), index: { schema: 'main', name: 'old_one' } };
      const plan = { dialect: 'sqlite' as const, steps: [create, drop] };
      const summary = await applyPlan(engine, plan);
      expect(summary.steps.map((s) => s.status)).toEqual(['built', 'dropped']);
      expect(summary.steps[1]?.definition).toBe('CREATE INDEX old_one ON "Order Items" (at)');
      const broken = {
        dialect: 'sqlite' as const,
        steps: [createStep('Order Items', ['at'], { schema: 'main' }), createStep('missing', ['x'], { schema: 'main' })],
      };
      const failed = await applyPlan(engine, broken);
      expect(failed.steps.map((s) => s.status)).toEqual(['failed', 'failed']);
      expect(failed.steps[0]?.message).toBe('rolled back: step 2 failed');
      const names = await engine.query<{ name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY 1`);
      expect(names.map((r) => r.name)).toEqual([create.name]);
      expect((await engine.query<{ n: number }>('SELECT count(*) AS n FROM "Order Items"'))[0]?.n).toBe(100);
    } finally {
      await engine.close();
    }
  });
});
