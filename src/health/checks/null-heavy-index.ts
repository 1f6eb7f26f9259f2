/**
 * null-heavy-index: a btree index whose leading column is mostly NULL (pg_stats.null_frac
 * at least --null-heavy-fraction, on tables of at least --min-table-rows rows). Unless
 * queries look for NULLs through it, a partial index WHERE col IS NOT NULL serves the same
 * queries at a fraction of the size and write cost. The fix builds that index and drops
 * this one. Unique and constraint indexes are left alone. A pure rule over the catalog.
 */
import type { EngineInfo } from '../../engines/engine.js';
import { type Catalog, findTable, type Index } from '../../model/catalog.js';
import type { Finding } from '../../model/finding.js';
import { formatQualified, quoteIdent } from '../../sql/names.js';
import type { Check } from '../check.js';
import { isPlainBtree, keyColumnOf, keysAsDefinition, MIN_TABLE_ROWS } from '../columns.js';
import { createIndexFix, dropIndexFix } from '../../sql/fix.js';

export interface NullHeavy {
  readonly index: Index;
  readonly column: string;
  readonly nullFraction: number;
  readonly rows: number;
}

export function findNullHeavy(catalog: Catalog, minFraction: number, minRows: number): NullHeavy[] {
  const found: NullHeavy[] = [];
  for (const index of catalog.indexes) {
    if (!isPlainBtree(index) || index.unique || index.constraint !== null) continue;
    const column = keyColumnOf(catalog, index, index.keys[0]);
    const rows = findTable(catalog, index.table)?.rowEstimate ?? 0;
    const nullFraction = column?.stats?.nullFrac ?? 0;
    if (column !== null && nullFraction >= minFraction && rows >= minRows) found.push({ index, column: column.name, nullFraction, rows });
  }
  return found;
}

/** CREATE the partial index, then DROP this one; null when ddl.ts cannot write the keys (expressions, collations). */
function partialFix(info: EngineInfo, catalog: Catalog, item: NullHeavy): string | null {
  const keys = keysAsDefinition(item.index);
  if (keys === null) return null;
  const where = `${quoteIdent(item.column)} IS NOT NULL`;
  const create = createIndexFix(info, catalog, {
    table: item.index.table,
    keys,
    include: item.index.include,
    where,
    method: 'btree',
    unique: false,
  });
  return `${create}\n${dropIndexFix(info, catalog, item.index)}`;
}

function toFinding(info: EngineInfo, catalog: Catalog, item: NullHeavy): Finding {
  const index = formatQualified(item.index);
  const column = quoteIdent(item.column);
  const percent = Math.round(item.nullFraction * 100);
  return {
    check: 'null-heavy-index',
    severity: 'info',
    table: formatQualified(item.index.table),
    index,
    message: `${index} leads with ${column}, which is NULL in ${percent}% of the rows: unless queries look for NULLs through it, a partial index WHERE ${column} IS NOT NULL is about ${percent}% smaller`,
    evidence: {
      bytes: item.index.bytes,
      column: item.column,
      nullFraction: Math.round(item.nullFraction * 1000) / 1000,
      rows: item.rows,
      savedBytes: Math.round(item.index.bytes * item.nullFraction),
      definition: item.index.definition,
    },
    fixSql: partialFix(info, catalog, item),
  };
}

export const nullHeavyIndex: Check = {
  id: 'null-heavy-index',
  family: 'static',
  description: 'indexes on mostly-NULL columns: a partial index WHERE col IS NOT NULL is smaller and serves the same queries',
  thresholds: [
    { name: 'null-heavy-fraction', description: 'a column NULL in at least this fraction of the rows is null-heavy', default: 0.5 },
    MIN_TABLE_ROWS,
  ],
  engines: ['postgres'],
  async run({ catalog, info, thresholds }) {
    const items = findNullHeavy(
      catalog,
      thresholds['null-heavy-fraction'] ?? 0.5,
      thresholds[MIN_TABLE_ROWS.name] ?? MIN_TABLE_ROWS.default,
    );
    return items.map((item) => toFinding(info, catalog, item));
  },
};
