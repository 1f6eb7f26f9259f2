/**
 * A re-implementation of Dexter's index selection (ankane/dexter), from its published
 * description, on the shared cost oracle:
 * 1. Queries cheaper than MIN_COST are left alone.
 * 2. Per query: hypothetical single-column indexes on every column of its filters,
 *    joins and ORDER BY; the plan's cost with them, and the ones it uses.
 * 3. Then the 2-column permutations of each table's columns as well; their plan
 *    counts only when it is at least 50% cheaper than with single columns and uses
 *    a single new index (else Dexter falls back to the single-column plan).
 * 4. The "50% rule": a query's indexes are suggested only when they make it at least
 *    50% cheaper. Suggestions are merged over the queries.
 * Dexter has no budget; to respect one, the suggestions are kept by weighted saving,
 * biggest first, skipping any that no longer fits.
 */
import type { IndexCandidate } from '../../src/advisor/candidates.js';
import type { AdvisorQuery } from '../../src/advisor/queries.js';
import type { Engine } from '../../src/engines/engine.js';
import { candidate, indexableColumns, permutations, type TableColumns, uniqueCandidates } from './columns.js';
import { baselineResult, bytesOf, type Oracle, openOracle } from './oracle.js';
import type { AlgorithmResult } from './types.js';

const MIN_COST = 100;
const SAVINGS_RATIO = 0.5;
/** Per table, at most this many 2-column permutations (a query with many columns on one table). */
const MAX_PAIRS_PER_TABLE = 60;

interface QueryCandidates {
  readonly query: AdvisorQuery;
  readonly singles: readonly IndexCandidate[];
  readonly pairs: readonly IndexCandidate[];
}

function queryCandidates(query: AdvisorQuery): QueryCandidates {
  const tables: TableColumns[] = indexableColumns(query, { groupBy: false });
  return {
    query,
    singles: tables.flatMap((t) => t.columns.map((c) => candidate(t.table, [c]))),
    pairs: tables.flatMap((t) =>
      permutations(t.columns, 2)
        .slice(0, MAX_PAIRS_PER_TABLE)
        .map((cols) => candidate(t.table, cols)),
    ),
  };
}

interface Suggestion {
  readonly ids: readonly string[];
  /** weight × (cost without − cost with the suggested plan's indexes). */
  readonly saving: number;
}

/** Dexter's decision for one query, or null when no index passes the 50% rule. */
async function suggest(oracle: Oracle, qc: QueryCandidates): Promise<Suggestion | null> {
  const { coster } = oracle;
  const known = (list: readonly IndexCandidate[]) => list.map((c) => c.id).filter((id) => oracle.sizes.has(id));
  const initial = (await coster.cost(qc.query, new Set())).cost;
  if (initial < MIN_COST) return null;
  const singles = new Set(known(qc.singles));
  const one = await coster.cost(qc.query, singles);
  const two = await coster.cost(qc.query, new Set([...singles, ...known(qc.pairs)]));
  const savesOne = one.cost < initial * SAVINGS_RATIO;
  const savesTwo = one.cost > MIN_COST && two.cost < one.cost * SAVINGS_RATIO && two.used.length <= 1;
  if (!savesOne && !savesTwo) return null;
  const [plan, ids] = savesTwo ? [two, two.used] : [one, one.used];
  return ids.length === 0 ? null : { ids, saving: qc.query.weight * (initial - plan.cost) };
}

/** Merged suggestions, biggest weighted saving first, kept while they fit the budget. */
function withinBudget(oracle: Oracle, suggestions: readonly Suggestion[], budgetBytes: number): string[] {
  const saving = new Map<string, number>();
  for (const s of suggestions) for (const id of s.ids) saving.set(id, (saving.get(id) ?? 0) + s.saving);
  const chosen: string[] = [];
  for (const [id] of [...saving.entries()].sort((a, b) => b[1] - a[1])) {
    if (bytesOf(oracle, [...chosen, id]) <= budgetBytes) chosen.push(id);
  }
  return chosen;
}

export async function runDexter(engine: Engine, queries: readonly AdvisorQuery[], budgetBytes: number): Promise<AlgorithmResult> {
  const started = performance.now();
  const perQuery = queries.map(queryCandidates);
  const oracle = await openOracle(engine, uniqueCandidates(perQuery.flatMap((q) => [...q.singles, ...q.pairs])));
  try {
    const suggestions: Suggestion[] = [];
    for (const qc of perQuery) {
      const s = await suggest(oracle, qc);
      if (s !== null) suggestions.push(s);
    }
    return baselineResult(oracle, 'dexter', withinBudget(oracle, suggestions, budgetBytes), started);
  } finally {
    await oracle.close();
  }
}
