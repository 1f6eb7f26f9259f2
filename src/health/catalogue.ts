/**
 * The catalogue of health checks: id → definition. A new check is three files and an
 * entry here: checks/<id>.ts (its rule or mapper), checks/<id>.sql when it queries
 * statistics, and test/health/<id>.test.ts. test/health/catalogue.test.ts proves each
 * entry is complete.
 */
import type { Check } from './check.js';
import { duplicateIndex } from './checks/duplicate-index.js';
import { indexBloat } from './checks/index-bloat.js';
import { invalidIndex } from './checks/invalid-index.js';
import { lowCardinalityIndex } from './checks/low-cardinality-index.js';
import { nullHeavyIndex } from './checks/null-heavy-index.js';
import { redundantIndex } from './checks/redundant-index.js';
import { seqScanHeavyTable } from './checks/seq-scan-heavy-table.js';
import { tableWithoutPrimaryKey } from './checks/table-without-primary-key.js';
import { timestampNotLast } from './checks/timestamp-not-last.js';
import { unindexedForeignKey } from './checks/unindexed-foreign-key.js';
import { unusedByWorkload } from './checks/unused-by-workload.js';
import { unusedIndex } from './checks/unused-index.js';

export const CHECKS: readonly Check[] = [
  invalidIndex,
  duplicateIndex,
  redundantIndex,
  unindexedForeignKey,
  unusedIndex,
  unusedByWorkload,
  indexBloat,
  seqScanHeavyTable,
  lowCardinalityIndex,
  nullHeavyIndex,
  timestampNotLast,
  tableWithoutPrimaryKey,
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((check) => check.id === id);
}
