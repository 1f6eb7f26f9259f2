/**
 * The cost oracle the baselines share with indexwise: the project's WhatIfCoster
 * (cost cache keyed by the candidates on each query's tables) over the engine's
 * HypoPG backend. Every candidate is registered (and sized) before it is costed.
 */
import type { IndexCandidate } from '../../src/advisor/candidates.js';
import type { AdvisorQuery } from '../../src/advisor/queries.js';
import { WhatIfCoster } from '../../src/advisor/what-if.js';
import type { Engine } from '../../src/engines/engine.js';
import { createIndexSql } from '../../src/sql/ddl.js';
import type { AlgorithmResult, ChosenIndex } from './types.js';

export interface Oracle {
  readonly coster: WhatIfCoster;
  /** Estimated bytes of each usable candidate (HypoPG); candidates the database refused are absent. */
  readonly sizes: ReadonlyMap<string, number>;
  readonly candidates: ReadonlyMap<string, IndexCandidate>;
  /** Weighted cost of the queries under a configuration. */
  cost(queries: readonly AdvisorQuery[], config: ReadonlySet<string>): Promise<number>;
  close(): Promise<void>;
}

export async function openOracle(engine: Engine, candidates: readonly IndexCandidate[]): Promise<Oracle> {
  const backend = await engine.openWhatIf('hypopg');
  const coster = new WhatIfCoster([backend], candidates);
  const sizes = new Map<string, number>();
  try {
    for (const c of candidates) {
      try {
        sizes.set(c.id, await coster.size(c));
      } catch {
        // refused by the database (e.g. a type without a b-tree operator class): never offered
      }
    }
  } catch (error) {
    await backend.close();
    throw error;
  }
  return {
    coster,
    sizes,
    candidates: new Map(candidates.filter((c) => sizes.has(c.id)).map((c) => [c.id, c])),
    async cost(queries, config) {
      let total = 0;
      for (const q of queries) total += q.weight * (await coster.cost(q, config)).cost;
      return total;
    },
    close: () => backend.close(),
  };
}

export function bytesOf(oracle: Oracle, ids: Iterable<string>): number {
  let total = 0;
  for (const id of ids) total += oracle.sizes.get(id) ?? 0;
  return total;
}

/** A finished baseline run as the evaluation takes it. */
export function baselineResult(
  oracle: Oracle,
  algorithm: AlgorithmResult['algorithm'],
  chosen: Iterable<string>,
  started: number,
): AlgorithmResult {
  const indexes: ChosenIndex[] = [...chosen].map((id) => {
    const def = (oracle.candidates.get(id) as IndexCandidate).def;
    return { label: id, sql: createIndexSql(def) };
  });
  return {
    algorithm,
    indexes,
    seconds: (performance.now() - started) / 1000,
    candidates: oracle.candidates.size,
    whatIfCalls: oracle.coster.stats.whatIfCalls,
    cacheHitRate: oracle.coster.cacheHitRate(),
  };
}
