/** The shapes the benchmark's modules pass each other. */

export const ALGORITHMS = ['indexwise', 'dexter', 'extend'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** Budgets as shares of the data size (sum of table bytes). */
export const BUDGET_SHARES = [0.25, 0.5, 1, 2] as const;

export interface ChosenIndex {
  /** e.g. "public.lineitem(l_partkey,l_suppkey)". */
  readonly label: string;
  /** CREATE INDEX, as HypoPG takes it. */
  readonly sql: string;
}

export interface AlgorithmResult {
  readonly algorithm: Algorithm;
  readonly indexes: readonly ChosenIndex[];
  readonly seconds: number;
  /** Candidates the algorithm considered. */
  readonly candidates: number;
  readonly whatIfCalls: number | null;
  readonly cacheHitRate: number | null;
}

export interface QueryEvaluation {
  readonly name: string;
  readonly weight: number;
  readonly before: number;
  readonly after: number;
  /** Labels of the configuration's indexes its plan uses. */
  readonly uses: readonly string[];
  /** Costed by the evaluation only (not part of the advised workload). */
  readonly extra: boolean;
}

export interface Evaluation {
  /** Σ weight × cost over the workload's queries. */
  readonly costBefore: number;
  readonly costAfter: number;
  /** Geometric mean of after/before over the workload's queries. */
  readonly geomean: number;
  /** The same over the workload's and the extra queries (TPC-H: all 22, as the peers were scored). */
  readonly geomeanWithExtra: number | null;
  readonly indexBytes: number;
  /** before / after of the highlighted queries. */
  readonly cheaperBy: Readonly<Record<string, number>>;
  readonly queries: readonly QueryEvaluation[];
  /** Index label → HypoPG's size estimate. */
  readonly indexSizes: Readonly<Record<string, number>>;
}

export interface RunRecord {
  readonly workload: string;
  readonly budgetShare: number;
  readonly budgetBytes: number;
  readonly result: AlgorithmResult;
  readonly evaluation: Evaluation;
}
