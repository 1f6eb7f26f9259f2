/** Introspection of a SQLite file through sqlite_schema and the table-valued PRAGMA functions. */
import type Database from 'better-sqlite3';
import { quoteIdentAlways } from '../../model/names.js';
import type { Catalog, Column, ForeignKey, Index, IndexKey, Table } from '../../model/catalog.js';

const SCHEMA = 'main';

interface TableRow {
  name: string;
  wr: number;
}
interface XinfoRow {
  cid: number;
  name: string;
  type: string;
  notnull: number;
  pk: number;
  hidden: number;
}
interface IndexListRow {
  name: string;
  unique: number;
  origin: 'c' | 'u' | 'pk';
  partial: number;
}
interface IndexXinfoRow {
  seqno: number;
  cid: number;
  name: string | null;
  desc: number;
  coll: string;
  key: number;
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
    .prepare(`SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`)
    .all() as TableRow[];
  const indexes = tableRows.flatMap((t) => readIndexes(db, t.name));
  const tables = tableRows.map((t) => readTable(db, t, indexes));
  const foreignKeys = tableRows.flatMap((t) => readForeignKeys(db, t.name, tables));
  const views = (db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'view' ORDER BY name`).all() as { name: string; sql: string }[])
    .map((v) => ({ schema: SCHEMA, name: v.name, definition: v.sql.replace(/^[\s\S]*?\bAS\s+(?=select|with|values)/i, '') }));
  return { schemas: [SCHEMA], searchPath: [SCHEMA], tables, indexes, foreignKeys, views };
}

function readTable(db: Database.Database, row: TableRow, indexes: readonly Index[]): Table {
  const info = db.prepare('SELECT * FROM pragma_table_xinfo(?)').all(row.name) as XinfoRow[];
  const columns: Column[] = info.map((c) => ({
    name: c.name,
    position: c.cid + 1,
    type: c.type || 'ANY',
    nullable: c.notnull === 0 && c.pk === 0,
    generated: c.hidden === 2 || c.hidden === 3,
    stats: null,
  }));
  const pkColumns = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  const count = db.prepare(`SELECT count(*) AS n FROM ${quoteIdentAlways(row.name)}`).get() as { n: number };
  const heapBytes = tableBytes(db, row.name);
  const indexBytes = indexes.filter((i) => i.table.name === row.name).reduce((sum, i) => sum + i.bytes, 0);
  return {
    schema: SCHEMA,
    name: row.name,
    kind: 'table',
    parent: null,
    rowEstimate: count.n,
    tableBytes: heapBytes,
    totalBytes: heapBytes + indexBytes,
    columns,
    primaryKey: pkColumns.length > 0 ? pkColumns : null,
    withoutRowid: row.wr === 1,
  };
}

/** Bytes of one b-tree from the dbstat virtual table (0 when SQLite lacks it). */
function tableBytes(db: Database.Database, name: string): number {
  try {
    const row = db.prepare(`SELECT coalesce(sum(pgsize), 0) AS bytes FROM dbstat WHERE name = ?`).get(name) as { bytes: number };
    return row.bytes;
  } catch {
    return 0;
  }
}

function readIndexes(db: Database.Database, table: string): Index[] {
  const list = db.prepare('SELECT * FROM pragma_index_list(?)').all(table) as IndexListRow[];
  return list.map((entry) => {
    const columns = db.prepare('SELECT * FROM pragma_index_xinfo(?)').all(entry.name) as IndexXinfoRow[];
    const sqlRow = db.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?`).get(entry.name) as
      | { sql: string | null }
      | undefined;
    const definition = sqlRow?.sql ?? `-- implicit index for ${entry.origin === 'pk' ? 'PRIMARY KEY' : 'UNIQUE'} on ${table}`;
    const keys: IndexKey[] = columns
      .filter((c) => c.key === 1)
      .map((c) => ({
        column: c.cid >= 0 ? c.name : null,
        expression: c.cid === -2 ? '<expression>' : null,
        descending: c.desc === 1,
        nullsFirst: c.desc === 0,
        opclass: null,
        collation: c.coll.toUpperCase() === 'BINARY' ? null : c.coll,
      }));
    return {
      schema: SCHEMA,
      name: entry.name,
      table: { schema: SCHEMA, name: table },
      method: 'btree',
      unique: entry.unique === 1,
      primary: entry.origin === 'pk',
      valid: true,
      keys,
      include: [],
      predicate: entry.partial === 1 ? predicateOf(definition) : null,
      definition,
      bytes: tableBytes(db, entry.name),
      constraint: entry.origin === 'c' ? null : entry.name,
      parentIndex: null,
    };
  });
}

/** The text after the last top-level WHERE of a CREATE INDEX statement. */
function predicateOf(sql: string): string | null {
  const match = /\bwhere\b([\s\S]*)$/i.exec(sql);
  return match?.[1]?.trim() ?? null;
}

function readForeignKeys(db: Database.Database, table: string, tables: readonly Table[]): ForeignKey[] {
  const rows = db.prepare('SELECT * FROM pragma_foreign_key_list(?)').all(table) as ForeignKeyRow[];
  const byId = new Map<number, ForeignKeyRow[]>();
  for (const row of rows) byId.set(row.id, [...(byId.get(row.id) ?? []), row]);
  return [...byId.entries()].map(([id, parts]) => {
    parts.sort((a, b) => a.seq - b.seq);
    const referenced = parts[0]?.table ?? '';
    const pk = tables.find((t) => t.name === referenced)?.primaryKey ?? [];
    return {
      schema: SCHEMA,
      name: `${table}_fk_${id}`,
      table: { schema: SCHEMA, name: table },
      columns: parts.map((p) => p.from),
      referencedTable: { schema: SCHEMA, name: referenced },
      referencedColumns: parts.map((p, i) => p.to ?? pk[i] ?? ''),
    };
  });
}
