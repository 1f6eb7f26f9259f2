/**
 * low-cardinality-index: a btree index on one column with very few distinct values
 * (pg_stats.n_distinct at most --low-cardinality-max-distinct, on tables of at least
 * --min-table-rows rows), or any btree index that leads with a boolean column. Such an
 * index finds a large share of the table for most values: the planner prefers a
 * sequential scan, and the index is written on every change. A partial index on the rare
 * value(s) serves the queries that need one. Unique and constraint indexes are left alone.
 * A pure rule over the catalog and its statistics.
 */
import { type Catalog, findTable, type Index } from '../../model/catalog.js';
import type { Finding } from '../../model/finding.js';
import { formatQualified, quoteIdent } from '../../sql/names.js';
import type { Check } from '../check.js';
import { distinctValues, isPlainBtree, keyColumnOf, MIN_TABLE_ROWS } from '../columns.js';

export interface LowCardinality {
  readonly index: Index;
  readonly column: string;
  readonly boolean: boolean;
  readonly distinct: number | null;
  readonly rows: number | null;
}

export function findLowCardinality(catalog: Catalog, maxDistinct: number, minRows: number): LowCardinality[] {
  const found: LowCardinality[] = [];
  for (const index of catalog.indexes) {
    if (!isPlainBtree(index) || index.unique || index.constraint !== null) continue;
    const column = keyColumnOf(catalog, index, index.keys[0]);
    const table = findTable(catalog, index.table);
    if (column === null || table === undefined) continue;
    const distinct = distinctValues(column, table);
    const boolean = column.type === 'boolean';
    const few = index.keys.length === 1 && distinct !== null && distinct <= maxDistinct && (table.rowEstimate ?? 0) >= minRows;
    if (boolean || few) found.push({ index, column: column.name, boolean, distinct, rows: table.rowEstimate });
  }
  return found;
}

function toFinding(item: LowCardinality): Finding {
  const index = formatQualified(item.index);
  const column = quoteIdent(item.column);
  const why = item.boolean
    ? `leads with the boolean column ${column}`
    : `is on ${column}, which has only ${item.distinct} distinct values in ${Math.round(item.rows ?? 0)} rows`;
  return {
    check: 'low-cardinality-index',
    severity: 'info',
    table: formatQualified(item.index.table),
    index,
    message: `${index} ${why}: most values match too many rows to use it; a partial index on the rare value (WHERE ${column} = …) is smaller and serves those queries`,
    evidence: {
      bytes: item.index.bytes,
      column: item.column,
      boolean: item.boolean,
      distinctValues: item.distinct,
      rows: item.rows,
      definition: item.index.definition,
    },
    fixSql: null,
  };
}

export const lowCardinalityIndex: Check = {
  id: 'low-cardinality-index',
  family: 'static',
  description: 'indexes on a boolean or a column with very few distinct values: a partial index on the rare value serves better',
  thresholds: [
    {
      name: 'low-cardinality-max-distinct',
      description: 'a column with at most this many distinct values is low-cardinality',
      default: 10,
    },
    MIN_TABLE_ROWS,
  ],
  engines: ['postgres'],
  async run({ catalog, thresholds }) {
    return findLowCardinality(
      catalog,
      thresholds['low-cardinality-max-distinct'] ?? 10,
      thresholds[MIN_TABLE_ROWS.name] ?? MIN_TABLE_ROWS.default,
    ).map(toFinding);
  },
};
