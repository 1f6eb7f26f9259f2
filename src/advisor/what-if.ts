/**
 * The planner as judge: the cost of a query with a given set of candidate indexes
 * in place. Only candidates on the query's own tables can change its plan, so the
 * cache key is (query, those candidates): the same question is never asked twice.
 */
import type { WhatIfBackend } from '../engines/what-if.js';
import type { IndexCandidate } from './candidates.js';

export interface CostText {
  readonly sql: string;
  /** Plan without values for $n (a generic plan). */
  readonly generic: boolean;
}

export interface CostableQuery {
  readonly fingerprint: string;
  readonly texts: readonly CostText[];
  /** schema.table keys of the tables it reads or writes. */
  readonly tables: ReadonlySet<string>;
}

export interface QueryCost {
  /** Mean planner cost over the query's texts. */
  readonly cost: number;
  /** Ids of the candidates the plans use. */
  readonly used: readonly string[];
}

export interface WhatIfStats {
  whatIfCalls: number;
  cacheHits: number;
  lookups: number;
}

export function tableKey(table: { readonly schema: string; readonly name: string }): string {
  return `${table.schema}.${table.name}`;
}

export class WhatIfCoster {
  private readonly cache = new Map<string, QueryCost>();
  private readonly prepared = new Map<string, number>();
  private readonly byTable = new Map<string, IndexCandidate[]>();
  readonly stats: WhatIfStats = { whatIfCalls: 0, cacheHits: 0, lookups: 0 };

  constructor(
    readonly backend: WhatIfBackend,
    candidates: readonly IndexCandidate[],
  ) {
    for (const candidate of candidates) {
      const key = tableKey(candidate.def.table);
      this.byTable.set(key, [...(this.byTable.get(key) ?? []), candidate]);
    }
  }

  /** Registers a candidate with the backend (once) and returns its estimated size in bytes. */
  async size(candidate: IndexCandidate): Promise<number> {
    const known = this.prepared.get(candidate.id);
    if (known !== undefined) return known;
    const { bytes } = await this.backend.prepare(candidate.id, candidate.def);
    this.prepared.set(candidate.id, bytes);
    return bytes;
  }

  /** The candidates of `config` that can matter to this query. */
  relevant(query: CostableQuery, config: ReadonlySet<string>): string[] {
    const ids: string[] = [];
    for (const table of query.tables) for (const c of this.byTable.get(table) ?? []) if (config.has(c.id)) ids.push(c.id);
    return ids.sort();
  }

  async cost(query: CostableQuery, config: ReadonlySet<string>): Promise<QueryCost> {
    const active = this.relevant(query, config);
    const key = `${query.fingerprint}\u0000${active.join('\u0001')}`;
    this.stats.lookups++;
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.stats.cacheHits++;
      return cached;
    }
    let total = 0;
    const used = new Set<string>();
    for (const text of query.texts) {
      this.stats.whatIfCalls++;
      const result = await this.backend.explain(text.sql, { generic: text.generic }, active, query.tables);
      total += result.plan.totalCost;
      for (const id of result.usedIds) used.add(id);
    }
    const cost = { cost: total / Math.max(1, query.texts.length), used: [...used].sort() };
    this.cache.set(key, cost);
    return cost;
  }

  cacheHitRate(): number {
    return this.stats.lookups === 0 ? 0 : this.stats.cacheHits / this.stats.lookups;
  }
}
