/**
 * The default snapshot store: a SQLite file of indexwise's own (not a monitored
 * database, so it opens better-sqlite3 directly rather than through an engine).
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { InputError } from '../errors.js';
import type { Snapshot } from './snapshot.js';
import type { SnapshotStore } from './store.js';

export function defaultStorePath(): string {
  return process.env.INDEXWISE_MONITOR_STORE ?? join(homedir(), '.indexwise', 'monitor.sqlite');
}

export function openSqliteStore(path: string): SnapshotStore {
  let db: Database.Database;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    db.exec(`CREATE TABLE IF NOT EXISTS snapshots (
      id INTEGER PRIMARY KEY, database TEXT NOT NULL, taken_at TEXT NOT NULL, body TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS snapshots_database_taken_at ON snapshots (database, taken_at);`);
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
