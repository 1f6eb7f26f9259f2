/**
 * `--from pg_stat_statements`: the current database's statements with their calls
 * and time (planning + execution). Column names differ by extension version:
 * 1.8+ has total_exec_time/total_plan_time, older versions total_time; 1.9+ has
 * `toplevel` (we keep top-level statements only).
 */
import { UnsupportedError } from '../../errors.js';
import type { Engine } from '../../engines/engine.js';
import { quoteIdentAlways } from '../../sql/names.js';
import type { RawStatement } from '../../model/workload.js';

export interface PgStatStatementsOptions {
  readonly minCalls?: number;
  /** Minimum total time in milliseconds. */
  readonly minTimeMs?: number;
}

export async function readPgStatStatements(engine: Engine, options: PgStatStatementsOptions = {}): Promise<RawStatement[]> {
  const info = await engine.info();
  if (!info.capabilities.statStatements) {
    throw new UnsupportedError(
      'pg_stat_statements is not available in this database (CREATE EXTENSION pg_stat_statements, with the library in shared_preload_libraries)',
    );
  }
  const [ext] = await engine.query<{ version: string; schema: string }>(
    `SELECT e.extversion AS version, n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'`,
  );
  const [major = 1, minor = 8] = (ext?.version ?? '1.8').split('.').map(Number);
  const atLeast = (m: number) => major > 1 || minor >= m; // versions are 1.N
  const time = atLeast(8) ? 's.total_exec_time + s.total_plan_time' : 's.total_time';
  const toplevel = atLeast(9) ? 'AND s.toplevel' : '';
  const view = `${quoteIdentAlways(ext?.schema ?? 'public')}.pg_stat_statements`;
  const rows = await engine.query<{ query: string; calls: number; total_ms: number; rows: number }>(
    `SELECT s.query, s.calls::float8 AS calls, (${time})::float8 AS total_ms, s.rows::float8 AS rows
     FROM ${view} s
     WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ${toplevel}
       AND s.calls >= $1 AND (${time}) >= $2
     ORDER BY total_ms DESC`,
    [options.minCalls ?? 0, options.minTimeMs ?? 0],
  );
  return rows.map((row) => ({
    sql: row.query,
    calls: Number(row.calls),
    totalTimeMs: Number(row.total_ms),
    rows: Number(row.rows),
    source: 'pg_stat_statements',
  }));
}
