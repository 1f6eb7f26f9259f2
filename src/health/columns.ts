/** Small pure helpers the static checks share: an index key's table column, its statistics. */
import { type Catalog, type Column, findTable, type Index, type IndexKey, type Table } from '../model/catalog.js';
import type { KeyColumn } from '../model/index-def.js';
import type { Threshold } from './check.js';

/** Shared by the statistics-based static checks: small tables are left out. */
export const MIN_TABLE_ROWS: Threshold = {
  name: 'min-table-rows',
  description: 'statistics-based checks look only at tables with at least this many rows',
  default: 10_000,
};

/** The table column a key is on (null for an expression key). */
export function keyColumnOf(catalog: Catalog, index: Index, key: IndexKey | undefined): Column | null {
  if (key === undefined || key.column === null) return null;
  return findTable(catalog, index.table)?.columns.find((c) => c.name === key.column) ?? null;
}

/** pg_stats.n_distinct as a count of values: negative values are a fraction of the rows. */
export function distinctValues(column: Column, table: Table): number | null {
  const n = column.stats?.nDistinct ?? null;
  if (n === null || n === 0) return null;
  if (n > 0) return n;
  return table.rowEstimate === null ? null : Math.round(-n * table.rowEstimate);
}

/** An ordinary, valid index of its own table (not a partition's copy of a parent index, not partial). */
export function isPlainBtree(index: Index): boolean {
  return index.method === 'btree' && index.valid && index.parentIndex === null && index.predicate === null;
}

export function isTimeType(type: string): boolean {
  return /^(timestamp\b|date$)/.test(type);
}

/**
 * The index's keys as a definition ddl.ts can write, or null when it cannot express them
 * (expressions, explicit collations).
 */
export function keysAsDefinition(index: Index): KeyColumn[] | null {
  const keys: KeyColumn[] = [];
  for (const k of index.keys) {
    if (k.column === null || k.collation !== null) return null;
    keys.push({
      column: k.column,
      descending: k.descending,
      nullsFirst: k.nullsFirst === k.descending ? null : k.nullsFirst,
      opclass: k.opclass,
    });
  }
  return keys;
}
