/**
 * The default snapshot store: a SQLite file of indexwise's own (not a monitored
 * database, so it opens better-sqlite3 directly rather than through an engine).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { InputError } from '../errors.js';
import type { Snapshot } from './snapshot.js';
import type { SnapshotStore } from './store.js';

export function defaultStorePath(): string {
  return process.env.INDEXWISE_MONITOR_STORE ?? join(homedir(), '.indexwise', 'monitor.sqlite');
}

/** The store that a file not written yet holds when it is only read: nothing. */
const EMPTY_STORE: SnapshotStore = {
  async save() {
    throw new Error('the snapshot store was opened read-only');
  },
  async list() {
    return [];
  },
  async databases() {
    return [];
  },
  async close() {},
};

/** `readOnly`: neither the file nor its table is created; a file that does not exist reads as an empty store. */
export function openSqliteStore(path: string, options: { readonly readOnly?: boolean } = {}): SnapshotStore {
  if (options.readOnly && !existsSync(path)) return EMPTY_STORE;
  if (existsSync(path) && statSync(path).isDirectory())
    throw new InputError(`cannot open the snapshot store ${path}: it is a directory, not a file`);
  let db: Database.Database;
  try {
    if (options.readOnly) {
      db = new Database(path, { readonly: true, fileMustExist: true });
      const [found] = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'snapshots'").all() as {
        n: number;
      }[];
      if (found?.n === 0) {
        db.close();
        return EMPTY_STORE;
      }
    } else {
      mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
      db.exec(`CREATE TABLE IF NOT EXISTS snapshots (
        id INTEGER PRIMARY KEY, database TEXT NOT NULL, taken_at TEXT NOT NULL, body TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS snapshots_database_taken_at ON snapshots (database, taken_at);`);
    }
  } catch (error) {
    throw new InputError(`cannot open the snapshot store ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    async save(snapshot) {
      db.prepare('INSERT INTO snapshots (database, taken_at, body) VALUES (?, ?, ?)').run(
        snapshot.database,
        snapshot.takenAt,
        JSON.stringify(snapshot),
      );
    },
    async list(database, since) {
      const rows = db
        .prepare('SELECT body FROM snapshots WHERE database = ? AND taken_at >= ? ORDER BY taken_at, id')
        .all(database, since.toISOString()) as { body: string }[];
      return rows.map((r) => JSON.parse(r.body) as Snapshot);
    },
    async databases() {
      return (db.prepare('SELECT DISTINCT database FROM snapshots ORDER BY 1').all() as { database: string }[]).map((r) => r.database);
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
