/**
 * The planner as judge: the cost of a query with a given set of candidate indexes
 * in place. The cache key is (query, the candidates offered): the same question is
 * never asked twice. Several what-if backends (lanes) can answer at once — HypoPG
 * keeps its hypothetical indexes per connection, so each lane is its own connection
 * and creates what its questions need.
 */
import type { Refusal, WhatIfBackend } from '../engines/what-if.js';
import { qualifiedKey } from '../model/catalog.js';
import { describeScan, type Plan, type PlanScan, planScans } from '../model/plan.js';
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
  /** A write's rows per call: the estimate under the first plan's ModifyTable node (1 when unknown). */
  readonly writtenRows: number;
  /** The scans of its plans (over all its texts), each once: what the planner reads with these candidates. */
  readonly scans: readonly PlanScan[];
}

export interface WhatIfStats {
  whatIfCalls: number;
  cacheHits: number;
  lookups: number;
}

export class WhatIfCoster {
  private readonly cache = new Map<string, QueryCost>();
  private readonly byTable = new Map<string, IndexCandidate[]>();
  /** Candidates the database refused, with its reason: never offered again. */
  readonly refused = new Map<string, string>();
  readonly stats: WhatIfStats = { whatIfCalls: 0, cacheHits: 0, lookups: 0 };

  constructor(
    private readonly lanes: readonly WhatIfBackend[],
    candidates: readonly IndexCandidate[],
  ) {
    if (lanes.length === 0) throw new Error('what-if: at least one backend is needed');
    for (const candidate of candidates) {
      const key = qualifiedKey(candidate.def.table);
      this.byTable.set(key, [...(this.byTable.get(key) ?? []), candidate]);
      for (const lane of lanes) lane.register(candidate.id, candidate.def);
    }
  }

  get backend(): WhatIfBackend {
    return this.lanes[0] as WhatIfBackend;
  }

  get laneCount(): number {
    return this.lanes.length;
  }

  /** The estimated size in bytes (creates or builds the candidate where no lane has yet). */
  async size(candidate: IndexCandidate): Promise<number> {
    return this.knownSize(candidate.id) ?? this.backend.size(candidate.id);
  }

  knownSize(id: string): number | undefined {
    for (const lane of this.lanes) {
      const bytes = lane.knownSize(id);
      if (bytes !== undefined) return bytes;
    }
    return undefined;
  }

  /** The candidates of `config` on the query's tables (what the planner could use). */
  relevant(query: CostableQuery, config: ReadonlySet<string>): string[] {
    const ids: string[] = [];
    for (const table of query.tables) for (const c of this.byTable.get(table) ?? []) if (config.has(c.id)) ids.push(c.id);
    return ids.sort();
  }

  /** The cost with the candidates of `config` on the query's tables in place. */
  cost(query: CostableQuery, config: ReadonlySet<string>, lane = 0): Promise<QueryCost> {
    return this.costOffered(query, this.relevant(query, config), lane);
  }

  /** The cost with exactly `offered` (sorted ids) in place, asked on one lane. */
  async costOffered(query: CostableQuery, offered: readonly string[], lane = 0): Promise<QueryCost> {
    const active = offered.filter((id) => !this.refused.has(id));
    const key = `${query.fingerprint}\u0000${active.join('\u0001')}`;
    this.stats.lookups++;
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.stats.cacheHits++;
      return cached;
    }
    const backend = this.lanes[lane % this.lanes.length] as WhatIfBackend;
    let total = 0;
    let writtenRows: number | undefined;
    const used = new Set<string>();
    const scans: PlanScan[] = [];
    const refused: Refusal[] = [];
    for (const text of query.texts) {
      this.stats.whatIfCalls++;
      const result = await backend.explain(text.sql, { generic: text.generic }, active, query.tables);
      total += result.plan.totalCost;
      writtenRows ??= rowsWritten(result.plan);
      for (const id of result.usedIds) used.add(id);
      scans.push(...planScans(result.plan));
      refused.push(...result.refused);
    }
    for (const r of refused) this.refused.set(r.id, r.reason);
    const cost = {
      cost: total / Math.max(1, query.texts.length),
      used: [...used].sort(),
      writtenRows: writtenRows ?? 1,
      scans: distinctScans(scans),
    };
    this.cache.set(key, cost);
    if (refused.length > 0)
      this.cache.set(`${query.fingerprint}\u0000${active.filter((id) => !this.refused.has(id)).join('\u0001')}`, cost);
    // The plan with only the indexes it used offered is the same plan: that question is answered too.
    const usedKey = `${query.fingerprint}\u0000${cost.used.join('\u0001')}`;
    if (!this.cache.has(usedKey)) this.cache.set(usedKey, cost);
    return cost;
  }

  /** The answer already known for exactly `offered` (no planner call). */
  cached(query: CostableQuery, offered: readonly string[]): QueryCost | undefined {
    const active = offered.filter((id) => !this.refused.has(id));
    return this.cache.get(`${query.fingerprint}\u0000${active.join('\u0001')}`);
  }

  cacheHitRate(): number {
    return this.stats.lookups === 0 ? 0 : this.stats.cacheHits / this.stats.lookups;
  }
}

/** Scans seen in several texts' plans, once each, in the order first seen. */
function distinctScans(scans: readonly PlanScan[]): PlanScan[] {
  return [...new Map(scans.map((s) => [describeScan(s), s])).values()];
}

/** Rows a write changes per call: the estimate under the ModifyTable node (1 for a read). */
function rowsWritten(plan: Plan): number {
  if (plan.root['Node Type'] !== 'ModifyTable') return 1;
  return Math.max(1, Number(plan.root.Plans?.[0]?.['Plan Rows'] ?? 1));
}
