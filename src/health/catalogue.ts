/**
 * The catalogue of health checks: id → definition. A new check is three files and an
 * entry here: checks/<id>.ts (its rule or mapper), checks/<id>.sql when it queries
 * statistics, and test/health/<id>.test.ts. test/health/catalogue.test.ts proves each
 * entry is complete.
 */
import type { Check } from './check.js';
import { duplicateIndex } from './checks/duplicate-index.js';
import { invalidIndex } from './checks/invalid-index.js';

export const CHECKS: readonly Check[] = [invalidIndex, duplicateIndex];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((check) => check.id === id);
}
