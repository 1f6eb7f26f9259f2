/**
 * A writable copy of a SQLite database in a temp directory, for what-if costing,
 * measuring writes and trials: the user's file is only ever read.
 * - full: `VACUUM INTO` (the whole file, at most `maxCopyBytes`).
 * - sample: a bigger file gets its schema, its sqlite_stat1 rows and the first
 *   `sampleRows` rows of each table (see sample.ts).
 * Without statistics, ANALYZE runs on the copy. sqlite_stat4 is removed there so that
 * plans depend on sqlite_stat1 alone, as the cost model does, and not on bound values.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { quoteIdentAlways } from '../../sql/names.js';
import { hasStat1, tablesWithoutStatistics } from './stats.js';
import { fillSample } from './sample.js';

export interface CopyOptions {
  /** Copy the whole file when it is at most this many bytes (default 1 GiB). */
  readonly maxCopyBytes?: number;
  /** Rows per table in a sampled copy (default 20,000). */
  readonly sampleRows?: number;
  /** Force a sampled copy whatever the size. */
  readonly sample?: boolean;
}

export const DEFAULT_MAX_COPY_BYTES = 1024 ** 3;
export const DEFAULT_SAMPLE_ROWS = 20_000;

export interface DatabaseCopy {
  readonly db: Database.Database;
  readonly path: string;
  readonly mode: 'full' | 'sample';
  /** Per table (lower-case name): rows in the user's file / rows in the copy. */
  readonly scale: ReadonlyMap<string, number>;
  /** What a report should say about it. */
  readonly notes: readonly string[];
  dispose(): void;
}

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

export function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function openWritable(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -65536');
  return db;
}

/** Statistics from sqlite_stat1 only: ANALYZE of the tables that have rows but none, sqlite_stat4 emptied, then reloaded. */
export function settleStatistics(db: Database.Database): boolean {
  const missing = tablesWithoutStatistics(db);
  for (const table of missing) db.exec(`ANALYZE ${quoteIdentAlways(table)}`);
  const analyzed = missing.length > 0;
  if (db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat4'`).get() !== undefined) db.exec('DELETE FROM sqlite_stat4');
  if (hasStat1(db)) db.exec('ANALYZE sqlite_schema');
  return analyzed;
}

export function openCopy(source: Database.Database, sourcePath: string, options: CopyOptions = {}): DatabaseCopy {
  const dir = mkdtempSync(join(tmpdir(), 'indexwise-sqlite-'));
  const path = join(dir, 'copy.db');
  const bytes = fileBytes(sourcePath);
  const limit = options.maxCopyBytes ?? DEFAULT_MAX_COPY_BYTES;
  const dispose = (db?: Database.Database) => {
    if (db?.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  let db: Database.Database | undefined;
  try {
    if (!options.sample && bytes <= limit) {
      source.prepare('VACUUM INTO ?').run(path);
      db = openWritable(path);
      const analyzed = settleStatistics(db);
      const notes = [
        `what-if on a copy of the whole file (VACUUM INTO, ${mb(bytes)}) in a temp directory: the file itself is never written`,
      ];
      if (analyzed)
        notes.push(
          'the file lacks statistics (sqlite_stat1) for some tables: ANALYZE ran on the copy; `advise --analyze` stores them in the file',
        );
      return { db, path, mode: 'full', scale: new Map(), notes, dispose: () => dispose(db) };
    }
    db = openWritable(path);
    const rows = options.sampleRows ?? DEFAULT_SAMPLE_ROWS;
    const { scale, statsFromFile } = fillSample(source, db, rows);
    settleStatistics(db);
    const notes = [
      `${options.sample ? 'sampled copy asked for' : `the file (${mb(bytes)}) is larger than the copy limit (${mb(limit)})`}: what-if on a copy with its schema, ` +
        `${statsFromFile ? 'its sqlite_stat1 statistics' : 'statistics from the sample, scaled'} and the first ${rows} rows of each table; index sizes are scaled estimates`,
    ];
    return { db, path, mode: 'sample', scale, notes, dispose: () => dispose(db) };
  } catch (error) {
    dispose(db);
    throw error;
  }
}
