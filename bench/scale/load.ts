/**
 * Loads a generated schema into its own schema of the benchmark database: the tables
 * with their rows, then the foreign keys (and the few indexes on them), then VACUUM
 * ANALYZE until every page is all-visible (bench/advise/database.ts).
 */
import type { Engine } from '../../src/engines/engine.js';
import { quoteIdentAlways } from '../../src/sql/names.js';
import { vacuumUntilAllVisible } from '../advise/database.js';
import { createTableSql, foreignKeySql, insertRowsSql } from './ddl.js';
import type { ScaleTable } from './schema.js';

export async function loadScaleSchema(engine: Engine, schema: string, tables: readonly ScaleTable[]): Promise<void> {
  await dropScaleSchema(engine, schema);
  await engine.query(`CREATE SCHEMA ${quoteIdentAlways(schema)}`);
  const rows = new Map(tables.map((t) => [t.name, t.rows]));
  const rowsOf = (name: string) => rows.get(name) ?? 0;
  for (const table of tables) {
    await engine.query(createTableSql(schema, table));
    const insert = insertRowsSql(schema, table, rowsOf);
    await engine.query(insert.sql, insert.params);
  }
  for (const table of tables)
    for (const fk of table.foreignKeys) for (const sql of foreignKeySql(schema, table, fk)) await engine.query(sql);
  await vacuumUntilAllVisible(engine, schema);
}

export async function dropScaleSchema(engine: Engine, schema: string): Promise<void> {
  await engine.query(`DROP SCHEMA IF EXISTS ${quoteIdentAlways(schema)} CASCADE`);
}

/** The session reads the schema's tables by their bare names, as the application does. */
export async function useSchema(engine: Engine, schema: string): Promise<void> {
  await engine.query(`SELECT set_config('search_path', $1, false)`, [`${quoteIdentAlways(schema)}, public`]);
}
