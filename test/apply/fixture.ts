/** Shared by the apply tests: plans built by hand, a second session, row counts, waiting. */
import pg from 'pg';
import { connect } from '../../src/engines/connect.js';
import type { Engine } from '../../src/engines/engine.js';
import { indexName } from '../../src/sql/ddl.js';
import type { CreateStep, MigrationPlan } from '../../src/migrate/plan.js';
import { type IndexDef, keyColumn } from '../../src/model/index-def.js';
import type { TestDatabase } from '../helpers/postgres.js';

export function createStep(table: string, columns: readonly string[], options: { unique?: boolean; schema?: string } = {}): CreateStep {
  const def: IndexDef = {
    table: { schema: options.schema ?? 'public', name: table },
    keys: columns.map((c) => keyColumn(c)),
    include: [],
    where: null,
    method: 'btree',
    unique: false,
  };
  return { kind: 'create', name: indexName(def), def, unique: options.unique ?? false, reason: 'test' };
}

export function planOf(...steps: MigrationPlan['steps']): MigrationPlan {
  return { dialect: 'postgres', steps };
}

/** Another session, as a DBA or the application would hold one. */
export async function session(db: TestDatabase): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: db.url, application_name: 'test blocker' });
  client.on('error', () => {});
  await client.connect();
  return client;
}

export async function rowCount(db: TestDatabase, table: string): Promise<number> {
  const result = await db.sql(`SELECT count(*)::int AS n FROM ${table}`);
  return result.rows[0].n;
}

/** Indexes named `name` (valid or not) and every invalid index of the database. */
export async function indexFacts(db: TestDatabase, name: string): Promise<{ exists: boolean; invalid: string[] }> {
  const exists = (await db.sql('SELECT 1 FROM pg_class WHERE relname = $1', [name])).rowCount === 1;
  const invalid = (await db.sql('SELECT indexrelid::regclass::text AS n FROM pg_index WHERE NOT indisvalid')).rows.map(
    (r: { n: string }) => r.n,
  );
  return { exists, invalid };
}

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** An engine for apply, and how to open another connection to the same database. */
export async function applyEngine(db: TestDatabase): Promise<{ engine: Engine; reconnect: () => Promise<Engine> }> {
  return { engine: await connect(db.url), reconnect: () => connect(db.url) };
}
