/** What a health check finds: one shape for every check. */

export const SEVERITIES = ['info', 'warning', 'error'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export interface Finding {
  /** The check's id, e.g. "unused-index" (also its file name and CLI value). */
  readonly check: string;
  readonly severity: Severity;
  /** Schema-qualified, quoted only where needed; null when the finding is about no table. */
  readonly table: string | null;
  readonly index: string | null;
  /** One line a developer understands. */
  readonly message: string;
  /** The numbers behind it (sizes in bytes, counts, ratios). */
  readonly evidence: Readonly<Record<string, string | number | boolean | null>>;
  /** The fix as SQL, when there is one (DROP INDEX CONCURRENTLY …, CREATE INDEX CONCURRENTLY …). */
  readonly fixSql: string | null;
}
