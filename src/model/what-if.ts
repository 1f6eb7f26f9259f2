/**
 * How candidate indexes are costed without being built for good: HypoPG's hypothetical
 * indexes, a build inside a transaction that is always rolled back, both in one session
 * (hybrid: HypoPG for what it can make, a rolled-back build for the rest), or (SQLite) a
 * copy of the file. The engines implement them (src/engines/what-if.ts); the advice names
 * the one it used.
 */
import type { IndexMethod } from './index-def.js';

export const WHAT_IF_METHODS = ['hypopg', 'transaction', 'hybrid', 'sqlite-copy'] as const;
export type WhatIfMethod = (typeof WHAT_IF_METHODS)[number];

/**
 * The index methods HypoPG can make hypothetical indexes of (HypoPG's README, "Supported
 * access methods": btree, brin, hash, bloom; indexwise proposes no bloom). GIN, GiST and
 * SP-GiST are not among them.
 */
export const HYPOPG_METHODS: ReadonlySet<IndexMethod> = new Set(['btree', 'brin', 'hash']);
