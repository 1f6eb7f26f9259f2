/** Connection string → a ready engine. The one entry point for opening a database. */
import { ConnectionError } from '../errors.js';
import { type ConnectionTarget, parseConnectionString } from './connection-string.js';
import type { Engine } from './engine.js';
import { openPglite } from './pglite/driver.js';
import { PostgresEngine } from './postgres/engine.js';
import { connectPg } from './postgres/pg-driver.js';
import { SqliteEngine } from './sqlite/engine.js';

export interface ConnectOptions {
  /** PGlite: create the data directory if it does not exist. */
  readonly create?: boolean;
  /** SQLite: open for writing (only `apply` and the demo do). */
  readonly writable?: boolean;
}

export async function connect(db: string | ConnectionTarget, options: ConnectOptions = {}): Promise<Engine> {
  const target = typeof db === 'string' ? parseConnectionString(db) : db;
  switch (target.kind) {
    case 'postgres': {
      const engine = new PostgresEngine(await connectPg(target.conninfo));
      return checked(engine);
    }
    case 'pglite':
      return checked(new PostgresEngine(await openPglite(target.dir, { create: options.create })));
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
