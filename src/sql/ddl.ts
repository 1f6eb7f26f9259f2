/**
 * The one place that writes CREATE INDEX and DROP INDEX. Identifiers go through
 * quoteIdent; predicates come from the analysis, which builds them from parse-tree
 * parts (quoted names, escaped literals), never from raw user text.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';
import { type QualifiedName, qualifiedKey } from '../model/catalog.js';
import { INDEX_METHODS, type IndexDef, type IndexMethod, type KeyColumn } from '../model/index-def.js';
import type { Dialect } from './dialect.js';
import { formatQualified, quoteIdent, quoteIdentIn } from './names.js';

const MAX_IDENTIFIER_BYTES = 63;

function shortHash(text: string, length: number): string {
  return createHash('sha1').update(text).digest('hex').slice(0, length);
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'x'
  );
}

/** An expression with an operator (`payload -> 'a'` and `payload ->> 'a'` slug alike): its name needs a hash. */
const OPERATOR_CHARACTERS = /[^A-Za-z0-9_(),.'" :]/;

/**
 * A readable, deterministic name: idx_<table>_<columns> (an expression key slugged:
 * `lower(email)` → lower_email), with a short hash when the index has INCLUDE columns, a
 * predicate, a key collation or an expression with an operator, cut to PostgreSQL's 63
 * bytes with a hash of the whole when longer. An index of another method than the b-tree
 * ends with what it is: `_trgm` for a trigram index, else the method (`_gin`, `_gist`,
 * `_spgist`), after the operator class a GiST or SP-GiST key names (`_kd_point_spgist`:
 * two classes of one method on one column are two indexes).
 */
export function indexName(def: IndexDef): string {
  const columns = def.keys.map((k) => slug(k.column)).join('_');
  let name = `idx_${slug(def.table.name)}_${columns}${methodSuffix(def)}`;
  const collations = def.keys.some((k) => k.collation) ? `|${def.keys.map((k) => k.collation ?? '').join(',')}` : '';
  const operators = def.keys.some((k) => k.expression && OPERATOR_CHARACTERS.test(k.column))
    ? `|${def.keys.map((k) => k.column).join(',')}`
    : '';
  if (def.include.length > 0 || def.where !== null || collations !== '' || operators !== '')
    name += `_${shortHash(`${def.include.join(',')}|${def.where ?? ''}${collations}${operators}`, 6)}`;
  if (Buffer.byteLength(name) <= MAX_IDENTIFIER_BYTES) return name;
  const full = `${qualifiedKey(def.table.schema, name)}|${def.keys.map((k) => k.column).join(',')}`;
  return `${name.slice(0, MAX_IDENTIFIER_BYTES - 9)}_${shortHash(full, 8)}`;
}

function methodSuffix(def: IndexDef): string {
  if (def.method === 'btree') return '';
  if (def.keys.some((k) => k.opclass?.endsWith('_trgm_ops'))) return '_trgm';
  const named = def.method === 'gist' || def.method === 'spgist' ? def.keys.flatMap((k) => (k.opclass ? [k.opclass] : [])) : [];
  return `${named.map((c) => `_${slug(c.replace(/_ops$/, ''))}`).join('')}_${def.method}`;
}

/** A collation name: SQLite's built-in ones (BINARY, NOCASE, RTRIM) plain, others quoted where needed. */
function collationSql(name: string, dialect: Dialect): string {
  return dialect === 'sqlite' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name.toUpperCase() : quoteIdentIn(name, dialect);
}

/**
 * One key as CREATE INDEX writes it: a column quoted where needed, an expression in
 * parentheses (`(lower(email))`; its text was deparsed from the parse tree, never pasted
 * from input). SQLite has no operator classes and no NULLS FIRST/LAST in an index.
 */
export function keySql(key: KeyColumn, dialect: Dialect = 'postgres'): string {
  let sql = key.expression ? `(${key.column})` : quoteIdentIn(key.column, dialect);
  if (key.collation) sql += ` COLLATE ${collationSql(key.collation, dialect)}`;
  if (key.opclass && dialect === 'postgres') sql += ` ${key.opclass}`;
  if (key.descending) sql += ' DESC';
  if (key.nullsFirst !== null && dialect === 'postgres') sql += key.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
  return sql;
}

export interface CreateIndexOptions {
  readonly name?: string;
  readonly concurrently?: boolean;
  readonly ifNotExists?: boolean;
  /** SQLite has no USING, INCLUDE or CONCURRENTLY. */
  readonly dialect?: Dialect;
  readonly unique?: boolean;
  /** ON ONLY: the parent's index of a partitioned table, without recursing into its partitions. */
  readonly only?: boolean;
}

/** The access method, from the closed list only (a definition read from a file is input); absent in old advice: btree. */
function methodSql(method: IndexMethod | undefined): IndexMethod {
  if (method === undefined) return 'btree';
  if (!INDEX_METHODS.includes(method)) throw new InputError(`unknown index method ${JSON.stringify(method).slice(0, 40)}`);
  return method;
}

export function createIndexSql(def: IndexDef, options: CreateIndexOptions = {}): string {
  const sqlite = options.dialect === 'sqlite';
  const parts = [options.unique ? 'CREATE UNIQUE INDEX' : 'CREATE INDEX'];
  if (options.concurrently && !sqlite) parts.push('CONCURRENTLY');
  if (options.ifNotExists) parts.push('IF NOT EXISTS');
  parts.push(
    quoteIdentIn(options.name ?? indexName(def), options.dialect ?? 'postgres'),
    options.only && !sqlite ? 'ON ONLY' : 'ON',
    sqlite ? quoteIdentIn(def.table.name, 'sqlite') : formatQualified(def.table),
  );
  let sql = `${parts.join(' ')} ${sqlite ? '' : `USING ${methodSql(def.method)} `}(${def.keys.map((k) => keySql(k, options.dialect)).join(', ')})`;
  if (def.include.length > 0 && !sqlite) sql += ` INCLUDE (${def.include.map(quoteIdent).join(', ')})`;
  if (def.where !== null) sql += ` WHERE ${def.where}`;
  return sql;
}

/**
 * `CREATE EXTENSION IF NOT EXISTS name`: what an index needs before it (pg_trgm's operator
 * classes). Names come from a fixed list (model/index-def.ts), never from input.
 */
export function createExtensionSql(name: string): string {
  return `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(name)}`;
}

export function dropIndexSql(
  index: QualifiedName,
  options: { concurrently?: boolean; ifExists?: boolean; dialect?: Dialect } = {},
): string {
  const sqlite = options.dialect === 'sqlite';
  const parts = ['DROP INDEX'];
  if (options.concurrently && !sqlite) parts.push('CONCURRENTLY');
  if (options.ifExists) parts.push('IF EXISTS');
  parts.push(sqlite ? quoteIdentIn(index.name, 'sqlite') : formatQualified(index));
  return parts.join(' ');
}

/** Attaches a partition's index to its partitioned parent's index (built ON ONLY). */
export function attachIndexSql(parent: QualifiedName, child: QualifiedName): string {
  return `ALTER INDEX ${formatQualified(parent)} ATTACH PARTITION ${formatQualified(child)}`;
}

const CREATE_INDEX = /^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?/i;
/** `name ON ONLY table`: the index of a partitioned parent, as pg_get_indexdef prints it. */
const ON_ONLY = /^("(?:[^"]|"")+"|\S+)\s+ON\s+ONLY\s+/i;

/** A CREATE INDEX statement (not the note SQLite's catalog gives an index a constraint made for itself). */
export function isIndexDefinition(text: string): boolean {
  return CREATE_INDEX.test(text);
}

/** The definition is a partitioned parent's index (`… ON ONLY table …`). */
export function isPartitionedDefinition(definition: string): boolean {
  const match = CREATE_INDEX.exec(definition);
  return match !== null && ON_ONLY.test(definition.slice(match[0].length).trim());
}

/**
 * An index's definition as the database printed it (pg_get_indexdef, sqlite_schema.sql),
 * rewritten to build it again: CONCURRENTLY and IF NOT EXISTS where asked. A partitioned
 * parent's `ON ONLY` becomes `ON` (recreating it must cover the partitions too), and such an
 * index cannot be built concurrently.
 */
export function recreateIndexSql(
  definition: string,
  options: { concurrently?: boolean; ifNotExists?: boolean; dialect?: Dialect } = {},
): string {
  const match = CREATE_INDEX.exec(definition);
  if (!match) throw new InputError(`not an index definition: ${definition.slice(0, 60)}`);
  let rest = definition.slice(match[0].length).trim().replace(/;\s*$/, '');
  const partitioned = ON_ONLY.test(rest);
  if (partitioned) rest = rest.replace(ON_ONLY, '$1 ON ');
  const parts = [match[1] ? 'CREATE UNIQUE INDEX' : 'CREATE INDEX'];
  if (options.concurrently && options.dialect !== 'sqlite' && !partitioned) parts.push('CONCURRENTLY');
  if (options.ifNotExists) parts.push('IF NOT EXISTS');
  return `${parts.join(' ')} ${rest}`;
}
