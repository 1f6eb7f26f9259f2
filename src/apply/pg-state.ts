/**
 * What apply asks the PostgreSQL catalog right before each change: does the index
 * exist, is it valid, is someone building it; what kind of table is it on; which
 * partitions does a partitioned table have.
 */
import type { Engine } from '../engines/engine.js';
import type { QualifiedName } from '../model/catalog.js';

export type IndexState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'not-an-index'; readonly relkind: string }
  | {
      readonly kind: 'index';
      readonly valid: boolean;
      /** A CREATE INDEX is building it right now (another session's). */
      readonly building: boolean;
      readonly partitioned: boolean;
      readonly definition: string;
      readonly constraint: string | null;
    };

export async function indexState(engine: Engine, index: QualifiedName): Promise<IndexState> {
  const [row] = await engine.query<{
    relkind: string;
    valid: boolean | null;
    building: boolean;
    definition: string | null;
    constraint: string | null;
  }>(
    `SELECT c.relkind::text AS relkind, x.indisvalid AS valid,
            EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = c.oid) AS building,
            CASE WHEN c.relkind IN ('i', 'I') THEN pg_get_indexdef(c.oid) END AS definition,
            (SELECT k.conname::text FROM pg_constraint k WHERE k.conindid = c.oid AND k.contype IN ('p', 'u', 'x') LIMIT 1) AS constraint
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_index x ON x.indexrelid = c.oid
     WHERE n.nspname = $1 AND c.relname = $2`,
    [index.schema, index.name],
  );
  if (row === undefined) return { kind: 'absent' };
  if (row.relkind !== 'i' && row.relkind !== 'I') return { kind: 'not-an-index', relkind: row.relkind };
  return {
    kind: 'index',
    valid: row.valid === true,
    building: row.building,
    partitioned: row.relkind === 'I',
    definition: row.definition ?? '',
    constraint: row.constraint,
  };
}

/** 'r' table, 'p' partitioned table, 'm' materialized view, …; null when there is no such relation. */
export async function tableKind(engine: Engine, table: QualifiedName): Promise<string | null> {
  const [row] = await engine.query<{ relkind: string }>(
    `SELECT c.relkind::text AS relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
    [table.schema, table.name],
  );
  return row?.relkind ?? null;
}

export interface Partition extends QualifiedName {
  readonly partitioned: boolean;
}

/** The direct partitions of a partitioned table. */
export async function partitionsOf(engine: Engine, table: QualifiedName): Promise<Partition[]> {
  const rows = await engine.query<{ schema: string; name: string; relkind: string }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind
     FROM pg_inherits i
     JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
     JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE pn.nspname = $1 AND p.relname = $2 AND c.relkind IN ('r', 'p')
     ORDER BY 1, 2`,
    [table.schema, table.name],
  );
  return rows.map((r) => ({ schema: r.schema, name: r.name, partitioned: r.relkind === 'p' }));
}
