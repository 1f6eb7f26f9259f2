/**
 * The one small interface every database engine implements. Code outside
 * src/engines branches on `capabilities`, never on the engine's class.
 */
import type { StatementEffects } from '../model/analysis.js';
import type { Catalog } from '../model/catalog.js';
import type { IndexMethod } from '../model/index-def.js';
import type { Plan } from '../model/plan.js';
import type { EngineKind } from './connection-string.js';
import type { ExtensionStatus } from '../model/recommendation.js';
import type { WhatIfMethod } from '../model/what-if.js';
import type { Dialect } from '../sql/dialect.js';
import type { WhatIfBackend, WhatIfOptions } from './what-if.js';

/** The SQL dialect the engine speaks: PostgreSQL's for a server and PGlite, SQLite's. */
export type EngineFamily = Dialect;

export interface Capabilities {
  /** HypoPG is installed: indexes can be costed without building them. */
  readonly hypopg: boolean;
  /** pg_stat_statements is installed and readable in this database. */
  readonly statStatements: boolean;
  /** CREATE INDEX CONCURRENTLY exists. */
  readonly concurrently: boolean;
  /** INCLUDE columns in an index (PostgreSQL ≥ 11). */
  readonly includeColumns: boolean;
  /** EXPLAIN (GENERIC_PLAN) (PostgreSQL ≥ 16). */
  readonly genericPlan: boolean;
  /** statement_timeout is enforced (not in single-threaded PGlite). */
  readonly statementTimeout: boolean;
  /** pgstattuple is installed (exact bloat figures). */
  readonly pgstattuple: boolean;
  /**
   * The what-if methods openWhatIf accepts, the least disturbing first: HypoPG where it is
   * installed, then HypoPG with a rolled-back build of what HypoPG cannot make (hybrid),
   * then a build of every candidate in a rolled-back transaction (PostgreSQL family); a
   * copy of the file (SQLite).
   */
  readonly whatIfMethods: readonly WhatIfMethod[];
  /**
   * Trial writes — a statement measured and rolled back, an index built in a transaction
   * that is rolled back — disturb no other session: PGlite (the database lives in this
   * process) and SQLite (a copy of the file, or a file this process holds for writing).
   * Not a server, where they take locks that other sessions wait for.
   */
  readonly isolatedWrites: boolean;
  /** A second connection to the same database can be opened (a server): apply watches and cancels a build through one. */
  readonly secondConnection: boolean;
  /**
   * The index access methods CREATE INDEX accepts here, the ones the advisor may propose:
   * all of PostgreSQL's (hash from PostgreSQL 10, when hash indexes became crash-safe);
   * SQLite has b-trees only.
   */
  readonly indexMethods: readonly IndexMethod[];
  /** Operator classes such as text_pattern_ops exist (PostgreSQL); SQLite serves LIKE 'abc%' with a NOCASE key instead. */
  readonly operatorClasses: boolean;
  /** PostgreSQL's statistics views: pg_stat_activity, and scan and write counters per table and index (pg_stat_user_*). */
  readonly statisticsViews: boolean;
  /**
   * BEGIN READ ONLY exists (PostgreSQL family): a statement measured as a read runs in a
   * transaction that cannot write and is rolled back, so even one misjudged cannot change anything.
   */
  readonly readOnlyTransactions: boolean;
}

export interface EngineInfo {
  readonly kind: EngineKind;
  readonly family: EngineFamily;
  /** Where we are connected, password-free. */
  readonly target: string;
  /** e.g. "15.19" or "3.45.1". */
  readonly serverVersion: string;
  /** e.g. 150019; SQLite: 3045001. */
  readonly serverVersionNum: number;
  readonly database: string;
  readonly capabilities: Capabilities;
}

export interface QueryOptions {
  /** Abort the statement after this many milliseconds (where the engine can). */
  readonly timeoutMs?: number;
}

export interface ExplainOptions extends QueryOptions {
  /** Values for $1, $2, … */
  readonly params?: readonly unknown[];
  /**
   * Plan the statement without values for its $n parameters (a generic plan).
   * Used for normalized workload queries.
   */
  readonly generic?: boolean;
  /** Run the statement (EXPLAIN ANALYZE, BUFFERS). Never use on writes outside a rolled-back transaction. */
  readonly analyze?: boolean;
}

export type Row = Record<string, unknown>;

/**
 * The statement that opens a transaction which may write (to be rolled back): READ WRITE
 * where sessions can be read-only by default (connect's `readOnly`), plain BEGIN in SQLite.
 */
export function beginWritable(capabilities: Capabilities): string {
  return capabilities.readOnlyTransactions ? 'BEGIN READ WRITE' : 'BEGIN';
}

/**
 * Undoes a savepoint and ends it. ROLLBACK TO alone keeps the savepoint, and the next
 * SAVEPOINT of the same name nests one level deeper: done per EXPLAIN, a PostgreSQL session
 * passes 64 subtransactions and overflows the shared cache, which slows the whole server.
 * `name` is one of indexwise's own savepoint names, never user input.
 */
export async function rollbackToSavepoint(session: Pick<Engine, 'query'>, name: string): Promise<void> {
  await session.query(`ROLLBACK TO SAVEPOINT ${name}`);
  await session.query(`RELEASE SAVEPOINT ${name}`);
}

export interface Engine {
  readonly kind: EngineKind;
  readonly family: EngineFamily;
  info(): Promise<EngineInfo>;
  catalog(): Promise<Catalog>;
  /** Runs one statement with bound parameters and returns its rows. */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<R[]>;
  explain(sql: string, options?: ExplainOptions): Promise<Plan>;
  /**
   * Why running the statement might change something, or null when it provably only reads.
   * `effects` is what its parse tree shows (src/analysis/read-only.ts). PostgreSQL family:
   * a change in the tree, or a function or operator it names that is volatile
   * (pg_proc.provolatile) or that the database does not know. SQLite: the prepared
   * statement is not read-only (SQLite's own verdict).
   */
  whyNotReadOnly(sql: string, effects: StatementEffects): Promise<string | null>;
  /** Cost indexes that do not exist (see what-if.ts). One backend at a time per engine. */
  openWhatIf(method: WhatIfMethod, options?: WhatIfOptions): Promise<WhatIfBackend>;
  /** ANALYZE the tables whose statistics are missing or stale; returns their names. */
  refreshStatistics(): Promise<string[]>;
  /**
   * A writable scratch copy of the database that the caller closes (SQLite: the file
   * copied into a temp directory). Absent where trials run in a rolled-back transaction.
   */
  writableCopy?(): Promise<Engine>;
  /**
   * Another connection to the same database, for work that runs in parallel (what-if
   * lanes: HypoPG keeps its indexes per connection). Absent where there is only one
   * connection (PGlite, SQLite).
   */
  sibling?(): Promise<Engine>;
  /** Whether these extensions are installed, available and creatable by this role (PostgreSQL family). */
  extensionStatus?(names: readonly string[]): Promise<ExtensionStatus[]>;
  close(): Promise<void>;
}
