/**
 * The one place that writes CREATE INDEX and DROP INDEX. Identifiers go through
 * quoteIdent; predicates come from the analysis, which builds them from parse-tree
 * parts (quoted names, escaped literals), never from raw user text.
 */
import { createHash } from 'node:crypto';
import type { QualifiedName } from '../model/catalog.js';
import type { IndexDef, KeyColumn } from '../model/index-def.js';
import { formatQualified, quoteIdent } from '../model/names.js';

const MAX_IDENTIFIER_BYTES = 63;

function shortHash(text: string, length: number): string {
  return createHash('sha1').update(text).digest('hex').slice(0, length);
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'x';
}

/**
 * A readable, deterministic name: idx_<table>_<columns>, with a short hash when the
 * index has INCLUDE columns or a predicate, cut to PostgreSQL's 63 bytes with a hash
 * of the whole when longer.
 */
export function indexName(def: IndexDef): string {
  const columns = def.keys.map((k) => slug(k.column)).join('_');
  let name = `idx_${slug(def.table.name)}_${columns}`;
  if (def.include.length > 0 || def.where !== null) name += `_${shortHash(`${def.include.join(',')}|${def.where ?? ''}`, 6)}`;
  if (Buffer.byteLength(name) <= MAX_IDENTIFIER_BYTES) return name;
  const full = `${def.table.schema}.${name}|${def.keys.map((k) => k.column).join(',')}`;
  return `${name.slice(0, MAX_IDENTIFIER_BYTES - 9)}_${shortHash(full, 8)}`;
}

export function keySql(key: KeyColumn): string {
  let sql = quoteIdent(key.column);
  if (key.opclass) sql += ` ${key.opclass}`;
  if (key.descending) sql += ' DESC';
  if (key.nullsFirst !== null) sql += key.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
  return sql;
}

export interface CreateIndexOptions {
  readonly name?: string;
  readonly concurrently?: boolean;
  readonly ifNotExists?: boolean;
  /** SQLite has no USING, INCLUDE or CONCURRENTLY. */
  readonly dialect?: 'postgres' | 'sqlite';
}

export function createIndexSql(def: IndexDef, options: CreateIndexOptions = {}): string {
  const sqlite = options.dialect === 'sqlite';
  const parts = ['CREATE INDEX'];
  if (options.concurrently && !sqlite) parts.push('CONCURRENTLY');
  if (options.ifNotExists) parts.push('IF NOT EXISTS');
  parts.push(quoteIdent(options.name ?? indexName(def)), 'ON', sqlite ? quoteIdent(def.table.name) : formatQualified(def.table));
  let sql = `${parts.join(' ')} ${sqlite ? '' : 'USING btree '}(${def.keys.map(keySql).join(', ')})`;
  if (def.include.length > 0 && !sqlite) sql += ` INCLUDE (${def.include.map(quoteIdent).join(', ')})`;
  if (def.where !== null) sql += ` WHERE ${def.where}`;
  return sql;
}

export function dropIndexSql(index: QualifiedName, options: { concurrently?: boolean; ifExists?: boolean; dialect?: 'postgres' | 'sqlite' } = {}): string {
  const sqlite = options.dialect === 'sqlite';
  const parts = ['DROP INDEX'];
  if (options.concurrently && !sqlite) parts.push('CONCURRENTLY');
  if (options.ifExists) parts.push('IF EXISTS');
  parts.push(sqlite ? quoteIdent(index.name) : formatQualified(index));
  return parts.join(' ');
}

/** How the index's columns read in a report: `user_id, created_at DESC`. */
export function describeKeys(def: IndexDef): string {
  return def.keys.map(keySql).join(', ');
}
