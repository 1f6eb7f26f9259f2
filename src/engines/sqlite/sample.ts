/**
 * A sampled copy of a SQLite database: the user's schema replayed, the first N rows of
 * each table, and statistics — the file's own sqlite_stat1 rows when it has them, else
 * those of the sample scaled to the real row counts (crude: a value repeated in the
 * sample is assumed to repeat as often per row in the whole table; a unique one stays
 * unique).
 */
import type Database from 'better-sqlite3';
import { quoteIdentAlways } from '../../sql/names.js';
import { readStat1, statNumbers } from './stats.js';

interface SchemaRow {
  type: string;
  name: string;
  sql: string;
}

/** A stat1 text scaled by `ratio` (real rows / sample rows). */
export function rescaleStat(stat: string, ratio: number): string {
  const numbers = statNumbers(stat);
  const rest = stat.trim().split(/\s+/).slice(numbers.length);
  const scaled = numbers.map((n, i) => (i === 0 || n > 1 ? Math.max(1, Math.round(n * ratio)) : n));
  return [...scaled, ...rest].join(' ');
}

function exists(db: Database.Database, name: string): boolean {
  return db.prepare('SELECT 1 FROM sqlite_schema WHERE name = ? COLLATE NOCASE').get(name) !== undefined;
}

function copyRows(source: Database.Database, target: Database.Database, table: string, limit: number): number {
  const columns = (source.prepare('SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0').all(table) as { name: string }[]).map((c) =>
    quoteIdentAlways(c.name),
  );
  if (columns.length === 0) return 0;
  const list = columns.join(', ');
  const read = source.prepare(`SELECT ${list} FROM ${quoteIdentAlways(table)} LIMIT ?`).raw(true);
  const write = target.prepare(`INSERT INTO ${quoteIdentAlways(table)} (${list}) VALUES (${columns.map(() => '?').join(', ')})`);
  let copied = 0;
  target.transaction(() => {
    for (const row of read.iterate(limit) as Iterable<unknown[]>) {
      write.run(...row);
      copied++;
    }
  })();
  return copied;
}

function realRows(source: Database.Database, table: string, stat1: readonly { tbl: string; stat: string }[]): number {
  const row = stat1.find((r) => r.tbl.toLowerCase() === table.toLowerCase());
  if (row !== undefined) return statNumbers(row.stat)[0] ?? 0;
  return (source.prepare(`SELECT count(*) AS n FROM ${quoteIdentAlways(table)}`).get() as { n: number }).n;
}

function replay(target: Database.Database, sql: string): boolean {
  try {
    target.exec(sql);
    return true;
  } catch {
    return false; // e.g. a virtual table whose module this SQLite lacks: planned without it
  }
}

export function fillSample(
  source: Database.Database,
  target: Database.Database,
  rows: number,
): { scale: Map<string, number>; statsFromFile: boolean } {
  const schema = source
    .prepare(`SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid`)
    .all() as SchemaRow[];
  const stat1 = readStat1(source);
  const scale = new Map<string, number>();
  for (const entry of schema.filter((e) => e.type === 'table')) {
    if (exists(target, entry.name) || !replay(target, entry.sql) || /^\s*CREATE\s+VIRTUAL/i.test(entry.sql)) continue;
    const copied = copyRows(source, target, entry.name, rows);
    scale.set(entry.name.toLowerCase(), Math.max(1, realRows(source, entry.name, stat1)) / Math.max(1, copied));
  }
  for (const entry of schema.filter((e) => e.type !== 'table')) replay(target, entry.sql);
  target.exec('ANALYZE');
  if (stat1.length > 0) {
    target.exec('DELETE FROM sqlite_stat1');
    const insert = target.prepare('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)');
    for (const row of stat1) insert.run(row.tbl, row.idx, row.stat);
  } else {
    const update = target.prepare('UPDATE sqlite_stat1 SET stat = ? WHERE tbl = ? AND idx IS ?');
    for (const row of readStat1(target)) update.run(rescaleStat(row.stat, scale.get(row.tbl.toLowerCase()) ?? 1), row.tbl, row.idx);
  }
  return { scale, statsFromFile: stat1.length > 0 };
}
