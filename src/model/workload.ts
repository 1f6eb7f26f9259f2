/**
 * The workload: what the application runs, one entry per query fingerprint.
 * Every source (pg_stat_statements, logs, SQL files, pg_stat_activity) feeds the
 * same collector with RawStatements; the collector produces a Workload.
 */

export const WORKLOAD_SOURCE_KINDS = ['pg_stat_statements', 'log', 'sql', 'pg_stat_activity'] as const;
export type WorkloadSourceKind = (typeof WORKLOAD_SOURCE_KINDS)[number];

/** One statement as a source saw it, before normalization. */
export interface RawStatement {
  /** The text: with literal values, or with $n placeholders. */
  readonly sql: string;
  /** Values for $1, $2, … as the log printed them (text, or null for NULL). */
  readonly params?: readonly (string | null)[];
  /** How many executions this entry stands for (default 1). */
  readonly calls?: number;
  /** Total time of those executions in milliseconds, when the source knows it. */
  readonly totalTimeMs?: number;
  readonly rows?: number;
  /** A name the source gives the query (annotated SQL files). */
  readonly name?: string;
  /** e.g. "pg_stat_statements", "log:/var/log/postgresql.csv", "sql:queries.sql". */
  readonly source: string;
}

export interface WorkloadQuery {
  /**
   * 16 hex digits: libpg-query's fingerprint refined by the relations the statement names
   * (analysis/workload-key.ts). The same for the same query shape, whatever its values.
   */
  readonly fingerprint: string;
  /** Normalized text: literals replaced by $n. */
  readonly sql: string;
  /** Up to a few texts as they ran, with real values where a source had them. */
  readonly samples: readonly string[];
  readonly calls: number;
  /** Milliseconds; 0 when no source measured time. */
  readonly totalTimeMs: number;
  readonly meanTimeMs: number;
  readonly rows: number;
  readonly sources: readonly string[];
  readonly name?: string;
}

export interface SkippedStatement {
  readonly sql: string;
  readonly reason: string;
  readonly source: string;
  /** How many times this statement was seen. */
  readonly count: number;
}

export interface Workload {
  readonly queries: readonly WorkloadQuery[];
  /** Statements that could not be used (parse errors, truncated texts), with the reason. */
  readonly skipped: readonly SkippedStatement[];
  /** Utility statements (BEGIN, SET, SHOW, DDL…) seen and left out, by statement type. */
  readonly utility: Readonly<Record<string, number>>;
  /** Whether any source measured time (else weights come from call counts). */
  readonly timed: boolean;
  /** Per `log:` source, its lines and the lines that were not PostgreSQL log lines, with why. */
  readonly logs?: readonly LogFileSummary[];
}

export interface LogFileSummary {
  readonly source: string;
  /** The format read: a `--log-format` value. */
  readonly format: string;
  /** gzip, bzip2, xz, zstd, or null for a plain file. */
  readonly compression: string | null;
  /** Non-empty lines read (records, for csvlog and JSON logs). */
  readonly lines: number;
  /** Of those, PostgreSQL log lines (and their continuation lines). */
  readonly logLines: number;
  readonly skippedLines: number;
  /** Why the skipped lines were skipped, most frequent first. */
  readonly skipped: readonly { readonly reason: string; readonly count: number }[];
}
