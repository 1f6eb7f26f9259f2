/**
 * unindexed-foreign-key: see unindexed-foreign-key.sql. A foreign key is covered by a
 * valid, non-partial index whose leading columns are the key's columns in any order
 * (src/health/fk-coverage.ts); on a partitioned table an index on the parent counts, or
 * one on every partition. The fix creates the index on the key's columns.
 */
import type { EngineInfo } from '../../engines/engine.js';
import { type Catalog, type ForeignKey, findTable, type QualifiedName } from '../../model/catalog.js';
import type { Finding } from '../../model/finding.js';
import { keyColumn } from '../../model/index-def.js';
import { formatQualified, quoteIdent } from '../../sql/names.js';
import type { Check } from '../check.js';
import { createIndexFix } from '../../sql/fix.js';
import { isForeignKeyCovered } from '../fk-coverage.js';
import { checkSql } from '../sql-file.js';

interface Row extends Record<string, unknown> {
  schema: string;
  table_name: string;
  inserts: number;
  updates: number;
  deletes: number;
}

interface Writes {
  readonly inserts: number;
  readonly updates: number;
  readonly deletes: number;
}

const NO_WRITES: Writes = { inserts: 0, updates: 0, deletes: 0 };

/** The foreign keys no index serves (on SQLite, a key on the rowid needs none). A pure rule. */
export function findUnindexedForeignKeys(catalog: Catalog): ForeignKey[] {
  const onRowid = (fk: ForeignKey) => fk.columns.length === 1 && findTable(catalog, fk.table)?.rowidAlias === fk.columns[0];
  return catalog.foreignKeys.filter((fk) => !onRowid(fk) && !isForeignKeyCovered(catalog, fk));
}

function toFinding(info: EngineInfo, catalog: Catalog, fk: ForeignKey, writes: (t: QualifiedName) => Writes): Finding {
  const table = formatQualified(fk.table);
  const referenced = formatQualified(fk.referencedTable);
  const own = writes(fk.table);
  const parent = writes(fk.referencedTable);
  const found = findTable(catalog, fk.table);
  const columns = fk.columns.map(quoteIdent).join(', ');
  return {
    check: 'unindexed-foreign-key',
    severity: 'warning',
    table,
    index: null,
    message: `foreign key ${quoteIdent(fk.name)} on ${table} (${columns}) has no index: each DELETE or key UPDATE on ${referenced} scans ${table}`,
    evidence: {
      foreignKey: fk.name,
      columns: fk.columns.join(', '),
      referencedTable: referenced,
      rows: found?.rowEstimate ?? null,
      bytes: found?.tableBytes ?? null,
      inserts: own.inserts,
      updates: own.updates,
      deletes: own.deletes,
      referencedUpdates: parent.updates,
      referencedDeletes: parent.deletes,
    },
    fixSql: createIndexFix(info, catalog, {
      table: fk.table,
      keys: fk.columns.map((c) => keyColumn(c)),
      include: [],
      where: null,
      method: 'btree',
      unique: false,
    }),
  };
}

export const unindexedForeignKey: Check = {
  id: 'unindexed-foreign-key',
  family: 'static',
  description: 'foreign keys with no index on their columns: deletes and key updates on the referenced table scan the referencing one',
  thresholds: [],
  engines: ['postgres', 'sqlite'],
  async run({ engine, info, catalog }) {
    const unindexed = findUnindexedForeignKeys(catalog);
    if (unindexed.length === 0) return [];
    // SQLite counts no writes: the finding has the table's size only
    const rows = info.capabilities.statisticsViews ? await engine.query<Row>(checkSql('unindexed-foreign-key')) : [];
    const writes = (t: QualifiedName): Writes => {
      const row = rows.find((r) => r.schema === t.schema && r.table_name === t.name);
      return row === undefined ? NO_WRITES : { inserts: Number(row.inserts), updates: Number(row.updates), deletes: Number(row.deletes) };
    };
    return unindexed.map((fk) => toFinding(info, catalog, fk, writes));
  },
};
