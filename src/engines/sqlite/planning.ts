/**
 * The planning database: the copy's schema with no rows, in memory, and the copy's
 * sqlite_stat1. SQLite plans from sqlite_stat1 alone (sqlite_stat4 is left out), so its
 * plans there are the plans it would make on the data; and building, dropping and
 * restoring an index on empty tables costs nothing. A candidate is measured once on the
 * data copy (its sqlite_stat1 row and size), then lives here.
 */
import Database from 'better-sqlite3';
import { readStat1 } from './stats.js';

interface SchemaRow {
  type: string;
  sql: string;
}

/** Replays a statement; one this SQLite cannot run (a virtual table's missing module) is left out. */
function replay(db: Database.Database, sql: string): void {
  try {
    db.exec(sql);
  } catch {
    // planned without it
  }
}

export function openPlanningDb(data: Database.Database): Database.Database {
  const db = new Database(':memory:');
  const schema = data
    .prepare(
      `SELECT type, sql FROM sqlite_schema WHERE sql IS NOT NULL AND type IN ('table', 'index', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid`,
    )
    .all() as SchemaRow[];
  for (const type of ['table', 'index', 'view']) for (const row of schema.filter((r) => r.type === type)) replay(db, row.sql);
  db.exec('ANALYZE');
  db.exec('DELETE FROM sqlite_stat1');
  const insert = db.prepare('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)');
  for (const row of readStat1(data)) insert.run(row.tbl, row.idx, row.stat);
  reloadStatistics(db);
  return db;
}

/** The planner reads sqlite_stat1 again (and only it). */
export function reloadStatistics(db: Database.Database): void {
  if (db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat4'`).get() !== undefined) db.exec('DELETE FROM sqlite_stat4');
  db.exec('ANALYZE sqlite_schema');
}

/** Adds an index (built empty) with the statistics row it has on the data. */
export function addPlannedIndex(db: Database.Database, createSql: string, table: string, name: string, stat: string | null): void {
  db.exec(createSql);
  if (stat !== null) db.prepare('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)').run(table, name, stat);
  reloadStatistics(db);
}
