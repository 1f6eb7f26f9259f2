/**
 * redundant-index: a btree index whose key columns (with their expressions, operator
 * classes, collations, directions and NULLS orders — or all of those reversed) are a
 * leading prefix of another valid btree index on the same table with the same predicate,
 * whose keys and INCLUDE columns hold this one's INCLUDE columns too. The wider index
 * serves every query the narrower one does. A unique index is redundant only to a unique
 * index on the same keys; an index enforcing a constraint is never the one dropped. Exact
 * duplicates are left to duplicate-index. A pure rule over the catalog
 * (src/model/index-relations.ts).
 */
import { findRedundant } from '../../model/index-relations.js';
import { formatQualified } from '../../sql/names.js';
import type { Check } from '../check.js';
import { dropIndexFix } from '../../sql/fix.js';

export const redundantIndex: Check = {
  id: 'redundant-index',
  family: 'static',
  description: 'indexes whose keys are a leading prefix of another index on the same table: that one serves their queries',
  thresholds: [],
  engines: ['postgres', 'sqlite'],
  async run({ catalog, info }) {
    return findRedundant(catalog.indexes).map(({ drop, coveredBy }) => {
      const index = formatQualified(drop);
      return {
        check: 'redundant-index',
        severity: 'warning' as const,
        table: formatQualified(drop.table),
        index,
        message: `${index} is redundant: ${formatQualified(coveredBy)} starts with the same keys and serves the same queries`,
        evidence: {
          bytes: drop.bytes,
          coveredBy: formatQualified(coveredBy),
          definition: drop.definition,
          coveredByDefinition: coveredBy.definition,
        },
        fixSql: dropIndexFix(info, catalog, drop),
      };
    });
  },
};
