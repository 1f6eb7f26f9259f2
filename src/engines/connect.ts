/** Connection string → a ready engine. The one entry point for opening a database. */
import { ConnectionError } from '../errors.js';
import { type ConnectionTarget, parseConnectionString } from './connection-string.js';
import type { Engine } from './engine.js';
import { openPglite } from './pglite/driver.js';
import { PostgresEngine } from './postgres/engine.js';
import { connectPg, READ_ONLY_SESSION } from './postgres/pg-driver.js';
import { SqliteEngine } from './sqlite/engine.js';

export interface ConnectOptions {
  /** PGlite: create the data directory if it does not exist. */
  readonly create?: boolean;
  /** SQLite: open for writing (only `apply` and the demo do). */
  readonly writable?: boolean;
  /**
   * PostgreSQL family: every transaction of the session (and of its siblings) is READ ONLY
   * unless it is opened with BEGIN READ WRITE (default_transaction_read_only), so nothing a
   * read-only command runs can write, not even a function that is declared STABLE and writes
   * when the planner calls it. The commands that only read connect this way.
   */
  readonly readOnly?: boolean;
}

export async function connect(db: string | ConnectionTarget, options: ConnectOptions = {}): Promise<Engine> {
  const target = typeof db === 'string' ? parseConnectionString(db) : db;
  switch (target.kind) {
    case 'postgres': {
      const engine = new PostgresEngine(await connectPg(target.conninfo, { readOnly: options.readOnly }));
      return checked(engine);
    }
    case 'pglite': {
      const driver = await openPglite(target.dir, { create: options.create });
      if (options.readOnly) await driver.query(READ_ONLY_SESSION);
      return checked(new PostgresEngine(driver));
    }
    case 'sqlite':
      return SqliteEngine.open(target.path, { readonly: !options.writable });
  }
}

/** Reads the server's version once, so a database we cannot use fails here with one clear line. */
async function checked(engine: PostgresEngine): Promise<Engine> {
  try {
    const info = await engine.info();
    if (info.serverVersionNum < 120000) {
      throw new ConnectionError(`PostgreSQL ${info.serverVersion} is too old: indexwise needs 12 or newer`);
    }
    return engine;
  } catch (error) {
    await engine.close();
    throw error;
  }
}
