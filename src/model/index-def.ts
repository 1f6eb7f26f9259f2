/**
 * An index that does not exist yet: what the advisor proposes and the migration
 * writes. Column names are unquoted; src/sql/ddl.ts turns them into SQL. An expression
 * key holds the expression's SQL in `column` (deparsed from the query, columns
 * unqualified) and is written `(expr)` in CREATE INDEX.
 */
import type { KeyExpression } from './analysis.js';
import { type QualifiedName, qualifiedKey } from './catalog.js';

export interface KeyColumn {
  /** The column's name, or an expression's SQL when `expression` is set. */
  readonly column: string;
  /** The key is an expression of the table's columns (`lower(email)`), reading these columns. */
  readonly expression?: KeyExpression;
  readonly descending: boolean;
  /** null: the default for the direction. */
  readonly nullsFirst: boolean | null;
  /** e.g. text_pattern_ops for LIKE 'abc%' under a non-C collation. */
  readonly opclass: string | null;
  /** A collation other than the column's own (SQLite: NOCASE for `COLLATE NOCASE` comparisons). */
  readonly collation?: string | null;
}

/** Index access methods the advisor proposes (PostgreSQL's names; SQLite has b-trees only). */
export const INDEX_METHODS = ['btree', 'gin', 'gist', 'spgist', 'brin', 'hash'] as const;
export type IndexMethod = (typeof INDEX_METHODS)[number];

/** Each method as PostgreSQL's documentation spells it, for messages and comments. */
export const METHOD_NAMES: Readonly<Record<IndexMethod, string>> = {
  btree: 'B-tree',
  gin: 'GIN',
  gist: 'GiST',
  spgist: 'SP-GiST',
  brin: 'BRIN',
  hash: 'hash',
};

/**
 * Operator classes that come with an extension, not with PostgreSQL itself: an index
 * using one needs `CREATE EXTENSION` first (pg_trgm's trigram classes; btree_gin and
 * btree_gist for scalar columns in a GIN or GiST index).
 */
const OPCLASS_EXTENSIONS: Readonly<Record<string, string>> = {
  gin_trgm_ops: 'pg_trgm',
  gist_trgm_ops: 'pg_trgm',
};

/** The extensions an index needs installed before it can be built, in key order. */
export function extensionsFor(def: IndexDef): string[] {
  const names = def.keys.flatMap((k) => {
    const extension = k.opclass === null ? undefined : OPCLASS_EXTENSIONS[k.opclass];
    return extension === undefined ? [] : [extension];
  });
  return [...new Set(names)];
}

export interface IndexDef {
  readonly table: QualifiedName;
  readonly keys: readonly KeyColumn[];
  readonly include: readonly string[];
  /** A partial index's predicate, in SQL (`deleted_at IS NULL AND status = 'open'`). */
  readonly where: string | null;
  readonly method: IndexMethod;
  readonly unique: false;
}

export function keyColumn(column: string, options: Partial<Omit<KeyColumn, 'column'>> = {}): KeyColumn {
  const key = { column, descending: options.descending ?? false, nullsFirst: options.nullsFirst ?? null, opclass: options.opclass ?? null };
  const collated = options.collation ? { ...key, collation: options.collation } : key;
  return options.expression ? { ...collated, expression: { reads: [...options.expression.reads] } } : collated;
}

/** The table's columns a key reads: the column itself, or those its expression reads. */
export function keyReads(key: KeyColumn): readonly string[] {
  return key.expression ? key.expression.reads : [key.column];
}

/** A stable identity: two definitions with the same id build the same index. */
export function indexId(def: IndexDef): string {
  const keys = def.keys.map(
    (k) =>
      `${k.expression ? `(${k.column})` : k.column}${k.collation ? ` collate ${k.collation.toLowerCase()}` : ''}${k.descending ? ' desc' : ''}${k.nullsFirst === null ? '' : k.nullsFirst ? ' nf' : ' nl'}${k.opclass ? ` ${k.opclass}` : ''}`,
  );
  return (
    `${qualifiedKey(def.table)}(${keys.join(',')})` +
    (def.include.length ? ` include(${def.include.join(',')})` : '') +
    (def.where ? ` where ${def.where}` : '') +
    // b-tree ids stay as they were before other methods existed
    (def.method === 'btree' ? '' : ` using ${def.method}`)
  );
}
