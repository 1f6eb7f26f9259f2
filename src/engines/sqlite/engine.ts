/**
 * SQLite through better-sqlite3. The user's file is opened read-only; only
 * `refreshStatistics()` (asked for with --analyze) and an engine opened `writable`
 * (apply, the demo) write to it. What-if costing, timed writes and trials run on a
 * copy in a temp directory (copy.ts). Plans come from EXPLAIN QUERY PLAN, priced by
 * cost.ts from sqlite_stat1.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ConnectionError, DatabaseError, oneLine, UnsupportedError } from '../../errors.js';
import type { StatementEffects } from '../../model/analysis.js';
import type { Catalog } from '../../model/catalog.js';
import type { Plan } from '../../model/plan.js';
import type { WhatIfMethod } from '../../model/what-if.js';
import { quoteIdentAlways } from '../../sql/names.js';
import type { Engine, EngineInfo, ExplainOptions, Row } from '../engine.js';
import { KIND_CAPABILITIES } from '../kind-capabilities.js';
import type { WhatIfBackend, WhatIfOptions } from '../what-if.js';
import { readSqliteCatalog } from './catalog.js';
import { type DatabaseCopy, openCopy } from './copy.js';
import { explainPlan, isReadOnly, prepareBound, timedRun } from './explain.js';
import { readStat1, StatsCache, statNumbers } from './stats.js';
import { SqliteCopyBackend } from './what-if.js';

export class SqliteEngine implements Engine {
  readonly kind = 'sqlite' as const;
  readonly family = 'sqlite' as const;
  private readonly stats: StatsCache;
  private scratch: SqliteEngine | null = null;

  private constructor(
    readonly db: Database.Database,
    private readonly path: string,
    private readonly readonly: boolean,
    private readonly label: string,
    private readonly onClose: () => void = () => {},
  ) {
    this.stats = new StatsCache(db);
  }

  static open(path: string, options: { readonly?: boolean } = {}): SqliteEngine {
    if (!existsSync(path)) throw new ConnectionError(`cannot open sqlite:${path}: no such file`);
    const readonly = options.readonly ?? true;
    try {
      const db = new Database(path, { readonly, fileMustExist: true });
      db.prepare('SELECT count(*) FROM sqlite_schema').get();
      return new SqliteEngine(db, path, readonly, path);
    } catch (error) {
      throw new ConnectionError(`cannot open sqlite:${path}: ${oneLine(error)}`, { cause: error });
    }
  }

  /** An engine on a writable copy; the copy is deleted when the engine closes. */
  private static onCopy(copy: DatabaseCopy, label: string): SqliteEngine {
    return new SqliteEngine(copy.db, copy.path, false, `${label} (a copy)`, () => copy.dispose());
  }

  async info(): Promise<EngineInfo> {
    const { v } = this.db.prepare('SELECT sqlite_version() AS v').get() as { v: string };
    const [major = 0, minor = 0, patch = 0] = v.split('.').map(Number);
    return {
      kind: 'sqlite',
      family: 'sqlite',
      target: `sqlite:${this.label}`,
      serverVersion: v,
      serverVersionNum: major * 1_000_000 + minor * 1_000 + patch,
      database: this.label,
      capabilities: {
        ...KIND_CAPABILITIES.sqlite,
        hypopg: false,
        statStatements: false,
        includeColumns: false,
        genericPlan: true,
        pgstattuple: false,
        whatIfMethods: ['sqlite-copy'],
      },
    };
  }

  async catalog(): Promise<Catalog> {
    return this.guard(() => readSqliteCatalog(this.db));
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.guard(() => {
      const { statement, args } = prepareBound(this.db, sql, params);
      const rows = (statement.reader ? statement.all(...args) : (statement.run(...args), [])) as R[];
      if (!statement.readonly) this.stats.invalidate();
      return rows;
    });
  }

  /**
   * EXPLAIN QUERY PLAN, priced by the cost model. With `analyze` the statement also runs
   * once, timed (SQLite has no EXPLAIN ANALYZE): reads here, writes in a savepoint that is
   * rolled back — on a copy when this file is open read-only.
   */
  async explain(sql: string, options: ExplainOptions = {}): Promise<Plan> {
    return this.guard(() => {
      const params = options.params ?? [];
      const plan = explainPlan(this.db, this.stats, sql, params);
      if (!options.analyze) return plan;
      const target = this.readonly && !isReadOnly(this.db, sql) ? this.scratchCopy().db : this.db;
      return { ...plan, executionTimeMs: timedRun(target, sql, params) };
    });
  }

  /** SQLite's own verdict (sqlite3_stmt_readonly); it has no data-modifying WITH and no writing functions. */
  async whyNotReadOnly(sql: string, effects: StatementEffects): Promise<string | null> {
    return this.guard(() => (isReadOnly(this.db, sql) ? null : effects.changes.join(', ') || 'a write (SQLite)'));
  }

  private scratchCopy(): SqliteEngine {
    this.scratch ??= SqliteEngine.onCopy(this.wholeCopy(), this.label);
    return this.scratch;
  }

  /** The whole file copied, read through a connection of its own (VACUUM INTO cannot run inside this one's transaction). */
  private wholeCopy(): DatabaseCopy {
    const source = new Database(this.path, { readonly: true, fileMustExist: true });
    try {
      return openCopy(source, this.path, { maxCopyBytes: Number.POSITIVE_INFINITY });
    } finally {
      source.close();
    }
  }

  /** ANALYZE (on the user's file: only asked for with --analyze) the tables without statistics or with stale ones. */
  async refreshStatistics(): Promise<string[]> {
    const stale = this.guard(() => staleTables(this.db));
    if (stale.length === 0) return [];
    const writer = this.readonly ? new Database(this.path, { fileMustExist: true }) : this.db;
    try {
      for (const table of stale) writer.exec(`ANALYZE ${quoteIdentAlways(table)}`);
    } finally {
      if (writer !== this.db) writer.close();
    }
    this.stats.invalidate();
    return stale;
  }

  async openWhatIf(method: WhatIfMethod, options: WhatIfOptions = {}): Promise<WhatIfBackend> {
    if (method !== 'sqlite-copy') throw new UnsupportedError(`what-if by ${method} is for PostgreSQL; SQLite uses sqlite-copy`);
    const copy = this.guard(() =>
      openCopy(this.db, this.path, { maxCopyBytes: options.copyLimitBytes, sampleRows: options.sampleRows, sample: options.sample }),
    );
    return new SqliteCopyBackend(copy);
  }

  /** A writable copy of the database in a temp directory (for trials): the user's file stays as it is. */
  async writableCopy(): Promise<Engine> {
    return this.guard(() => SqliteEngine.onCopy(this.wholeCopy(), this.label));
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof ConnectionError || error instanceof UnsupportedError) throw error;
      throw new DatabaseError(oneLine(error), { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.scratch?.close();
    this.scratch = null;
    if (this.db.open) this.db.close();
    this.onClose();
  }
}

/** Tables with rows but no sqlite_stat1 row (ANALYZE writes none for an empty one), or whose row count moved by more than a fifth since. */
function staleTables(db: Database.Database): string[] {
  const stat = new Map<string, number>();
  for (const row of readStat1(db)) stat.set(row.tbl.toLowerCase(), statNumbers(row.stat)[0] ?? 0);
  const tables = (
    db
      .prepare(
        `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND sql NOT LIKE 'CREATE VIRTUAL%'`,
      )
      .all() as { name: string }[]
  ).map((r) => r.name);
  return tables.filter((table) => {
    const known = stat.get(table.toLowerCase());
    const now = (db.prepare(`SELECT count(*) AS n FROM ${quoteIdentAlways(table)}`).get() as { n: number }).n;
    if (known === undefined) return now > 0;
    return Math.abs(now - known) > Math.max(known, 1) / 5;
  });
}
