/**
 * The fix SQL a finding proposes (health checks, and the indexes an advice replaces).
 * CREATE and DROP INDEX come from ddl.ts; this module only decides whether CONCURRENTLY
 * applies: the engine must support it (not PGlite, not SQLite) and the table must not be
 * partitioned (PostgreSQL builds and drops indexes on a partitioned table only without
 * CONCURRENTLY).
 */
import { type Catalog, findTable, type QualifiedName } from '../model/catalog.js';
import type { IndexDef } from '../model/index-def.js';
import { createIndexSql, dropIndexSql } from './ddl.js';
import type { Dialect } from './dialect.js';
import { formatQualified } from './names.js';

/** What a fix needs to know of the database (an EngineInfo is one): its SQL dialect, and whether it has CONCURRENTLY. */
export interface FixTarget {
  readonly family: Dialect;
  readonly capabilities: { readonly concurrently: boolean };
}

export function canUseConcurrently(info: FixTarget, catalog: Catalog, table: QualifiedName): boolean {
  return info.capabilities.concurrently && findTable(catalog, table)?.kind !== 'partitioned';
}

export function dropIndexFix(info: FixTarget, catalog: Catalog, index: QualifiedName & { table: QualifiedName }): string {
  return `${dropIndexSql(index, { concurrently: canUseConcurrently(info, catalog, index.table), dialect: info.family })};`;
}

export function createIndexFix(info: FixTarget, catalog: Catalog, def: IndexDef): string {
  return `${createIndexSql(def, { concurrently: canUseConcurrently(info, catalog, def.table), dialect: info.family })};`;
}

/** REINDEX … CONCURRENTLY (PostgreSQL ≥ 12) rebuilds an index without blocking writes. */
export function reindexFix(info: FixTarget, index: QualifiedName): string {
  return `REINDEX INDEX ${info.capabilities.concurrently ? 'CONCURRENTLY ' : ''}${formatQualified(index)};`;
}
