/**
 * Candidates a what-if method cannot cost. HypoPG makes hypothetical b-tree, BRIN, hash
 * and bloom indexes, not GIN or GiST (HypoPG's README, "Supported access methods"): under
 * HypoPG those are listed apart, with the reason and the way to cost them — `--what-if
 * hybrid`, which builds only those in a rolled-back transaction and keeps HypoPG for the
 * rest — and never mixed with the costed recommendations. Pure.
 */
import type { ExtensionStatus, UncostedIndex } from '../model/recommendation.js';
import { extensionsFor, METHOD_NAMES } from '../model/index-def.js';
import { HYPOPG_METHODS, type WhatIfMethod } from '../model/what-if.js';
import { createIndexSql, indexName, keySql } from '../sql/ddl.js';
import { formatQualified } from '../sql/names.js';
import type { IndexCandidate } from './candidates.js';

const COST_UNCOSTED_COMMAND = 'indexwise advise <the same arguments> --what-if hybrid';

/** Why `method` cannot cost this candidate, or null when it can. */
function whyNotCostable(candidate: IndexCandidate, method: WhatIfMethod): string | null {
  if (method !== 'hypopg' || HYPOPG_METHODS.has(candidate.def.method)) return null;
  return `HypoPG cannot create a hypothetical ${METHOD_NAMES[candidate.def.method]} index: cost it by building it in a transaction that is rolled back (it takes locks and builds for real: not on a busy production database)`;
}

export function splitCostable(
  candidates: readonly IndexCandidate[],
  method: WhatIfMethod,
): { costable: IndexCandidate[]; uncosted: { candidate: IndexCandidate; reason: string }[] } {
  const costable: IndexCandidate[] = [];
  const uncosted: { candidate: IndexCandidate; reason: string }[] = [];
  for (const candidate of candidates) {
    const reason = whyNotCostable(candidate, method);
    if (reason === null) costable.push(candidate);
    else uncosted.push({ candidate, reason });
  }
  return { costable, uncosted };
}

export function uncostedIndex(candidate: IndexCandidate, reason: string, concurrently: boolean): UncostedIndex {
  const { def } = candidate;
  return {
    table: formatQualified(def.table),
    columns: def.keys.map((k) => keySql(k)),
    method: def.method,
    name: indexName(def),
    sql: createIndexSql(def, { concurrently }),
    extensions: extensionsFor(def),
    queries: candidate.queries,
    reason,
    command: COST_UNCOSTED_COMMAND,
    index: def,
  };
}

/** What the advice must say about the extensions its indexes need: only what stands in the way or what the migration adds. */
export function extensionNotes(needed: ReadonlySet<string>, statuses: readonly ExtensionStatus[]): string[] {
  return statuses
    .filter((s) => needed.has(s.name) && !s.installed)
    .map((s) => {
      if (!s.available)
        return `Extension ${s.name} is not available on this server (not in pg_available_extensions): the indexes that need it cannot be built until it is installed (Debian: the postgresql contrib package).`;
      if (!s.mayCreate)
        return `Extension ${s.name} is not installed and this role cannot create it (it needs CREATE on the database for a trusted extension, else a superuser): ask an administrator to run CREATE EXTENSION ${s.name}.`;
      return `Extension ${s.name} is not installed: the migration creates it before the indexes that need it (CREATE EXTENSION IF NOT EXISTS ${s.name}).`;
    });
}
