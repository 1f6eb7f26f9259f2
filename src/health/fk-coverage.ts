/**
 * Which indexes serve a foreign key: a valid, non-partial btree index whose leading
 * key columns are exactly the foreign key's columns, in any order (a single-column hash
 * index serves a single-column key too). `(fk, other)` serves fk; `(other, fk)` does not.
 * Pure rules over the catalog, shared by unindexed-foreign-key and unused-index.
 */
import { type Catalog, type ForeignKey, type Index, type QualifiedName, sameName } from '../model/catalog.js';

export function servesColumns(index: Index, columns: readonly string[]): boolean {
  if (!index.valid || index.predicate !== null || columns.length === 0) return false;
  if (index.method === 'hash') return columns.length === 1 && index.keys.length === 1 && index.keys[0]?.column === columns[0];
  if (index.method !== 'btree' || index.keys.length < columns.length) return false;
  const leading = index.keys.slice(0, columns.length).map((k) => k.column);
  return leading.every((column) => column !== null && columns.includes(column)) && new Set(leading).size === columns.length;
}

/**
 * A foreign key is covered when its table has a serving index, or — for a partitioned
 * table — when every partition is covered in turn (indexes built per partition).
 */
export function isForeignKeyCovered(catalog: Catalog, fk: ForeignKey): boolean {
  return coveredOn(catalog, fk.table, fk.columns, 0);
}

function coveredOn(catalog: Catalog, table: QualifiedName, columns: readonly string[], depth: number): boolean {
  if (catalog.indexes.some((index) => sameName(index.table, table) && servesColumns(index, columns))) return true;
  const partitions = catalog.tables.filter((t) => t.parent !== null && sameName(t.parent, table));
  return depth < 32 && partitions.length > 0 && partitions.every((p) => coveredOn(catalog, p, columns, depth + 1));
}

/** Foreign keys an index serves (so dropping it would slow their checks), including a parent table's. */
export function foreignKeysServedBy(catalog: Catalog, index: Index): ForeignKey[] {
  const tables = [index.table, ...ancestors(catalog, index.table)];
  return catalog.foreignKeys.filter((fk) => tables.some((t) => sameName(t, fk.table)) && servesColumns(index, fk.columns));
}

function ancestors(catalog: Catalog, table: QualifiedName): QualifiedName[] {
  const found: QualifiedName[] = [];
  let parent = catalog.tables.find((t) => sameName(t, table))?.parent ?? null;
  while (parent !== null && found.length < 32) {
    found.push(parent);
    const current: QualifiedName = parent;
    parent = catalog.tables.find((t) => sameName(t, current))?.parent ?? null;
  }
  return found;
}
