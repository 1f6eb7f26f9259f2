/**
 * Extend (Schlosser, Kossmann, Boissier 2019, "Efficient Scalable Multi-attribute
 * Index Selection Using Recursive Strategies"), on the shared cost oracle.
 * Start from no index; each step takes the move with the best ratio of workload cost
 * reduction to added bytes among
 *   - a new single-attribute index on an indexable attribute, and
 *   - appending one attribute to a chosen index (replacing it), where some query
 *     uses all of the index's attributes and that one on the table;
 * within the budget. It stops when no move fits and improves the workload cost.
 * Width is capped at MAX_WIDTH (indexwise's default maxColumns) to bound the
 * candidate space.
 */
import type { IndexCandidate } from '../../src/advisor/candidates.js';
import type { AdvisorQuery } from '../../src/advisor/queries.js';
import { qualifiedKey as tableKey } from '../../src/model/catalog.js';
import type { Engine } from '../../src/engines/engine.js';
import { candidate, columnsOf, indexableColumns, permutations, uniqueCandidates } from './columns.js';
import { baselineResult, bytesOf, type Oracle, openOracle } from './oracle.js';
import type { AlgorithmResult } from './types.js';

const MAX_WIDTH = 3;

/** Every index Extend can reach: ordered attribute lists of one query's indexable attributes on one table. */
function reachable(queries: readonly AdvisorQuery[]): IndexCandidate[] {
  const all: IndexCandidate[] = [];
  for (const query of queries) {
    for (const t of indexableColumns(query, { groupBy: true })) {
      for (let width = 1; width <= Math.min(MAX_WIDTH, t.columns.length); width++) {
        all.push(...permutations(t.columns, width).map((cols) => candidate(t.table, cols)));
      }
    }
  }
  return uniqueCandidates(all);
}

interface Move {
  readonly remove: string | null;
  readonly add: string;
}

class ExtendSearch {
  private readonly queriesOn = new Map<string, AdvisorQuery[]>();
  private readonly extensions = new Map<string, string[]>();

  constructor(
    private readonly oracle: Oracle,
    queries: readonly AdvisorQuery[],
    private readonly budgetBytes: number,
  ) {
    for (const c of oracle.candidates.values()) {
      const table = tableKey(c.def.table);
      if (!this.queriesOn.has(table))
        this.queriesOn.set(
          table,
          queries.filter((q) => q.tables.has(table)),
        );
    }
    for (const c of oracle.candidates.values()) {
      const prefix = columnsOf(c).slice(0, -1);
      if (prefix.length === 0) continue;
      const parent = candidate(c.def.table, prefix).id;
      this.extensions.set(parent, [...(this.extensions.get(parent) ?? []), c.id]);
    }
  }

  private moves(chosen: ReadonlySet<string>): Move[] {
    const moves: Move[] = [];
    for (const c of this.oracle.candidates.values()) {
      if (c.def.keys.length === 1 && !chosen.has(c.id)) moves.push({ remove: null, add: c.id });
    }
    for (const id of chosen) {
      for (const wider of this.extensions.get(id) ?? []) if (!chosen.has(wider)) moves.push({ remove: id, add: wider });
    }
    return moves;
  }

  /** Cost reduction per added byte, or null when the move does not fit or does not help. */
  private async rate(chosen: ReadonlySet<string>, move: Move): Promise<number | null> {
    const next = new Set(chosen);
    if (move.remove !== null) next.delete(move.remove);
    next.add(move.add);
    const added = bytesOf(this.oracle, next) - bytesOf(this.oracle, chosen);
    if (bytesOf(this.oracle, next) > this.budgetBytes) return null;
    const table = tableKey((this.oracle.candidates.get(move.add) as IndexCandidate).def.table);
    const affected = this.queriesOn.get(table) ?? [];
    const saving = (await this.oracle.cost(affected, chosen)) - (await this.oracle.cost(affected, next));
    return saving > 0 ? saving / Math.max(1, added) : null;
  }

  async run(): Promise<Set<string>> {
    const chosen = new Set<string>();
    for (;;) {
      let best: { ratio: number; move: Move } | null = null;
      for (const move of this.moves(chosen)) {
        const ratio = await this.rate(chosen, move);
        if (ratio !== null && (best === null || ratio > best.ratio)) best = { ratio, move };
      }
      if (best === null) return chosen;
      if (best.move.remove !== null) chosen.delete(best.move.remove);
      chosen.add(best.move.add);
    }
  }
}

export async function runExtend(engine: Engine, queries: readonly AdvisorQuery[], budgetBytes: number): Promise<AlgorithmResult> {
  const started = performance.now();
  const oracle = await openOracle(engine, reachable(queries));
  try {
    const chosen = await new ExtendSearch(oracle, queries, budgetBytes).run();
    return baselineResult(oracle, 'extend', chosen, started);
  } finally {
    await oracle.close();
  }
}
