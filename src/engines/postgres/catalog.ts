/** Reads the catalog of a PostgreSQL-family database into the engine-neutral model. */
import {
  type Catalog,
  type Column,
  type ForeignKey,
  type Index,
  type IndexKey,
  sameName,
  type Table,
  type TableKind,
} from '../../model/catalog.js';
import type { Row } from '../engine.js';
import { COLUMNS_SQL, FOREIGN_KEYS_SQL, INDEXES_SQL, SCHEMAS_SQL, SEARCH_PATH_SQL, TABLES_SQL, VIEWS_SQL } from './catalog-sql.js';
import type { PgDriver } from './driver.js';

export async function readCatalog(driver: PgDriver): Promise<Catalog> {
  const schemas = (await driver.query(SCHEMAS_SQL)).map((row) => String(row.schema));
  const searchPathRow = (await driver.query(SEARCH_PATH_SQL))[0];
  const searchPath = (searchPathRow?.search_path as string[] | undefined) ?? ['public'];
  const columnRows = await driver.query(COLUMNS_SQL);
  const indexes = (await driver.query(INDEXES_SQL)).map(toIndex);
  const foreignKeys = (await driver.query(FOREIGN_KEYS_SQL)).map(toForeignKey);
  const columnsByTable = groupColumns(columnRows);
  const tables = (await driver.query(TABLES_SQL)).map((row) => toTable(row, columnsByTable, indexes));
  const views = (await driver.query(VIEWS_SQL)).map((row) => ({
    schema: String(row.schema),
    name: String(row.name),
    definition: String(row.definition),
  }));
  return { schemas, searchPath, tables, indexes, foreignKeys, views };
}

function key(schema: unknown, name: unknown): string {
  return `${String(schema)}\u0000${String(name)}`;
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function groupColumns(rows: Row[]): Map<string, Column[]> {
  const byTable = new Map<string, Column[]>();
  for (const row of rows) {
    const column: Column = {
      name: String(row.name),
      position: Number(row.position),
      type: String(row.type),
      nullable: Boolean(row.nullable),
      generated: Boolean(row.generated),
      stats: row.has_stats
        ? {
            nDistinct: numberOrNull(row.n_distinct),
            nullFrac: numberOrNull(row.null_frac),
            correlation: numberOrNull(row.correlation),
            avgWidth: numberOrNull(row.avg_width),
          }
        : null,
    };
    const k = key(row.schema, row.table_name);
    const list = byTable.get(k) ?? [];
    list.push(column);
    byTable.set(k, list);
  }
  return byTable;
}

function tableKind(row: Row): TableKind {
  if (row.relkind === 'p') return 'partitioned';
  if (row.relkind === 'm') return 'materialized view';
  return row.is_partition ? 'partition' : 'table';
}

function toTable(row: Row, columns: Map<string, Column[]>, indexes: readonly Index[]): Table {
  const schema = String(row.schema);
  const name = String(row.name);
  const primary = indexes.find((i) => i.primary && sameName(i.table, { schema, name }));
  return {
    schema,
    name,
    kind: tableKind(row),
    parent: row.parent_name == null ? null : { schema: String(row.parent_schema), name: String(row.parent_name) },
    rowEstimate: numberOrNull(row.row_estimate),
    tableBytes: Number(row.table_bytes),
    totalBytes: Number(row.total_bytes),
    columns: columns.get(key(schema, name)) ?? [],
    primaryKey: primary ? primary.keys.map((k) => k.column ?? k.expression ?? '') : null,
  };
}

interface RawIndexColumn {
  column: string | null;
  expression: string | null;
  option: number;
  opclass: string | null;
  collation: string | null;
  isKey: boolean;
}

function toIndex(row: Row): Index {
  const columns = (row.columns as RawIndexColumn[] | null) ?? [];
  const keys: IndexKey[] = columns
    .filter((c) => c.isKey)
    .map((c) => ({
      column: c.column,
      expression: c.column === null ? c.expression : null,
      // indoption bit 0: DESC, bit 1: NULLS FIRST
      descending: (c.option & 1) !== 0,
      nullsFirst: (c.option & 2) !== 0,
      opclass: c.opclass,
      collation: c.collation,
    }));
  return {
    schema: String(row.schema),
    name: String(row.name),
    table: { schema: String(row.table_schema), name: String(row.table_name) },
    method: String(row.method),
    unique: Boolean(row.is_unique),
    primary: Boolean(row.is_primary),
    valid: Boolean(row.is_valid),
    keys,
    include: columns.filter((c) => !c.isKey).map((c) => c.column ?? c.expression ?? ''),
    predicate: (row.predicate as string | null) ?? null,
    definition: String(row.definition),
    bytes: Number(row.bytes),
    constraint: (row.constraint_name as string | null) ?? null,
    parentIndex: row.parent_index_name == null ? null : { schema: String(row.parent_index_schema), name: String(row.parent_index_name) },
  };
}

function toForeignKey(row: Row): ForeignKey {
  return {
    schema: String(row.schema),
    name: String(row.name),
    table: { schema: String(row.schema), name: String(row.table_name) },
    columns: (row.columns as string[] | null) ?? [],
    referencedTable: { schema: String(row.ref_schema), name: String(row.ref_table) },
    referencedColumns: (row.ref_columns as string[] | null) ?? [],
  };
}
