/**
 * The PostgreSQL-family engine: everything above the driver, shared by a real
 * server (`pg`) and embedded PGlite.
 */
import { DatabaseError, IndexwiseError, oneLine, SQLSTATE, sqlStateOf, TimeoutError, UnsupportedError } from '../../errors.js';
import { type Catalog, qualifiedKey } from '../../model/catalog.js';
import { quoteIdentAlways } from '../../sql/names.js';
import { type Plan, planFromExplainJson } from '../../model/plan.js';
import type { StatementEffects } from '../../model/analysis.js';
import type { Capabilities, Engine, EngineInfo, ExplainOptions, QueryOptions, Row } from '../engine.js';
import { KIND_CAPABILITIES } from '../kind-capabilities.js';
import type { WhatIfMethod } from '../../model/what-if.js';
import type { WhatIfBackend, WhatIfOptions } from '../what-if.js';
import type { ExtensionStatus } from '../../model/recommendation.js';
import { readCatalog } from './catalog.js';
import { extensionStatus as readExtensionStatus } from './extensions.js';
import { HybridBackend } from './hybrid-what-if.js';
import { HypoPgBackend, TransactionBackend } from './what-if.js';
import { whyNotReadOnly } from './volatility.js';
import { INFO_SQL } from './catalog-sql.js';
import type { PgDriver } from './driver.js';

interface Extension {
  readonly version: string;
  readonly schema: string;
}

let preparedCounter = 0;
/** Prepared statements left to deallocate together inside a what-if session. */
const DEALLOCATE_BATCH = 200;

export class PostgresEngine implements Engine {
  readonly family = 'postgres' as const;
  private infoCache: Promise<EngineInfo> | undefined;
  private extensions: Record<string, Extension> = {};
  /** $n parameter count per statement text, learned once from pg_prepared_statements. */
  private readonly parameterCounts = new Map<string, number>();
  private genericDepth = 0;
  private pendingDeallocations = 0;
  private savedPlanCacheMode = 'auto';

  /** Another connection to the same database, where the driver can open one (a server; not PGlite). */
  readonly sibling?: () => Promise<PostgresEngine>;

  constructor(readonly driver: PgDriver) {
    const reopen = driver.reopen;
    if (reopen !== undefined) {
      this.sibling = async () => {
        // names resolve the same way on the twin: this session's search_path goes with it
        const [row] = await this.driver.query(`SELECT current_setting('search_path') AS path`);
        const twin = new PostgresEngine(await reopen());
        await twin.driver.query(`SELECT set_config('search_path', $1, false)`, [String(row?.path ?? '')]);
        return twin;
      };
    }
  }

  get kind() {
    return this.driver.kind;
  }

  info(): Promise<EngineInfo> {
    this.infoCache ??= this.readInfo();
    return this.infoCache;
  }

  /** The schema an extension is installed in, if it is installed. */
  async extensionSchema(name: string): Promise<string | null> {
    await this.info();
    return this.extensions[name]?.schema ?? null;
  }

  extensionStatus(names: readonly string[]): Promise<ExtensionStatus[]> {
    return readExtensionStatus((sql, params) => this.query(sql, params), names);
  }

  private async readInfo(): Promise<EngineInfo> {
    const row = (await this.driver.query(INFO_SQL))[0] as Row;
    this.extensions = (row.extensions as Record<string, Extension> | null) ?? {};
    const versionNum = Number(row.server_version_num);
    const hypopg = 'hypopg' in this.extensions;
    const capabilities: Capabilities = {
      ...KIND_CAPABILITIES[this.driver.kind],
      hypopg,
      statStatements: 'pg_stat_statements' in this.extensions && (await this.canRead('pg_stat_statements')),
      includeColumns: versionNum >= 110000,
      genericPlan: versionNum >= 160000,
      pgstattuple: 'pgstattuple' in this.extensions,
      whatIfMethods: hypopg ? ['hypopg', 'hybrid', 'transaction'] : ['transaction'],
      // hash indexes are WAL-logged (crash-safe, replicated) from PostgreSQL 10 on
      indexMethods: KIND_CAPABILITIES[this.driver.kind].indexMethods.filter((m) => m !== 'hash' || versionNum >= 100000),
    };
    return {
      kind: this.driver.kind,
      family: 'postgres',
      target: this.driver.target,
      serverVersion: String(row.server_version).split(' ')[0] ?? '',
      serverVersionNum: versionNum,
      database: String(row.database),
      capabilities,
    };
  }

  /** pg_stat_statements exists but errors when the library is not preloaded. */
  private async canRead(extension: 'pg_stat_statements'): Promise<boolean> {
    const schema = this.extensions[extension]?.schema ?? 'public';
    try {
      await this.driver.query(`SELECT 1 FROM ${quoteIdentAlways(schema)}.${extension} LIMIT 1`);
      return true;
    } catch {
      return false;
    }
  }

  catalog(): Promise<Catalog> {
    return this.guard(() => readCatalog(this.driver));
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}): Promise<R[]> {
    return this.guard(() => this.withTimeout(options.timeoutMs, () => this.driver.query(sql, params)), options.timeoutMs) as Promise<R[]>;
  }

  async explain(sql: string, options: ExplainOptions = {}): Promise<Plan> {
    const run = async (): Promise<Plan> => {
      if (options.generic) return this.explainGeneric(sql);
      const mode = options.analyze ? '(ANALYZE, BUFFERS, FORMAT JSON)' : '(FORMAT JSON)';
      const rows = await this.driver.query(`EXPLAIN ${mode} ${sql}`, options.params ?? []);
      return planFromExplainJson(rows[0]?.['QUERY PLAN']);
    };
    return this.guard(() => this.withTimeout(options.timeoutMs, run), options.timeoutMs);
  }

  whyNotReadOnly(_sql: string, effects: StatementEffects): Promise<string | null> {
    return this.guard(() => whyNotReadOnly(this.driver, effects));
  }

  /**
   * A generic plan for a statement with $n parameters and no values: PREPARE it,
   * force the generic plan, and EXPLAIN EXECUTE it with NULLs. This works on every
   * supported version (EXPLAIN (GENERIC_PLAN) needs 16+ and the simple protocol).
   */
  private async explainGeneric(sql: string): Promise<Plan> {
    const name = `indexwise_generic_${process.pid}_${++preparedCounter}`;
    await this.driver.query(`PREPARE ${name} AS ${sql}`);
    try {
      let count = this.parameterCounts.get(sql);
      if (count === undefined) {
        const [row] = await this.driver.query(
          'SELECT coalesce(cardinality(parameter_types), 0) AS n FROM pg_prepared_statements WHERE name = $1',
          [name],
        );
        count = Number(row?.n ?? 0);
        this.parameterCounts.set(sql, count);
      }
      const args = count === 0 ? '' : `(${Array.from({ length: count }, () => 'NULL').join(', ')})`;
      return await this.withGenericPlans(async () => {
        const rows = await this.driver.query(`EXPLAIN (FORMAT JSON) EXECUTE ${name}${args}`);
        return planFromExplainJson(rows[0]?.['QUERY PLAN']);
      });
    } finally {
      await this.deallocate(name);
    }
  }

  /**
   * Inside a generic-plan hold (a what-if session: thousands of EXPLAINs) prepared
   * statements are deallocated in batches, one round trip per DEALLOCATE_BATCH instead of
   * one each; only this engine prepares statements on its connection.
   */
  private async deallocate(name: string): Promise<void> {
    if (this.genericDepth > 0) {
      if (++this.pendingDeallocations >= DEALLOCATE_BATCH) await this.deallocateAll();
      return;
    }
    // Cleanup must not hide the statement's own error (in an aborted transaction it fails too).
    await this.driver.query(`DEALLOCATE ${name}`).catch(() => {});
  }

  private async deallocateAll(): Promise<void> {
    if (this.pendingDeallocations === 0) return;
    this.pendingDeallocations = 0;
    await this.driver.query('DEALLOCATE ALL').catch(() => {});
  }

  /**
   * plan_cache_mode = force_generic_plan until the matching exit; nested holds (a
   * what-if session around many EXPLAINs) set and restore it only once.
   */
  async enterGenericPlans(): Promise<void> {
    if (this.genericDepth++ > 0) return;
    const [row] = await this.driver.query(`SELECT current_setting('plan_cache_mode') AS v`);
    this.savedPlanCacheMode = String(row?.v ?? 'auto');
    await this.driver.query(`SELECT set_config('plan_cache_mode', 'force_generic_plan', false)`);
  }

  async exitGenericPlans(): Promise<void> {
    if (--this.genericDepth > 0) return;
    await this.deallocateAll();
    await this.driver.query(`SELECT set_config('plan_cache_mode', $1, false)`, [this.savedPlanCacheMode]).catch(() => {});
  }

  private async withGenericPlans<T>(fn: () => Promise<T>): Promise<T> {
    await this.enterGenericPlans();
    try {
      return await fn();
    } finally {
      await this.exitGenericPlans();
    }
  }

  /**
   * Hypothetical indexes (HypoPG), real ones in a transaction that is rolled back, or both
   * in one session (hybrid: HypoPG for what it can make, a rolled-back build for the rest).
   */
  async openWhatIf(method: WhatIfMethod, options: WhatIfOptions = {}): Promise<WhatIfBackend> {
    if (method === 'transaction') return TransactionBackend.open(this, options);
    if (method !== 'hypopg' && method !== 'hybrid') throw new UnsupportedError(`what-if method ${method} is not available on PostgreSQL`);
    const schema = await this.extensionSchema('hypopg');
    if (schema === null) throw new UnsupportedError('HypoPG is not installed in this database (CREATE EXTENSION hypopg)');
    await this.query(`SELECT ${quoteIdentAlways(schema)}.hypopg_reset()`);
    await this.enterGenericPlans();
    return method === 'hypopg' ? new HypoPgBackend(this, schema) : HybridBackend.open(this, schema, options);
  }

  async refreshStatistics(): Promise<string[]> {
    const stale = await this.query<{ schema: string; name: string }>(
      `SELECT schemaname AS schema, relname AS name FROM pg_stat_user_tables
       WHERE (last_analyze IS NULL AND last_autoanalyze IS NULL) OR n_mod_since_analyze > 0.1 * greatest(n_live_tup, 1)
       ORDER BY 1, 2`,
    );
    for (const table of stale) await this.query(`ANALYZE ${quoteIdentAlways(table.schema)}.${quoteIdentAlways(table.name)}`);
    return stale.map((t) => qualifiedKey(t));
  }

  private async withTimeout<T>(timeoutMs: number | undefined, fn: () => Promise<T>): Promise<T> {
    if (timeoutMs === undefined || this.driver.kind !== 'postgres') return fn();
    const [row] = await this.driver.query(`SELECT current_setting('statement_timeout') AS v`);
    await this.driver.query(`SELECT set_config('statement_timeout', $1, false)`, [String(Math.max(1, Math.round(timeoutMs)))]);
    try {
      return await fn();
    } finally {
      // In a transaction the statement aborted this fails too; the rollback then restores the setting.
      await this.driver.query(`SELECT set_config('statement_timeout', $1, false)`, [String(row?.v ?? '0')]).catch(() => {});
    }
  }

  /** Driver errors become DatabaseError with the SQLSTATE kept; timeouts become TimeoutError. */
  private async guard<T>(fn: () => Promise<T>, timeoutMs?: number): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof IndexwiseError) throw error;
      const sqlState = sqlStateOf(error);
      if (sqlState === SQLSTATE.queryCanceled && timeoutMs !== undefined) throw new TimeoutError(timeoutMs);
      throw new DatabaseError(oneLine(error), { cause: error, sqlState });
    }
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
