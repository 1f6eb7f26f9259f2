/**
 * What-if costing, engine side: make indexes known to the planner without building
 * them for real (HypoPG), or build them inside a transaction that is always rolled
 * back; then EXPLAIN with exactly a chosen set of them in place.
 */
import type { IndexDef } from '../model/index-def.js';
import type { Plan } from '../model/plan.js';
import { DatabaseError, SQLSTATE } from '../errors.js';
import type { WhatIfMethod } from '../model/what-if.js';
import type { ExplainOptions } from './engine.js';

export interface WhatIfExplain {
  readonly plan: Plan;
  /** Ids of the registered indexes the plan reads. */
  readonly usedIds: readonly string[];
  /** Indexes of `active` the database refused to create; the plan is the one without them. */
  readonly refused: readonly Refusal[];
}

/** An index definition the database would not create, and its reason. */
export interface Refusal {
  readonly id: string;
  readonly reason: string;
}

/**
 * SQLSTATEs that mean "this index definition does not fit this table": no default
 * operator class for the type (42704), an operator class that does not accept the type
 * (42804), an index row too large for a b-tree (54000), a predicate or expression that
 * is not immutable (42P17). Any other error is not the candidate's fault and is raised.
 */
export const REFUSED_DEFINITION_STATES: ReadonlySet<string> = new Set([
  SQLSTATE.undefinedObject,
  SQLSTATE.datatypeMismatch,
  SQLSTATE.programLimitExceeded,
  SQLSTATE.invalidObjectDefinition,
]);

/** size() of an index the database refused. */
export class IndexRefusedError extends DatabaseError {
  constructor(
    readonly id: string,
    reason: string,
  ) {
    super(`the database refused index ${id}: ${reason}`);
  }
}

/** How a backend is opened; each backend reads the options that concern it. */
export interface WhatIfOptions {
  /** sqlite-copy: copy the whole file when it is at most this many bytes, else a sampled copy. */
  readonly copyLimitBytes?: number;
  /** sqlite-copy: rows per table in a sampled copy. */
  readonly sampleRows?: number;
  /** sqlite-copy: a sampled copy whatever the file's size. */
  readonly sample?: boolean;
  /**
   * transaction, hybrid: how long a build waits for its table's lock (default 5 s). A
   * build queued behind another session's lock would block that table's writers; past
   * this the candidate is left out, with the reason.
   */
  readonly lockTimeoutMs?: number;
}

export interface WhatIfBackend {
  readonly method: WhatIfMethod;
  /** What a report should say about how the costing was done (e.g. which copy). */
  readonly notes?: readonly string[];
  /** Makes an index known under `id`. Nothing is created or built until a plan or its size needs it. */
  register(id: string, def: IndexDef): void;
  /**
   * The estimated size in bytes of a registered index, creating (HypoPG) or building it
   * when that has not happened yet. Throws IndexRefusedError when the database refuses
   * the definition (e.g. an operator class that does not fit the column's type).
   */
  size(id: string): Promise<number>;
  /** The size, when the index was already created or built (no database call). */
  knownSize(id: string): number | undefined;
  /**
   * EXPLAIN with exactly the `active` registered indexes (plus the existing ones)
   * visible to the planner. `tables` (schema.table) are the tables the statement
   * touches: registered indexes elsewhere cannot change its plan. An active index the
   * database refuses is left out and reported in `refused`.
   */
  explain(sql: string, options: ExplainOptions, active: readonly string[], tables: ReadonlySet<string>): Promise<WhatIfExplain>;
  /** Forgets every registered index (HypoPG: reset; transaction: roll back). */
  close(): Promise<void>;
}
