/**
 * One snapshot of usage counters: per index (scans, tuples read/fetched, size) and
 * per table (sequential and index scans, writes, live rows, size), with the time and
 * when statistics were last reset. Two catalog queries: cheap enough for cron.
 */
import type { Engine } from '../engines/engine.js';

export interface IndexCounters {
  readonly schema: string;
  readonly table: string;
  readonly index: string;
  readonly scans: number;
  readonly tuplesRead: number;
  readonly tuplesFetched: number;
  readonly bytes: number;
  /** Unique or enforcing a constraint: never reported as unused. */
  readonly essential: boolean;
  /**
   * When the server last scanned it (pg_stat_user_indexes.last_idx_scan, PostgreSQL 16+),
   * null when it has not since the statistics began; absent where the server has no such column.
   */
  readonly lastScan?: string | null;
}

export interface TableCounters {
  readonly schema: string;
  readonly table: string;
  readonly seqScans: number;
  readonly seqTuplesRead: number;
  readonly indexScans: number;
  readonly inserts: number;
  readonly updates: number;
  readonly deletes: number;
  readonly liveRows: number;
  readonly bytes: number;
}

export interface Snapshot {
  /** Which database: the connection target, password-free. */
  readonly database: string;
  readonly takenAt: string;
  /** pg_stat_database.stats_reset, ISO text, or null when never reset. */
  readonly statsReset: string | null;
  readonly indexes: readonly IndexCounters[];
  readonly tables: readonly TableCounters[];
}

const INDEXES_SQL = `
SELECT s.schemaname AS schema, s.relname AS table_name, s.indexrelname AS index_name,
       coalesce(s.idx_scan, 0)::float8 AS scans, coalesce(s.idx_tup_read, 0)::float8 AS tuples_read,
       coalesce(s.idx_tup_fetch, 0)::float8 AS tuples_fetched, pg_relation_size(s.indexrelid)::float8 AS bytes,
       (x.indisunique OR EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = s.indexrelid)) AS essential,
       -- last_idx_scan exists from PostgreSQL 16: read through the row as JSON, so the column's presence decides, not a version
       (to_jsonb(s) -> 'last_idx_scan') IS NOT NULL AS has_last_scan, to_jsonb(s) ->> 'last_idx_scan' AS last_scan
FROM pg_stat_user_indexes s
JOIN pg_index x ON x.indexrelid = s.indexrelid
ORDER BY 1, 2, 3`;

const TABLES_SQL = `
SELECT schemaname AS schema, relname AS table_name,
       coalesce(seq_scan, 0)::float8 AS seq_scans, coalesce(seq_tup_read, 0)::float8 AS seq_tuples_read,
       coalesce(idx_scan, 0)::float8 AS index_scans, n_tup_ins::float8 AS inserts, n_tup_upd::float8 AS updates,
       n_tup_del::float8 AS deletes, n_live_tup::float8 AS live_rows, pg_total_relation_size(relid)::float8 AS bytes
FROM pg_stat_user_tables
ORDER BY 1, 2`;

export async function takeSnapshot(engine: Engine): Promise<Snapshot> {
  const info = await engine.info();
  const [reset] = await engine.query<{ stats_reset: string | null }>(
    `SELECT stats_reset::text AS stats_reset FROM pg_stat_database WHERE datname = current_database()`,
  );
  const indexes = (await engine.query(INDEXES_SQL)).map((r) => ({
    schema: String(r.schema),
    table: String(r.table_name),
    index: String(r.index_name),
    scans: Number(r.scans),
    tuplesRead: Number(r.tuples_read),
    tuplesFetched: Number(r.tuples_fetched),
    bytes: Number(r.bytes),
    essential: Boolean(r.essential),
    ...(r.has_last_scan ? { lastScan: r.last_scan === null ? null : new Date(String(r.last_scan)).toISOString() } : {}),
  }));
  const tables = (await engine.query(TABLES_SQL)).map((r) => ({
    schema: String(r.schema),
    table: String(r.table_name),
    seqScans: Number(r.seq_scans),
    seqTuplesRead: Number(r.seq_tuples_read),
    indexScans: Number(r.index_scans),
    inserts: Number(r.inserts),
    updates: Number(r.updates),
    deletes: Number(r.deletes),
    liveRows: Number(r.live_rows),
    bytes: Number(r.bytes),
  }));
  return { database: `${info.target}`, takenAt: new Date().toISOString(), statsReset: reset?.stats_reset ?? null, indexes, tables };
}
