/** Looks a relation name up in the catalog the way PostgreSQL does (search_path), partitions mapped to their root. */
import { type Catalog, findTable, qualifiedKey, type QualifiedName, sameName, type Table, type View } from '../model/catalog.js';

export type RelationLookup =
  | { readonly kind: 'table'; readonly table: Table }
  | { readonly kind: 'view'; readonly view: View }
  | { readonly kind: 'system' }
  | { readonly kind: 'unknown'; readonly name: string };

const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema']);

export function lookupRelation(catalog: Catalog, schema: string | undefined, name: string): RelationLookup {
  if (schema !== undefined && SYSTEM_SCHEMAS.has(schema)) return { kind: 'system' };
  const schemas = schema === undefined ? catalog.searchPath : [schema];
  for (const s of schemas) {
    const table = findTable(catalog, { schema: s, name });
    if (table) return { kind: 'table', table: rootOf(catalog, table) };
    const view = catalog.views.find((v) => sameName(v, { schema: s, name }));
    if (view) return { kind: 'view', view };
  }
  // pg_catalog is searched implicitly: an unqualified pg_class, pg_stat_activity, … is a system relation.
  if (schema === undefined && (name.startsWith('pg_') || name === 'sqlite_schema' || name === 'sqlite_master')) {
    return { kind: 'system' };
  }
  return { kind: 'unknown', name: schema === undefined ? name : qualifiedKey(schema, name) };
}

/** A partition's root partitioned table: indexes are advised on the parent. */
export function rootOf(catalog: Catalog, table: Table): Table {
  let current = table;
  for (let depth = 0; current.parent !== null && depth < 32; depth++) {
    const parent: QualifiedName = current.parent;
    const next = findTable(catalog, parent);
    if (next === undefined) break;
    current = next;
  }
  return current;
}
