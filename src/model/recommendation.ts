/** What `advise` returns: the JSON shape documented in README. */
import type { Finding } from './finding.js';
import type { Comparison } from './measurement.js';
import type { IndexDef } from './index-def.js';
import type { WhatIfMethod } from './what-if.js';

export interface Recommendation {
  /** Schema-qualified, quoted only where needed: "public.posts", "\"Bar\".\"Foo\"". */
  readonly table: string;
  /** As written in CREATE INDEX: quoted when needed, " DESC" when descending. */
  readonly columns: readonly string[];
  readonly include: readonly string[];
  readonly where: string | null;
  readonly method: 'btree';
  readonly name: string;
  readonly sql: string;
  readonly estimatedBytes: number;
  /** Fingerprints of the queries whose plans use it. */
  readonly queries: readonly string[];
  /** Weighted cost of those queries without and with the recommended indexes. */
  readonly costBefore: number;
  readonly costAfter: number;
  /** Share of the whole workload's weighted cost this index saves. */
  readonly workloadShareSaved: number;
  /** Weighted planner cost per unit of time its table's writes pay for it. */
  readonly writePenalty: number;
  /** The definition in parts (unquoted names), for tools that write their own DDL. */
  readonly index: IndexDef;
  /**
   * The table is partitioned: CONCURRENTLY cannot build its index in one statement, so
   * `sql` is a plain CREATE INDEX (it blocks writes while it runs); `apply` builds it one
   * partition at a time without blocking.
   */
  readonly partitioned: boolean;
}

export interface CostedQueryReport {
  readonly fingerprint: string;
  readonly sql: string;
  readonly name?: string;
  readonly weight: number;
  readonly costBefore: number;
  readonly costAfter: number;
  /** CREATE INDEX statements of the recommended indexes its plan uses. */
  readonly uses: readonly string[];
}

export interface SkippedQuery {
  readonly sql: string;
  readonly reason: string;
}

/** `advise --measure`: the advice checked with the clock (built in a rolled-back transaction). */
export interface MeasuredAdvice {
  /** Indexes taken out because they made a query measurably slower. */
  readonly removed: readonly { readonly name: string; readonly query: string; readonly speedup: number }[];
  readonly comparison: Comparison;
}

export interface AdviceReport {
  readonly engine: string;
  readonly serverVersion: string;
  readonly whatIf: WhatIfMethod;
  readonly notes: readonly string[];
  readonly workload: { readonly queries: number; readonly costed: number; readonly skipped: readonly SkippedQuery[] };
  readonly cost: { readonly before: number; readonly after: number };
  readonly recommendations: readonly Recommendation[];
  /** Existing indexes the recommendations make redundant, as redundant-index findings (drop them after the new ones exist). */
  readonly replaces: readonly Finding[];
  readonly queries: readonly CostedQueryReport[];
  /** Present with --measure. */
  readonly measured?: MeasuredAdvice;
  readonly stats: AdviceStats;
}

export interface AdviceStats {
  readonly candidates: number;
  /** Planner calls (EXPLAINs) made with candidates in place, over all what-if connections. */
  readonly whatIfCalls: number;
  /** whatIfCalls per costed query: about constant as the workload grows. */
  readonly whatIfCallsPerQuery: number;
  readonly cacheHitRate: number;
  /** What-if connections that planned in parallel. */
  readonly connections: number;
  /** Answers the cost model keeps (a query, the indexes its plan used, the cost). */
  readonly atoms: number;
  /** Selections made, each after the planner checked the one before. */
  readonly rounds: number;
  /** The time limit (--max-time) cut the search short. */
  readonly cut: boolean;
  readonly seconds: number;
  /** Seconds per phase: analysis, candidates, baseline, explore, select, verify, report. */
  readonly phases: Readonly<Record<string, number>>;
}
