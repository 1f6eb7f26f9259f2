/** The shapes bench/verify's modules pass each other and write to verify.json. */
import type { Machine } from '../advise/machine.js';

/** One query measured before and after the advice was applied. */
export interface QueryResult {
  readonly fingerprint: string;
  readonly name: string;
  /** The workload's weight: calls (TPC-H: 1 each; demo: calls per minute). */
  readonly calls: number;
  readonly write: boolean;
  readonly runsBefore: number;
  readonly runsAfter: number;
  /** Median execution time, ms; the timeout when timed out (a lower bound). */
  readonly beforeMs: number | null;
  readonly afterMs: number | null;
  readonly beforeMinMs: number | null;
  readonly afterMinMs: number | null;
  readonly beforeTimedOut: boolean;
  readonly afterTimedOut: boolean;
  /** Median before / median after; a lower bound when the baseline timed out. */
  readonly speedup: number | null;
  /** Min before / min after. */
  readonly minSpeedup: number | null;
  readonly speedupIsLowerBound: boolean;
  readonly verdict: Verdict;
  /** e.g. "Seq Scan → Index Scan"; empty when the plan kept its scan nodes. */
  readonly planChange: string;
  readonly indexesAfter: readonly string[];
  /** What ran (before), values inlined, so a run can be repeated by hand. */
  readonly executed: string | null;
  /** Both measurements ran the same text with the same values. */
  readonly sameExecution: boolean;
  readonly skipped: string | null;
  /** Interleaved re-measurement of a query whose first-pass speed-up was below ×2 (recheck.ts). */
  readonly recheck: Recheck | null;
}

export interface Recheck {
  readonly rounds: number;
  /** Every run of every round, per side. */
  readonly beforeRunsMs: readonly number[];
  readonly afterRunsMs: readonly number[];
  readonly beforeMs: number | null;
  readonly afterMs: number | null;
  readonly speedup: number | null;
  readonly minSpeedup: number | null;
  /** The first pass's verdict; `verdict` of the query is then the recheck's. */
  readonly firstVerdict: Verdict;
}

export const VERDICTS = ['faster', 'same', 'same on recheck', 'slower, within noise', 'slower', 'not measured'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Percentiles {
  readonly p50: number | null;
  readonly p95: number | null;
}

/** The what-if methods the benchmark can advise with on its server. */
export const BENCH_WHAT_IF = ['hypopg', 'hybrid', 'transaction'] as const;
export type BenchWhatIf = (typeof BENCH_WHAT_IF)[number];

export interface AppliedAdvice {
  /** How advise costed the candidates (absent in results saved before it was recorded: HypoPG). */
  readonly whatIf?: BenchWhatIf;
  /** Candidates the method could not cost (GIN/GiST under HypoPG), left out of the advice. */
  readonly uncosted?: number;
  /** Labels like "public.lineitem(l_partkey,l_suppkey)". */
  readonly indexes: readonly string[];
  readonly dropped: readonly string[];
  /** Taken out by the measured guard (advise --measure): they made a query slower. */
  readonly removedByGuard: readonly string[];
  readonly adviseSeconds: number;
  readonly estimatedBytes: number;
  /** Bytes of the built indexes, from pg_relation_size. */
  readonly builtBytes: number;
  readonly applySeconds: number;
  readonly failed: number;
  /** VACUUM ANALYZE until all-visible, after the build. */
  readonly vacuumSeconds: number;
  /** DDL back to the indexes before the advice (the recheck runs it in a rolled-back transaction). */
  readonly undo: readonly string[];
}

export interface Phase {
  readonly name: string;
  readonly seconds: number;
}

export interface TpchResult {
  readonly name: string;
  readonly timeoutMs: number;
  readonly queries: readonly QueryResult[];
  readonly advice: AppliedAdvice;
  readonly phases: readonly Phase[];
}

export interface DemoResult {
  readonly name: string;
  readonly scale: number;
  readonly rows: number;
  readonly dataBytes: number;
  readonly loadSeconds: number;
  readonly timeoutMs: number;
  readonly queries: readonly QueryResult[];
  readonly before: Percentiles;
  readonly after: Percentiles;
  readonly advice: AppliedAdvice;
  readonly phases: readonly Phase[];
}

export interface Goal {
  readonly goal: string;
  readonly met: boolean;
  readonly detail: string;
}

export interface VerifyReport {
  readonly measuredAt: string;
  readonly machine: Machine;
  readonly source: { readonly commit: string; readonly changedSourceFiles: readonly string[] };
  readonly seconds: number;
  readonly tpch: TpchResult | null;
  readonly demos: readonly DemoResult[];
  readonly goals: readonly Goal[];
  /** Parts not re-run (`--only`), kept from the previous results file: when and at which commit they were measured. */
  readonly carried?: readonly CarriedPart[];
}

export interface CarriedPart {
  readonly part: 'tpch' | 'demo';
  readonly measuredAt: string;
  readonly commit: string;
}
