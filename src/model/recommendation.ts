/** What `advise` returns: the JSON shape documented in README. */
import type { Finding } from './finding.js';
import type { Comparison } from './measurement.js';
import type { IndexDef, IndexMethod } from './index-def.js';
import type { PlanScan } from './plan.js';
import type { WhatIfMethod } from './what-if.js';

export interface Recommendation {
  /** Schema-qualified, quoted only where needed: "public.posts", "\"Bar\".\"Foo\"". */
  readonly table: string;
  /** As written in CREATE INDEX: quoted when needed, " DESC" when descending. */
  readonly columns: readonly string[];
  readonly include: readonly string[];
  readonly where: string | null;
  readonly method: IndexMethod;
  /** Extensions the index needs (pg_trgm for a trigram index): the migration creates them first. */
  readonly extensions: readonly string[];
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

/**
 * A candidate index this what-if method could not cost (HypoPG has no GIN or GiST): listed
 * apart from the recommendations, never mixed with them, with why and how to cost it.
 */
export interface UncostedIndex {
  readonly table: string;
  readonly columns: readonly string[];
  readonly method: IndexMethod;
  readonly name: string;
  readonly sql: string;
  readonly extensions: readonly string[];
  /** Fingerprints of the queries it was proposed for. */
  readonly queries: readonly string[];
  readonly reason: string;
  /** How to cost it: advise again with a method that can. */
  readonly command: string;
  readonly index: IndexDef;
}

/** An extension a candidate needs, as the database says it stands. */
export interface ExtensionStatus {
  readonly name: string;
  /** Installed in this database. */
  readonly installed: boolean;
  /** The server has it (pg_available_extensions). */
  readonly available: boolean;
  /** This role may CREATE EXTENSION it (superuser, or CREATE on the database for a trusted one). */
  readonly mayCreate: boolean;
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
  /**
   * The scans of its plan as it is, before the advice (the baseline the advisor planned).
   * Absent in advice files written before indexwise recorded them.
   */
  readonly scans?: readonly PlanScan[];
}

export interface SkippedQuery {
  readonly sql: string;
  readonly reason: string;
}

/** `advise --measure`: the advice checked with the clock (built in a rolled-back transaction). */
export interface MeasuredAdvice {
  /** Indexes taken out because they made a query measurably slower. */
  readonly removed: readonly { readonly name: string; readonly query: string; readonly speedup: number }[];
  /** Queries that looked slower on the first pass and were timed again in alternating rounds (absent in older advice files). */
  readonly rechecked?: readonly string[];
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
  /** Candidates the what-if method could not cost (GIN, GiST under HypoPG): not recommendations. */
  readonly uncosted: readonly UncostedIndex[];
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
