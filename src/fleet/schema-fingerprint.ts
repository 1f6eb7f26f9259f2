/**
 * A stable fingerprint of a schema: its tables, their columns and types, and their indexes
 * (what they index, not what they are called or how big they are). Databases with the same
 * fingerprint are one schema group: the same advice fits them all.
 */
import { createHash } from 'node:crypto';
import type { Catalog, Index, QualifiedName } from '../model/catalog.js';

const key = (name: QualifiedName) => `${name.schema}.${name.name}`;

function indexShape(index: Index): string {
  const keys = index.keys.map((k) =>
    [k.column ?? k.expression, k.descending ? 'desc' : '', k.nullsFirst ? 'nulls first' : '', k.opclass ?? '', k.collation ?? ''].join(' '),
  );
  return [
    key(index.table),
    index.method,
    index.unique ? 'unique' : '',
    index.primary ? 'primary' : '',
    keys.join(','),
    index.include.join(','),
    index.predicate ?? '',
    index.valid ? '' : 'invalid',
  ].join('|');
}

/** The canonical text the fingerprint hashes: one line per table, column set and index, sorted. */
export function schemaShape(catalog: Catalog): string[] {
  const tables = catalog.tables.map((t) => {
    const columns = [...t.columns]
      .sort((a, b) => a.position - b.position)
      .map((c) => `${c.name} ${c.type}${c.nullable ? '' : ' not null'}`);
    return `table ${key(t)} ${t.kind} (${columns.join(', ')})`;
  });
  const indexes = catalog.indexes.map((i) => `index ${indexShape(i)}`);
  return [...tables, ...indexes].sort();
}

/** 16 hex digits of SHA-256 over schemaShape. */
export function schemaFingerprint(catalog: Catalog): string {
  return createHash('sha256').update(schemaShape(catalog).join('\n')).digest('hex').slice(0, 16);
}
