/**
 * An index that does not exist yet: what the advisor proposes and the migration
 * writes. Column names are unquoted; src/sql/ddl.ts turns them into SQL.
 */
import { type QualifiedName, qualifiedKey } from './catalog.js';

export interface KeyColumn {
  readonly column: string;
  readonly descending: boolean;
  /** null: the default for the direction. */
  readonly nullsFirst: boolean | null;
  /** e.g. text_pattern_ops for LIKE 'abc%' under a non-C collation. */
  readonly opclass: string | null;
  /** A collation other than the column's own (SQLite: NOCASE for `COLLATE NOCASE` comparisons). */
  readonly collation?: string | null;
}

export interface IndexDef {
  readonly table: QualifiedName;
  readonly keys: readonly KeyColumn[];
  readonly include: readonly string[];
  /** A partial index's predicate, in SQL (`deleted_at IS NULL AND status = 'open'`). */
  readonly where: string | null;
  readonly method: 'btree';
  readonly unique: false;
}

export function keyColumn(column: string, options: Partial<Omit<KeyColumn, 'column'>> = {}): KeyColumn {
  const key = { column, descending: options.descending ?? false, nullsFirst: options.nullsFirst ?? null, opclass: options.opclass ?? null };
  return options.collation ? { ...key, collation: options.collation } : key;
}

/** A stable identity: two definitions with the same id build the same index. */
export function indexId(def: IndexDef): string {
  const keys = def.keys.map(
    (k) =>
      `${k.column}${k.collation ? ` collate ${k.collation.toLowerCase()}` : ''}${k.descending ? ' desc' : ''}${k.nullsFirst === null ? '' : k.nullsFirst ? ' nf' : ' nl'}${k.opclass ? ` ${k.opclass}` : ''}`,
  );
  return (
    `${qualifiedKey(def.table)}(${keys.join(',')})` +
    (def.include.length ? ` include(${def.include.join(',')})` : '') +
    (def.where ? ` where ${def.where}` : '')
  );
}
