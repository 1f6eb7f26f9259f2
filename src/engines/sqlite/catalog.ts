/**
 * Introspection of a SQLite file through sqlite_schema and the table-valued PRAGMA
 * functions: columns with declared collations and generated columns, WITHOUT ROWID
 * tables, the INTEGER PRIMARY KEY that is the rowid, indexes with DESC keys,
 * collations, expressions and partial predicates, foreign keys, views, triggers, row
 * counts, and per-column distinct counts from sqlite_stat1. Read-only.
 *
 * SQLite indexes have no NULLS FIRST/LAST: their keys carry the default of the
 * direction (nullsFirst = descending), as PostgreSQL's catalog does, so both compare alike.
 */
import type Database from 'better-sqlite3';
import type { Catalog, Column, ColumnStats, ForeignKey, Index, Table, Trigger } from '../../model/catalog.js';
import { quoteIdentAlways } from '../../sql/names.js';
import { declaredCollations, readTrigger } from './ddl-text.js';
import { bytesOf, type IndexListRow, readIndex } from './catalog-index.js';
import { readStat1, statNumbers } from './stats.js';

const SCHEMA = 'main';

interface TableRow {
  name: string;
  wr: number;
  sql: string | null;
}
interface XinfoRow {
  cid: number;
  name: string;
  type: string;
  notnull: number;
  pk: number;
  hidden: number;
}
interface ForeignKeyRow {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string | null;
}

export function readSqliteCatalog(db: Database.Database): Catalog {
  const tableRows = db
    .prepare(
      `SELECT l.name, l.wr, s.sql FROM pragma_table_list l JOIN sqlite_schema s ON s.name = l.name AND s.type = 'table'
       WHERE l.schema = 'main' AND l.type = 'table' AND l.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY l.name`,
    )
    .all() as TableRow[];
  const indexes = tableRows.flatMap((t) =>
    (db.prepare('SELECT * FROM pragma_index_list(?)').all(t.name) as IndexListRow[]).map((entry) =>
      readIndex(db, t.name, entry, collationsOf(t)),
    ),
  );
  const distinct = distinctCounts(db, indexes);
  const tables = tableRows.map((t) => readTable(db, t, indexes, distinct));
  const foreignKeys = tableRows.flatMap((t) => readForeignKeys(db, t.name, tables));
  const views = (
    db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'view' ORDER BY name`).all() as { name: string; sql: string }[]
  ).map((v) => ({ schema: SCHEMA, name: v.name, definition: v.sql.replace(/^[\s\S]*?\bAS\s+(?=select|with|values)/i, '') }));
  const triggers = (
    db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND sql IS NOT NULL ORDER BY name`).all() as {
      name: string;
      sql: string;
    }[]
  )
    .map((t) => readTrigger(t.name, t.sql, SCHEMA))
    .filter((t): t is Trigger => t !== null);
  return { schemas: [SCHEMA], searchPath: [SCHEMA], tables, indexes, foreignKeys, views, triggers };
}

function collationsOf(row: TableRow): Map<string, string> {
  return row.sql === null ? new Map() : declaredCollations(row.sql);
}

/** "table\0column" (lower-case) → distinct values, from the sqlite_stat1 row of an index the column leads. */
function distinctCounts(db: Database.Database, indexes: readonly Index[]): Map<string, number> {
  const counts = new Map<string, number>();
  const stats = new Map(
    readStat1(db)
      .filter((r) => r.idx !== null)
      .map((r) => [(r.idx as string).toLowerCase(), statNumbers(r.stat)]),
  );
  for (const index of indexes) {
    const [rows, perValue] = stats.get(index.name.toLowerCase()) ?? [];
    const column = index.keys[0]?.column;
    if (rows === undefined || perValue === undefined || perValue === 0 || column === null || column === undefined) continue;
    counts.set(`${index.table.name}\u0000${column}`.toLowerCase(), Math.max(1, Math.round(rows / perValue)));
  }
  return counts;
}

function readColumns(db: Database.Database, row: TableRow, distinct: ReadonlyMap<string, number>): { columns: Column[]; info: XinfoRow[] } {
  const info = db.prepare('SELECT * FROM pragma_table_xinfo(?)').all(row.name) as XinfoRow[];
  const collations = collationsOf(row);
  const columns = info.map((c): Column => {
    const nDistinct = distinct.get(`${row.name}\u0000${c.name}`.toLowerCase());
    const stats: ColumnStats | null = nDistinct === undefined ? null : { nDistinct, nullFrac: null, correlation: null, avgWidth: null };
    return {
      name: c.name,
      position: c.cid + 1,
      type: c.type || 'ANY',
      nullable: c.notnull === 0 && c.pk === 0,
      generated: c.hidden === 2 || c.hidden === 3,
      stats,
      collation: collations.get(c.name.toLowerCase()) ?? null,
    };
  });
  return { columns, info };
}

function readTable(db: Database.Database, row: TableRow, indexes: readonly Index[], distinct: ReadonlyMap<string, number>): Table {
  const { columns, info } = readColumns(db, row, distinct);
  const pkColumns = info
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
  const own = indexes.filter((i) => i.table.name === row.name);
  // The rowid is aliased by a lone INTEGER PRIMARY KEY, the only primary key SQLite keeps without an index.
  const rowidAlias = row.wr === 0 && pkColumns.length === 1 && !own.some((i) => i.primary) ? (pkColumns[0] as string) : null;
  const count = db.prepare(`SELECT count(*) AS n FROM ${quoteIdentAlways(row.name)}`).get() as { n: number };
  const heapBytes = bytesOf(db, row.name);
  return {
    schema: SCHEMA,
    name: row.name,
    kind: 'table',
    parent: null,
    rowEstimate: count.n,
    tableBytes: heapBytes,
    totalBytes: heapBytes + own.reduce((sum, i) => sum + i.bytes, 0),
    columns,
    primaryKey: pkColumns.length > 0 ? pkColumns : null,
    withoutRowid: row.wr === 1,
    rowidAlias,
  };
}

function readForeignKeys(db: Database.Database, table: string, tables: readonly Table[]): ForeignKey[] {
  const rows = db.prepare('SELECT * FROM pragma_foreign_key_list(?)').all(table) as ForeignKeyRow[];
  const byId = new Map<number, ForeignKeyRow[]>();
  for (const row of rows) byId.set(row.id, [...(byId.get(row.id) ?? []), row]);
  return [...byId.entries()].map(([id, parts]) => {
    parts.sort((a, b) => a.seq - b.seq);
    const referenced = parts[0]?.table ?? '';
    const pk = tables.find((t) => t.name.toLowerCase() === referenced.toLowerCase())?.primaryKey ?? [];
    return {
      schema: SCHEMA,
      name: `${table}_fk_${id}`,
      table: { schema: SCHEMA, name: table },
      columns: parts.map((p) => p.from),
      referencedTable: { schema: SCHEMA, name: tables.find((t) => t.name.toLowerCase() === referenced.toLowerCase())?.name ?? referenced },
      referencedColumns: parts.map((p, i) => p.to ?? pk[i] ?? ''),
    };
  });
}
