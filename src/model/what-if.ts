/**
 * How candidate indexes are costed without being built for good: HypoPG's hypothetical
 * indexes, a build inside a transaction that is always rolled back, or (SQLite) a copy
 * of the file. The engines implement them (src/engines/what-if.ts); the advice names
 * the one it used.
 */
export const WHAT_IF_METHODS = ['hypopg', 'transaction', 'sqlite-copy'] as const;
export type WhatIfMethod = (typeof WHAT_IF_METHODS)[number];
