/**
 * One SQLite index as the catalog model describes it: keys from PRAGMA index_xinfo
 * (direction, collation — kept only when it differs from the column's declared one —,
 * expression text from the CREATE INDEX statement), its predicate, size and constraint.
 */
import type Database from 'better-sqlite3';
import type { Index, IndexKey } from '../../model/catalog.js';
import { indexKeyTexts } from './ddl-text.js';
import { isKeyword, significant, textOf, tokenize } from './tokens.js';

export interface IndexListRow {
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

/** Bytes of one b-tree from the dbstat virtual table (0 when SQLite lacks it). */
export function bytesOf(db: Database.Database, name: string): number {
  try {
    return (db.prepare('SELECT coalesce(sum(pgsize), 0) AS bytes FROM dbstat WHERE name = ?').get(name) as { bytes: number }).bytes;
  } catch {
    return 0;
  }
}

/** The text after the top-level WHERE of a CREATE INDEX statement. */
export function predicateOf(sql: string): string | null {
  const tokens = significant(tokenize(sql));
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const text = tokens[i]?.text;
    if (text === '(') depth++;
    else if (text === ')') depth--;
    else if (depth === 0 && isKeyword(tokens[i], 'WHERE')) return textOf(sql, tokens.slice(i + 1)).replace(/;\s*$/, '') || null;
  }
  return null;
}

/** A key's collation when it is not what the column (or, for an expression, BINARY) gives by default. */
function keyCollation(row: IndexXinfoRow, declared: ReadonlyMap<string, string>): string | null {
  const natural = row.name === null ? 'BINARY' : (declared.get(row.name.toLowerCase()) ?? 'BINARY');
  return row.coll.toUpperCase() === natural.toUpperCase() ? null : row.coll;
}

export function readIndex(db: Database.Database, table: string, entry: IndexListRow, declared: ReadonlyMap<string, string>): Index {
  const rows = (db.prepare('SELECT * FROM pragma_index_xinfo(?)').all(entry.name) as IndexXinfoRow[]).filter((c) => c.key === 1);
  const sqlRow = db.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?`).get(entry.name) as
    { sql: string | null } | undefined;
  const sql = sqlRow?.sql ?? null;
  const texts = sql === null ? [] : indexKeyTexts(sql);
  const keys: IndexKey[] = rows.map((c, i) => ({
    column: c.cid >= 0 ? c.name : c.cid === -1 ? 'rowid' : null,
    expression: c.cid === -2 ? (texts[i] ?? '<expression>') : null,
    descending: c.desc === 1,
    nullsFirst: c.desc === 1,
    opclass: null,
    collation: keyCollation(c, declared),
  }));
  return {
    schema: 'main',
    name: entry.name,
    table: { schema: 'main', name: table },
    method: 'btree',
    unique: entry.unique === 1,
    primary: entry.origin === 'pk',
    valid: true,
    keys,
    include: [],
    predicate: entry.partial === 1 && sql !== null ? predicateOf(sql) : null,
    definition: sql ?? `-- implicit index for ${entry.origin === 'pk' ? 'PRIMARY KEY' : 'UNIQUE'} on ${table}`,
    bytes: bytesOf(db, entry.name),
    constraint: entry.origin === 'c' ? null : entry.name,
    parentIndex: null,
  };
}
