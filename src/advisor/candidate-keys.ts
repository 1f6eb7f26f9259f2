/**
 * Small rules for the key columns of a candidate, where engines differ: the collation a
 * comparison needs, the key a `LIKE 'abc%'` needs, the rowid SQLite keeps at the end of
 * every index, a covering variant without INCLUDE. Pure.
 */
import type { Filter, JoinKey, KeyExpression, SortKey } from '../model/analysis.js';
import type { Table } from '../model/catalog.js';
import { type IndexDef, type KeyColumn, keyColumn } from '../model/index-def.js';

/** How a `LIKE 'abc%'` is served: PostgreSQL's text_pattern_ops, or SQLite's NOCASE collation (LIKE ignores case there). */
export const LIKE_PREFIX_KEYS = ['text_pattern_ops', 'nocase'] as const;
export type LikePrefixKey = (typeof LIKE_PREFIX_KEYS)[number];

/** The collation a key needs so the comparison can use it: null when the column's own one does. */
export function keyCollation(wanted: string | undefined, table: Table, column: string): string | null {
  if (wanted === undefined) return null;
  const declared = table.columns.find((c) => c.name === column)?.collation ?? null;
  if (declared !== null) return declared.toLowerCase() === wanted.toLowerCase() ? null : wanted;
  return wanted.toLowerCase() === 'binary' ? null : wanted;
}

/** The expression an expression key is (`lower(email)`), as a key part option; nothing for a column. */
function expressionOf(key: { readonly expression?: KeyExpression }): Pick<KeyColumn, 'expression'> {
  return key.expression === undefined ? {} : { expression: key.expression };
}

export function equalityKey(column: string, filters: readonly Filter[], table: Table): KeyColumn {
  const collation = filters.find((f) => f.column === column && f.collation !== undefined)?.collation;
  const filter = filters.find((f) => f.column === column) ?? {};
  return keyColumn(column, { collation: keyCollation(collation, table, column), ...expressionOf(filter) });
}

/** A join key: the column, or the expression (`lower(a.email) = lower(b.email)`). */
export function joinKey(join: JoinKey): KeyColumn {
  return keyColumn(join.column, expressionOf(join));
}

export function rangeKey(filter: Filter, table: Table, likePrefix: LikePrefixKey): KeyColumn {
  if (filter.kind !== 'prefix')
    return keyColumn(filter.column, { collation: keyCollation(filter.collation, table, filter.column), ...expressionOf(filter) });
  if (likePrefix === 'text_pattern_ops') return keyColumn(filter.column, { opclass: 'text_pattern_ops' });
  return keyColumn(filter.column, { collation: keyCollation('NOCASE', table, filter.column) });
}

export function sortKey(sort: SortKey, table: Table): KeyColumn {
  return keyColumn(sort.column, {
    descending: sort.descending,
    nullsFirst: sort.nullsFirst,
    collation: keyCollation(sort.collation, table, sort.column),
    ...expressionOf(sort),
  });
}

const ROWID_NAMES = ['rowid', '_rowid_', 'oid'];

/** The column is SQLite's rowid (or the INTEGER PRIMARY KEY that aliases it). */
export function isRowid(column: string, table: Table): boolean {
  if (table.rowidAlias !== undefined && table.rowidAlias !== null && column === table.rowidAlias) return true;
  return (
    table.rowidAlias !== undefined &&
    !table.withoutRowid &&
    ROWID_NAMES.includes(column.toLowerCase()) &&
    !table.columns.some((c) => c.name === column)
  );
}

/**
 * Keys up to the rowid: SQLite ends every index with it, and looks rows up by it
 * directly, so a key on it adds nothing (and an index that starts with it, less).
 */
export function upToRowid(keys: readonly KeyColumn[], table: Table): KeyColumn[] {
  const at = keys.findIndex((k) => isRowid(k.column, table));
  return at < 0 ? [...keys] : keys.slice(0, at);
}

/** Columns every SQLite index holds anyway: the rowid, or a WITHOUT ROWID table's primary key. */
export function storedAnyway(table: Table): Set<string> {
  if (table.withoutRowid) return new Set(table.primaryKey ?? []);
  return new Set(table.rowidAlias ? [table.rowidAlias] : []);
}

/**
 * Without INCLUDE, a covering index stores the other columns as trailing keys — unless
 * it would then hold every column: a second copy of the table.
 */
export function coveringByKeys(def: IndexDef, extra: readonly string[], table: Table): IndexDef | null {
  const keys = upToRowid([...def.keys, ...extra.map((c) => keyColumn(c))], table);
  const held = new Set([...keys.map((k) => k.column), ...storedAnyway(table)]);
  if (table.columns.every((c) => c.generated || held.has(c.name))) return null;
  return keys.length > def.keys.length ? { ...def, keys } : null;
}

/** Two keys use the same collation (null: the column's own). */
export function sameCollation(a: string | null | undefined, b: string | null | undefined): boolean {
  return (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
}
