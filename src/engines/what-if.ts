/**
 * What-if costing, engine side: make indexes known to the planner without building
 * them for real (HypoPG), or build them inside a transaction that is always rolled
 * back; then EXPLAIN with exactly a chosen set of them in place.
 */
import type { IndexDef } from '../model/index-def.js';
import type { Plan } from '../model/plan.js';
import type { WhatIfMethod } from '../model/what-if.js';
import type { ExplainOptions } from './engine.js';

export type { WhatIfMethod } from '../model/what-if.js';

export interface WhatIfExplain {
  readonly plan: Plan;
  /** Ids of the prepared indexes the plan reads. */
  readonly usedIds: readonly string[];
}

/** How a backend is opened; each backend reads the options that concern it. */
export interface WhatIfOptions {
  /** sqlite-copy: copy the whole file when it is at most this many bytes, else a sampled copy. */
  readonly copyLimitBytes?: number;
  /** sqlite-copy: rows per table in a sampled copy. */
  readonly sampleRows?: number;
  /** sqlite-copy: a sampled copy whatever the file's size. */
  readonly sample?: boolean;
}

export interface WhatIfBackend {
  readonly method: WhatIfMethod;
  /** What a report should say about how the costing was done (e.g. which copy). */
  readonly notes?: readonly string[];
  /** Makes an index known under `id` (hypothetical, or built); returns its estimated size in bytes. */
  prepare(id: string, def: IndexDef): Promise<{ readonly bytes: number }>;
  /**
   * EXPLAIN with exactly the `active` prepared indexes (plus the existing ones)
   * visible to the planner. `tables` (schema.table) are the tables the statement
   * touches: prepared indexes elsewhere cannot change its plan.
   */
  explain(sql: string, options: ExplainOptions, active: readonly string[], tables: ReadonlySet<string>): Promise<WhatIfExplain>;
  /** Forgets every prepared index (HypoPG: reset; transaction: roll back). */
  close(): Promise<void>;
}
