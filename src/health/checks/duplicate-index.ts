/**
 * duplicate-index: indexes on the same table with the same method, key columns and
 * expressions (in order, with directions), operator classes, collations, INCLUDE
 * columns and predicate. One of each group stays — the one enforcing a constraint,
 * else the primary or unique one, else the first by name; the others are findings.
 * A pure rule over the catalog (src/model/index-relations.ts).
 */
import { findDuplicates } from '../../model/index-relations.js';
import { formatQualified } from '../../sql/names.js';
import type { Check } from '../check.js';
import { dropIndexFix } from '../../sql/fix.js';

export const duplicateIndex: Check = {
  id: 'duplicate-index',
  family: 'static',
  description: 'indexes identical to another index on the same table: pure write and storage cost',
  thresholds: [],
  engines: ['postgres', 'sqlite'],
  async run({ catalog, info }) {
    return findDuplicates(catalog.indexes).map(({ keep, drop }) => {
      const index = formatQualified(drop);
      return {
        check: 'duplicate-index',
        severity: 'warning' as const,
        table: formatQualified(drop.table),
        index,
        message: `${index} duplicates ${formatQualified(keep)}`,
        evidence: { bytes: drop.bytes, duplicateOf: formatQualified(keep), definition: drop.definition },
        fixSql: dropIndexFix(info, catalog, drop),
      };
    });
  },
};
