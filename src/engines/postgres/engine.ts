/**
 * The PostgreSQL-family engine: everything above the driver, shared by a real
 * server (`pg`) and embedded PGlite.
 */
import { DatabaseError, IndexwiseError, oneLine, sqlStateOf } from '../../errors.js';
import type { Catalog } from '../../model/catalog.js';
import { quoteIdentAlways } from '../../model/names.js';
import { type Plan, planFromExplainJson } from '../../model/plan.js';
import type { Capabilities, Engine, EngineInfo, ExplainOptions, QueryOptions, Row } from '../engine.js';
import { readCatalog } from './catalog.js';
import { INFO_SQL } from './catalog-sql.js';
import type { PgDriver } from './driver.js';

interface Extension {
  readonly version: string;
  readonly schema: string;
}

export class TimeoutError extends IndexwiseError {
  constructor(readonly timeoutMs: number) {
    super('TIMEOUT', `statement timed out after ${timeoutMs} ms`);
  }
}

let preparedCounter = 0;

export class PostgresEngine implements Engine {
  readonly family = 'postgres' as const;
  private infoCache: Promise<EngineInfo> | undefined;
  private extensions: Record<string, Extension> = {};

  constructor(readonly driver: PgDriver) {}

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

  private async readInfo(): Promise<EngineInfo> {
    const row = (await this.driver.query(INFO_SQL))[0] as Row;
    this.extensions = (row.extensions as Record<string, Extension> | null) ?? {};
    const versionNum = Number(row.server_version_num);
    const capabilities: Capabilities = {
      hypopg: 'hypopg' in this.extensions,
      statStatements: 'pg_stat_statements' in this.extensions && (await this.canRead('pg_stat_statements')),
      concurrently: this.driver.kind === 'postgres',
      includeColumns: versionNum >= 110000,
      genericPlan: versionNum >= 160000,
      statementTimeout: this.driver.kind === 'postgres',
      pgstattuple: 'pgstattuple' in this.extensions,
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

  /**
   * A generic plan for a statement with $n parameters and no values: PREPARE it,
   * force the generic plan, and EXPLAIN EXECUTE it with NULLs. This works on every
   * supported version (EXPLAIN (GENERIC_PLAN) needs 16+ and the simple protocol).
   */
  private async explainGeneric(sql: string): Promise<Plan> {
    const name = `indexwise_generic_${process.pid}_${++preparedCounter}`;
    await this.driver.query(`PREPARE ${name} AS ${sql}`);
    try {
      const [row] = await this.driver.query(
        'SELECT coalesce(cardinality(parameter_types), 0) AS n FROM pg_prepared_statements WHERE name = $1',
        [name],
      );
      const count = Number(row?.n ?? 0);
      const args = count === 0 ? '' : `(${Array.from({ length: count }, () => 'NULL').join(', ')})`;
      const [previous] = await this.driver.query(`SELECT current_setting('plan_cache_mode') AS v`);
      await this.driver.query(`SELECT set_config('plan_cache_mode', 'force_generic_plan', false)`);
      try {
        const rows = await this.driver.query(`EXPLAIN (FORMAT JSON) EXECUTE ${name}${args}`);
        return planFromExplainJson(rows[0]?.['QUERY PLAN']);
      } finally {
        await this.driver.query(`SELECT set_config('plan_cache_mode', $1, false)`, [String(previous?.v ?? 'auto')]);
      }
    } finally {
      await this.driver.query(`DEALLOCATE ${name}`);
    }
  }

  private async withTimeout<T>(timeoutMs: number | undefined, fn: () => Promise<T>): Promise<T> {
    if (timeoutMs === undefined || this.driver.kind !== 'postgres') return fn();
    const [row] = await this.driver.query(`SELECT current_setting('statement_timeout') AS v`);
    await this.driver.query(`SELECT set_config('statement_timeout', $1, false)`, [String(Math.max(1, Math.round(timeoutMs)))]);
    try {
      return await fn();
    } finally {
      await this.driver.query(`SELECT set_config('statement_timeout', $1, false)`, [String(row?.v ?? '0')]);
    }
  }

  /** Driver errors become DatabaseError with the SQLSTATE kept; timeouts become TimeoutError. */
  private async guard<T>(fn: () => Promise<T>, timeoutMs?: number): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof IndexwiseError) throw error;
      const sqlState = sqlStateOf(error);
      if (sqlState === '57014' && timeoutMs !== undefined) throw new TimeoutError(timeoutMs);
      throw new DatabaseError(oneLine(error), { cause: error, sqlState });
    }
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
