/**
 * The fix SQL health checks propose. CREATE and DROP INDEX come from src/sql/ddl.ts;
 * this module only decides whether CONCURRENTLY applies: the engine must support it
 * (not PGlite, not SQLite) and the table must not be partitioned (PostgreSQL builds
 * and drops indexes on a partitioned table only without CONCURRENTLY).
 */
import type { EngineInfo } from '../engines/engine.js';
import { type Catalog, findTable, type QualifiedName } from '../model/catalog.js';
import type { IndexDef } from '../model/index-def.js';
import { formatQualified } from '../sql/names.js';
import { createIndexSql, dropIndexSql } from '../sql/ddl.js';

export function canUseConcurrently(info: EngineInfo, catalog: Catalog, table: QualifiedName): boolean {
  return info.capabilities.concurrently && findTable(catalog, table)?.kind !== 'partitioned';
}

export function dropIndexFix(info: EngineInfo, catalog: Catalog, index: QualifiedName & { table: QualifiedName }): string {
  return `${dropIndexSql(index, { concurrently: canUseConcurrently(info, catalog, index.table), dialect: info.family })};`;
}

export function createIndexFix(info: EngineInfo, catalog: Catalog, def: IndexDef): string {
  return `${createIndexSql(def, { concurrently: canUseConcurrently(info, catalog, def.table), dialect: info.family })};`;
}

/** REINDEX … CONCURRENTLY (PostgreSQL ≥ 12) rebuilds an index without blocking writes. */
export function reindexFix(info: EngineInfo, index: QualifiedName): string {
  return `REINDEX INDEX ${info.capabilities.concurrently ? 'CONCURRENTLY ' : ''}${formatQualified(index)};`;
}
