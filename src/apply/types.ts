/** What `apply` takes and returns: options, progress events, and the summary. */
import type { Engine } from '../engines/engine.js';
import type { Dialect } from '../sql/dialect.js';

export const STEP_STATUSES = ['built', 'dropped', 'skipped', 'failed'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export interface StepResult {
  /** 1-based, in plan order. */
  readonly position: number;
  readonly kind: 'create' | 'drop';
  /** The index, schema-qualified as formatQualified writes it. */
  readonly index: string;
  readonly table: string | null;
  readonly status: StepStatus;
  /** One line: why skipped, why failed, or how long it took. */
  readonly message: string;
  readonly attempts: number;
  readonly seconds: number;
  /** The statement that builds or drops it. */
  readonly sql: string;
  /** Invalid indexes indexwise dropped: left by this build when it failed, or found before it. */
  readonly cleanedUp: readonly string[];
  /** For a drop: the definition that was dropped, to build it again. */
  readonly definition: string | null;
  readonly notes: readonly string[];
}

export interface ApplySummary {
  readonly target: string;
  readonly dialect: Dialect;
  readonly concurrently: boolean;
  readonly built: number;
  readonly dropped: number;
  readonly skipped: number;
  readonly failed: number;
  readonly steps: readonly StepResult[];
  readonly seconds: number;
}

export interface BuildProgressEvent {
  readonly kind: 'progress';
  readonly index: string;
  readonly phase: string;
  readonly blocksDone: number;
  readonly blocksTotal: number;
  readonly tuplesDone: number;
  readonly tuplesTotal: number;
}

export type ApplyEvent =
  | { readonly kind: 'step'; readonly position: number; readonly total: number; readonly action: 'create' | 'drop'; readonly index: string }
  | BuildProgressEvent
  | { readonly kind: 'retry'; readonly index: string; readonly attempt: number; readonly delayMs: number; readonly reason: string }
  | { readonly kind: 'note'; readonly message: string }
  | { readonly kind: 'result'; readonly result: StepResult };

export interface ApplyOptions {
  /** lock_timeout per statement, ms (default 5000). */
  readonly lockTimeoutMs?: number;
  /** statement_timeout per statement, ms; null or 0: off (the default: a big build takes its time). */
  readonly statementTimeoutMs?: number | null;
  /** CREATE/DROP INDEX CONCURRENTLY where the database has it (default true). */
  readonly concurrently?: boolean;
  /** Retries after a lock timeout (default 3), waiting retryDelayMs, then twice that, … */
  readonly retries?: number;
  readonly retryDelayMs?: number;
  /** How long to wait for another `apply` on the same database to finish (default 0: exit at once). */
  readonly lockWaitMs?: number;
  /**
   * Opens another connection to the same database (PostgreSQL servers): used to poll
   * pg_stat_progress_create_index, and to clean up when the build's connection is lost.
   */
  readonly reconnect?: () => Promise<Engine>;
  readonly progressIntervalMs?: number;
  readonly onEvent?: (event: ApplyEvent) => void;
  /**
   * Interrupts the apply (the CLI aborts it on Ctrl-C): the build in flight is cancelled
   * (with `reconnect`, through a second connection) and the invalid index it leaves
   * dropped; the steps not started are skipped. On SQLite the transaction is rolled back.
   */
  readonly signal?: AbortSignal;
}

export interface ResolvedApplyOptions {
  readonly lockTimeoutMs: number;
  readonly statementTimeoutMs: number;
  readonly concurrently: boolean;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly lockWaitMs: number;
  readonly progressIntervalMs: number;
  readonly emit: (event: ApplyEvent) => void;
  readonly signal: AbortSignal | null;
}

export function resolveOptions(options: ApplyOptions, canConcurrently: boolean): ResolvedApplyOptions {
  return {
    lockTimeoutMs: options.lockTimeoutMs ?? 5000,
    statementTimeoutMs: options.statementTimeoutMs ?? 0,
    concurrently: (options.concurrently ?? true) && canConcurrently,
    retries: options.retries ?? 3,
    retryDelayMs: options.retryDelayMs ?? 1000,
    lockWaitMs: options.lockWaitMs ?? 0,
    progressIntervalMs: options.progressIntervalMs ?? 500,
    emit: options.onEvent ?? (() => {}),
    signal: options.signal ?? null,
  };
}
