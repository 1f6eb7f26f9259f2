/**
 * A health check: an id, a family (static checks work on an empty schema and fit CI;
 * runtime checks need usage statistics), thresholds with documented defaults, and a
 * run function from the database to findings.
 */
import type { Engine, EngineInfo } from '../engines/engine.js';
import type { Catalog } from '../model/catalog.js';
import type { Finding } from '../model/finding.js';
import type { Workload } from '../model/workload.js';
import type { Dialect } from '../sql/dialect.js';

export const CHECK_FAMILIES = ['static', 'runtime'] as const;
export type CheckFamily = (typeof CHECK_FAMILIES)[number];

/** A threshold a user can set with --<name> (e.g. --min-scans). */
export interface Threshold {
  readonly name: string;
  readonly description: string;
  readonly default: number;
}

export interface CheckContext {
  readonly engine: Engine;
  readonly info: EngineInfo;
  readonly catalog: Catalog;
  /** Threshold values by name (defaults filled in). */
  readonly thresholds: Readonly<Record<string, number>>;
  /** Further databases (replicas) whose usage counters count too (unused-index). */
  readonly replicas: readonly Engine[];
  /** The workload, when one was given (`--from`): its plans are the usage evidence on SQLite. */
  readonly workload?: Workload;
}

export interface Check {
  readonly id: string;
  readonly family: CheckFamily;
  /** What it finds, in one sentence (shown by `health --list`). */
  readonly description: string;
  readonly thresholds: readonly Threshold[];
  /** Engine families (SQL dialects) it runs on. */
  readonly engines: readonly Dialect[];
  run(context: CheckContext): Promise<Finding[]>;
}
