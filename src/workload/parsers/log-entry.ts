/**
 * One message of a PostgreSQL server log, whatever format it was written in
 * (stderr, csvlog, jsonlog). The parsers produce these; log-messages.ts reads
 * statements out of them.
 */

export interface LogEntry {
  /** The server's error_severity: LOG, ERROR, WARNING, … */
  readonly severity: string;
  /** The primary message, e.g. `duration: 0.5 ms  statement: SELECT 1` (newlines kept). */
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly context?: string;
  /** The statement the server printed with the message (a STATEMENT: line, the csv `query` column). */
  readonly statement?: string;
  /** Present when the format (or the stderr log_line_prefix) records them. */
  readonly user?: string;
  readonly database?: string;
  readonly application?: string;
  readonly timestamp?: string;
  /**
   * Which server process wrote the entry (its pid or session id; '' when the log
   * does not say). A process's entries arrive in the order it wrote them.
   */
  readonly process: string;
}

export type MutableLogEntry = { -readonly [K in keyof LogEntry]: LogEntry[K] };

/** A text field, or undefined for an absent or empty one (csvlog and jsonlog leave unknown fields empty). */
export function presentText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/**
 * What a parser made of its input, line by line (record by record for csvlog and JSON):
 * how many there were, how many were PostgreSQL log lines, and why the others were not.
 */
export class LogTally {
  lines = 0;
  logLines = 0;
  private readonly reasons = new Map<string, number>();

  skip(reason: string): void {
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }

  get skipped(): readonly { readonly reason: string; readonly count: number }[] {
    return [...this.reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
  }
}
