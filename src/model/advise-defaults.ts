/**
 * advise's defaults: one copy for the library (an option left out takes these) and the
 * CLI, whose help shows them.
 */
export const ADVISE_DEFAULTS = {
  /** Most key columns in one candidate index. */
  maxColumns: 3,
  /** A smaller relative cost change counts as none: per query, and per index over the queries it changes. */
  minImprovement: 0.1,
} as const;
