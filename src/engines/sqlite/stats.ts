/**
 * The planner statistics the cost model reads from one SQLite connection: sqlite_stat1
 * rows (per index "N a1 a2 …"), table row counts (from sqlite_stat1, else counted once),
 * WITHOUT ROWID primary keys. Cached until `invalidate()` (after ANALYZE or a new index).
 */
import type Database from 'better-sqlite3';
import { quoteIdentAlways } from '../../sql/names.js';
import type { PlannerStats } from './cost.js';
import { tableAliases } from './statement-text.js';

interface StatRow {
  tbl: string;
  idx: string | null;
  stat: string;
}

/** The leading numbers of a sqlite_stat1 stat text ("1000 10 1 unordered" → [1000, 10, 1]). */
export function statNumbers(stat: string): number[] {
  const numbers: number[] = [];
  for (const word of stat.trim().split(/\s+/)) {
    if (!/^\d+$/.test(word)) break;
    numbers.push(Number(word));
  }
  return numbers;
}

export function hasStat1(db: Database.Database): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'`).get() !== undefined;
}

export function readStat1(db: Database.Database): StatRow[] {
  return hasStat1(db) ? (db.prepare('SELECT tbl, idx, stat FROM sqlite_stat1').all() as StatRow[]) : [];
}

/** Tables that hold rows but have no sqlite_stat1 row (ANALYZE writes none for an empty table). */
export function tablesWithoutStatistics(db: Database.Database): string[] {
  const known = new Set(readStat1(db).map((r) => r.tbl.toLowerCase()));
  const tables = db
    .prepare(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND sql NOT LIKE 'CREATE VIRTUAL%'`,
    )
    .all() as { name: string }[];
  return tables
    .map((t) => t.name)
    .filter((name) => !known.has(name.toLowerCase()) && db.prepare(`SELECT 1 FROM ${quoteIdentAlways(name)} LIMIT 1`).get() !== undefined);
}

export class StatsCache {
  private indexStats: Map<string, number[]> | null = null;
  private statRows = new Map<string, number>();
  private readonly counted = new Map<string, number>();
  private tables: string[] | null = null;
  private readonly primaryKeys = new Map<string, string | undefined>();
  private readonly columns = new Map<string, Set<string>>();

  constructor(private readonly db: Database.Database) {}

  /** Reads everything now (before a savepoint that hides indexes from the planner). */
  warm(): void {
    this.load();
    this.tableNames();
  }

  invalidate(): void {
    this.indexStats = null;
    this.tables = null;
    this.primaryKeys.clear();
  }

  private load(): Map<string, number[]> {
    if (this.indexStats !== null) return this.indexStats;
    const byIndex = new Map<string, number[]>();
    const rows = new Map<string, number>();
    for (const row of readStat1(this.db)) {
      const numbers = statNumbers(row.stat);
      if (row.idx !== null) byIndex.set(row.idx.toLowerCase(), numbers);
      if (numbers[0] !== undefined) rows.set(row.tbl.toLowerCase(), numbers[0]);
    }
    this.statRows = rows;
    this.indexStats = byIndex;
    return byIndex;
  }

  tableNames(): string[] {
    this.tables ??= (this.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name);
    return this.tables;
  }

  /** Rows of a table: sqlite_stat1's count, else counted (once per connection). */
  rows(table: string): number {
    this.load();
    const key = table.toLowerCase();
    const known = this.statRows.get(key) ?? this.counted.get(key);
    if (known !== undefined) return known;
    let n = 0;
    try {
      n = (this.db.prepare(`SELECT count(*) AS n FROM ${quoteIdentAlways(table)}`).get() as { n: number }).n;
    } catch {
      n = 0;
    }
    this.counted.set(key, n);
    return n;
  }

  private columnsOf(table: string): Set<string> {
    let known = this.columns.get(table);
    if (known === undefined) {
      known = new Set(
        (this.db.prepare('SELECT name FROM pragma_table_xinfo(?)').all(table) as { name: string }[]).map((c) => c.name.toLowerCase()),
      );
      this.columns.set(table, known);
    }
    return known;
  }

  private primaryKeyIndex(table: string): string | undefined {
    if (!this.primaryKeys.has(table)) {
      const row = this.db.prepare(`SELECT name FROM pragma_index_list(?) WHERE origin = 'pk'`).get(table) as { name: string } | undefined;
      this.primaryKeys.set(table, row?.name);
    }
    return this.primaryKeys.get(table);
  }

  /** The statistics as the cost model asks for them, with the statement's aliases resolved. */
  forStatement(sql: string): PlannerStats {
    const names = this.tableNames();
    const aliases = tableAliases(sql, names);
    const byName = new Map(names.map((n) => [n.toLowerCase(), n]));
    return {
      tableOf: (name) => {
        const table = aliases.get(name.toLowerCase()) ?? byName.get(name.toLowerCase());
        return table === undefined ? undefined : { table, rows: this.rows(table) };
      },
      indexStat: (index) => this.load().get(index.toLowerCase()) ?? null,
      primaryKeyIndex: (table) => this.primaryKeyIndex(table),
      hasColumn: (table, column) => this.columnsOf(table).has(column.toLowerCase()),
    };
  }
}
