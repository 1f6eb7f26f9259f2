/**
 * OR groups → bundles of candidates. `WHERE a = ? OR b = ?` needs an index per branch
 * (SQLite's MULTI-INDEX OR, PostgreSQL's BitmapOr): either alone changes nothing, so a
 * greedy step never takes one. A bundle (one candidate per branch) is tried whole. Pure.
 */
import type { Filter } from '../model/analysis.js';
import { qualifiedKey } from '../model/catalog.js';
import type { CandidateQuery, IndexCandidate } from './candidates.js';

const LEADING_KINDS = ['equality', 'range', 'prefix'];

/** The candidate that serves one OR branch best: it leads with the branch's first indexable column. */
function candidateFor(branch: readonly Filter[], table: string, candidates: readonly IndexCandidate[]): string | undefined {
  const usable = branch.filter((f) => LEADING_KINDS.includes(f.kind));
  const lead = usable.find((f) => f.kind === 'equality') ?? usable[0];
  if (lead === undefined) return undefined;
  const columns = new Set(usable.map((f) => f.column));
  const fitting = candidates.filter(
    (c) => qualifiedKey(c.def.table) === table && c.def.where === null && c.def.keys[0]?.column === lead.column,
  );
  const score = (c: IndexCandidate) =>
    c.def.keys.filter((k) => columns.has(k.column)).length * 100 - c.def.keys.length - c.def.include.length;
  return fitting.sort((a, b) => score(b) - score(a))[0]?.id;
}

export function orBundles(queries: readonly CandidateQuery[], candidates: readonly IndexCandidate[]): string[][] {
  const bundles = new Map<string, string[]>();
  for (const query of queries) {
    for (const access of query.accesses) {
      const table = qualifiedKey(access.table);
      for (const group of access.orGroups) {
        const picks = group.map((branch) => candidateFor(branch, table, candidates));
        if (picks.some((p) => p === undefined)) continue;
        const bundle = [...new Set(picks as string[])].sort();
        if (bundle.length >= 2) bundles.set(bundle.join('\u0000'), bundle);
      }
    }
  }
  return [...bundles.values()];
}
