/**
 * Indexes the advice makes redundant: an existing index whose keys lead a recommended
 * one (same predicate, its INCLUDEs stored) serves no query the new one cannot.
 * Reported in the health-finding shape so `migrate --drop-duplicates` and `apply` take
 * them as drops. Pure: the redundant-index rule over the catalog plus the new indexes.
 */
import type { EngineInfo } from '../engines/engine.js';
import { findRedundant, plannedKeys } from '../model/index-relations.js';
import { dropIndexFix } from '../sql/fix.js';
import { createIndexSql } from '../sql/ddl.js';
import { type Catalog, type Index, qualifiedKey } from '../model/catalog.js';
import type { Finding } from '../model/finding.js';
import type { IndexDef } from '../model/index-def.js';
import { formatQualified } from '../sql/names.js';

/** A recommended index as the catalog would show it once built. */
export function plannedIndex(def: IndexDef, name: string, bytes: number): Index {
  return {
    schema: def.table.schema,
    name,
    table: def.table,
    // a hash, GIN or GiST index shares no key order: it makes no b-tree redundant
    method: def.method,
    unique: false,
    primary: false,
    valid: true,
    keys: plannedKeys(def),
    include: def.include,
    predicate: def.where,
    definition: createIndexSql(def, { name }),
    bytes,
    constraint: null,
    parentIndex: null,
  };
}

export function replacedIndexes(info: EngineInfo, catalog: Catalog, planned: readonly Index[]): Finding[] {
  const names = new Set(planned.map((p) => qualifiedKey(p)));
  return findRedundant([...catalog.indexes, ...planned])
    .filter(({ drop, coveredBy }) => !names.has(qualifiedKey(drop)) && names.has(qualifiedKey(coveredBy)))
    .map(({ drop, coveredBy }) => ({
      check: 'redundant-index',
      severity: 'warning' as const,
      table: formatQualified(drop.table),
      index: formatQualified(drop),
      message: `${formatQualified(drop)} becomes redundant: the recommended ${formatQualified(coveredBy)} starts with the same keys and serves its queries`,
      evidence: { bytes: drop.bytes, coveredBy: formatQualified(coveredBy), definition: drop.definition },
      fixSql: dropIndexFix(info, catalog, drop),
    }));
}
