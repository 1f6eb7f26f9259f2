/**
 * table-without-primary-key: a table (or partitioned table) with no primary key. Rows
 * cannot be identified reliably: logical replication cannot replicate its UPDATEs and
 * DELETEs (without REPLICA IDENTITY FULL), and many tools and ORMs need a key. Partitions
 * follow their parent and are not reported. When a valid unique index on NOT NULL columns
 * exists on an ordinary table, the fix promotes it. A pure rule over the catalog.
 */
import type { Catalog, Index, Table } from '../../model/catalog.js';
import { indexesOf } from '../../model/catalog.js';
import type { Finding } from '../../model/finding.js';
import { formatQualified, quoteIdent } from '../../sql/names.js';
import type { Check } from '../check.js';

/** A unique index PostgreSQL accepts for ADD PRIMARY KEY USING INDEX: plain NOT NULL columns, default order, not partial. */
export function promotableIndex(catalog: Catalog, table: Table): Index | null {
  if (table.kind !== 'table') return null;
  const candidates = indexesOf(catalog, table).filter(
    (index) =>
      index.unique &&
      index.valid &&
      index.method === 'btree' &&
      index.predicate === null &&
      index.include.length === 0 &&
      index.keys.every(
        (k) => k.column !== null && !k.descending && !k.nullsFirst && table.columns.find((c) => c.name === k.column)?.nullable === false,
      ),
  );
  return candidates.sort((a, b) => a.keys.length - b.keys.length || a.name.localeCompare(b.name))[0] ?? null;
}

export function findTablesWithoutPrimaryKey(catalog: Catalog): Table[] {
  return catalog.tables.filter((t) => (t.kind === 'table' || t.kind === 'partitioned') && t.primaryKey === null);
}

function toFinding(catalog: Catalog, table: Table): Finding {
  const name = formatQualified(table);
  const promotable = promotableIndex(catalog, table);
  const hint = promotable ? `: ${formatQualified(promotable)} can become it` : '';
  return {
    check: 'table-without-primary-key',
    severity: 'warning',
    table: name,
    index: null,
    message: `${name} has no primary key: its rows cannot be identified reliably (logical replication, tools, ORMs)${hint}`,
    evidence: {
      bytes: table.tableBytes,
      rows: table.rowEstimate,
      kind: table.kind,
      promotableIndex: promotable ? formatQualified(promotable) : null,
    },
    fixSql: promotable ? `ALTER TABLE ${name} ADD PRIMARY KEY USING INDEX ${quoteIdent(promotable.name)};` : null,
  };
}

export const tableWithoutPrimaryKey: Check = {
  id: 'table-without-primary-key',
  family: 'static',
  description: 'tables with no primary key: rows cannot be identified for replication, tools and ORMs',
  thresholds: [],
  engines: ['postgres'],
  async run({ catalog }) {
    return findTablesWithoutPrimaryKey(catalog).map((table) => toFinding(catalog, table));
  },
};
