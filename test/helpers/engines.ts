/**
 * The engine matrix: the same test body runs on real PostgreSQL and on PGlite.
 * `setup` runs raw SQL (several statements) as the database owner.
 */
import { connect } from '../../src/engines/connect.js';
import type { Engine } from '../../src/engines/engine.js';
import { openPglite } from '../../src/engines/pglite/driver.js';
import { PostgresEngine } from '../../src/engines/postgres/engine.js';
import { createTestDatabase, hasPostgres } from './postgres.js';

export interface TestEngine {
  readonly engine: Engine;
  /** A connection string another process (the CLI) can use, when there is one. */
  readonly url: string | null;
  setup(sql: string): Promise<void>;
  cleanup(): Promise<void>;
}

export interface EngineFixture {
  readonly name: 'postgres' | 'pglite';
  readonly available: boolean;
  open(label: string): Promise<TestEngine>;
}

export const POSTGRES: EngineFixture = {
  name: 'postgres',
  available: hasPostgres,
  async open(label) {
    const db = await createTestDatabase(label);
    const engine = await connect(db.url);
    return {
      engine,
      url: db.url,
      setup: async (sql) => {
        await db.sql(sql);
      },
      cleanup: async () => {
        await engine.close();
        await db.drop();
      },
    };
  },
};

export const PGLITE: EngineFixture = {
  name: 'pglite',
  available: true,
  async open() {
    const driver = await openPglite(null);
    const engine = new PostgresEngine(driver);
    return {
      engine,
      url: null,
      setup: (sql) => driver.exec(sql),
      cleanup: () => engine.close(),
    };
  },
};

export const POSTGRES_FAMILY: readonly EngineFixture[] = [POSTGRES, PGLITE];
