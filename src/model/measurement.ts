/** Measured execution (`verify`): what ran, how long it took, what plan it used. */

export interface QueryMeasurement {
  readonly fingerprint: string;
  readonly name?: string;
  /** The normalized text. */
  readonly sql: string;
  /** What was executed: the text and the values given to its $n placeholders (recorded so a run can be repeated). */
  readonly executed: { readonly sql: string; readonly params: readonly (string | null)[] } | null;
  /** Calls in the workload: the weight in workload totals. */
  readonly calls: number;
  /** Not provably read-only: a write, a locking or data-modifying clause, or a volatile function (verify/read-only.ts). */
  readonly write: boolean;
  /** Execution times of the measured runs, in milliseconds (the warm-up is not among them). */
  readonly runsMs: readonly number[];
  readonly medianMs: number | null;
  readonly minMs: number | null;
  readonly maxMs: number | null;
  /** The statement hit the timeout: medianMs is then the timeout, a lower bound. */
  readonly timedOut: boolean;
  readonly sharedHitBlocks: number | null;
  readonly sharedReadBlocks: number | null;
  /** Scan node types of the plan, e.g. ["Index Only Scan"]. */
  readonly scans: readonly string[];
  /** Join node types of the plan, e.g. ["Hash Join"] (absent in measurements saved before it was recorded). */
  readonly joins?: readonly string[];
  readonly indexes: readonly string[];
  /** Why the query was not measured. */
  readonly skipped?: string;
}

export interface Measurement {
  readonly kind: 'indexwise-measurement';
  readonly target: string;
  readonly serverVersion: string;
  readonly measuredAt: string;
  readonly runs: number;
  readonly timeoutMs: number;
  /** 'rollback': writes ran inside a transaction that was rolled back; 'skip': not run. */
  readonly writes: 'rollback' | 'skip';
  /** Indexes created for this measurement inside a rolled-back transaction (verify --trial). */
  readonly trialIndexes: readonly string[];
  readonly queries: readonly QueryMeasurement[];
}

export interface QueryComparison {
  readonly fingerprint: string;
  readonly name?: string;
  readonly sql: string;
  readonly calls: number;
  readonly beforeMs: number | null;
  readonly afterMs: number | null;
  /** before / after; a lower bound when the "before" run timed out. */
  readonly speedup: number | null;
  readonly speedupIsLowerBound: boolean;
  /** e.g. "Seq Scan → Index Scan; Hash Join → Nested Loop"; empty when the plan kept its scan and join types. */
  readonly planChange: string;
  readonly indexesAfter: readonly string[];
}

export interface Comparison {
  readonly before: { readonly target: string; readonly measuredAt: string };
  readonly after: { readonly target: string; readonly measuredAt: string };
  readonly queries: readonly QueryComparison[];
  /** Σ calls × median time, in milliseconds, over queries measured both times. */
  readonly workload: { readonly beforeMs: number; readonly afterMs: number; readonly speedup: number | null };
  /** Fingerprints measured only on one side. */
  readonly unmatched: readonly string[];
}
