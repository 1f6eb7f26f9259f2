/**
 * Exact btree bloat from pgstattuple's pgstatindex(): it reads the whole index, so it is
 * only asked about indexes large enough to matter. Usable when the extension is installed
 * and we may execute it (superuser or pg_stat_scan_tables).
 */
import type { Engine } from '../engines/engine.js';
import { quoteIdentAlways } from '../sql/names.js';

const ACCESS_SQL = `
SELECT n.nspname AS schema,
       has_function_privilege(format('%I.pgstatindex(regclass)', n.nspname), 'EXECUTE') AS allowed
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname = 'pgstattuple'`;

/** The schema pgstatindex() can be called in, or null when it cannot be used. */
export async function pgstatindexSchema(engine: Engine): Promise<string | null> {
  const [row] = await engine.query<{ schema: string; allowed: boolean }>(ACCESS_SQL);
  return row?.allowed ? row.schema : null;
}

export interface IndexLayout {
  readonly indexBytes: number;
  readonly internalPages: number;
  readonly leafPages: number;
  /** Percent of each leaf page in use (NaN for an empty index). */
  readonly avgLeafDensity: number;
}

export async function pgstatindex(engine: Engine, schema: string, indexOid: string): Promise<IndexLayout> {
  const sql = `SELECT index_size::float8 AS index_bytes, internal_pages::float8 AS internal_pages,
                      leaf_pages::float8 AS leaf_pages, avg_leaf_density::float8 AS avg_leaf_density
               FROM ${quoteIdentAlways(schema)}.pgstatindex($1::oid::regclass)`;
  const [row] = await engine.query<Record<string, number>>(sql, [indexOid]);
  return {
    indexBytes: Number(row?.index_bytes ?? 0),
    internalPages: Number(row?.internal_pages ?? 0),
    leafPages: Number(row?.leaf_pages ?? 0),
    avgLeafDensity: Number(row?.avg_leaf_density ?? Number.NaN),
  };
}

/** The size the index would have freshly built: meta page, internal pages, and leaf pages filled to the fillfactor. */
export function compactBytes(layout: IndexLayout, blockSize: number, fillfactor: number): number {
  const density = Number.isFinite(layout.avgLeafDensity) ? layout.avgLeafDensity : 0;
  return blockSize * (1 + layout.internalPages + Math.ceil((layout.leafPages * density) / fillfactor));
}
