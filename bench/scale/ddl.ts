/**
 * The SQL that creates and fills one table of the scale schema. Rows are made in the
 * server with generate_series; each value is a deterministic function of the row number
 * (hashint4 spreads it), so every load holds the same data. Numbers go in as parameters,
 * names are quoted. Pure.
 */
import { quoteIdentAlways } from '../../src/sql/names.js';
import type { ForeignKey, ScaleTable } from './schema.js';

/** Tenants; a row's tenant is skewed towards the low numbers (a few big customers). */
export const TENANTS = 200;

function qualified(schema: string, table: string): string {
  return `${quoteIdentAlways(schema)}.${quoteIdentAlways(table)}`;
}

export function createTableSql(schema: string, table: ScaleTable): string {
  const columns = [
    'id bigint PRIMARY KEY',
    'tenant_id integer NOT NULL',
    ...table.foreignKeys.map((fk) => `${quoteIdentAlways(fk.column)} bigint NOT NULL`),
    'status text NOT NULL',
    'created_at timestamptz NOT NULL',
    'updated_at timestamptz NOT NULL',
    'deleted_at timestamptz',
    'amount numeric(12,2) NOT NULL',
    'name text NOT NULL',
    'email text NOT NULL',
    'code text NOT NULL',
  ];
  return `CREATE TABLE ${qualified(schema, table.name)} (${columns.join(', ')})`;
}

/** A uniform number in [0, 1) from the row number and a salt. */
const unit = (salt: number) => `((hashint4(g + ${salt}) & 2147483647)::float8 / 2147483648)`;

/**
 * INSERT … SELECT over generate_series. Parameters: $1 the row count, $2 the tenants,
 * then one per foreign key: the referenced table's row count (ids are 1…rows).
 */
export function insertRowsSql(schema: string, table: ScaleTable, rowsOf: (table: string) => number): { sql: string; params: number[] } {
  const foreignKeyValues = table.foreignKeys.map((_, k) => `1 + floor(${unit(1_000_003 * (k + 1))} * $${k + 3}::int)::bigint`);
  const columns = [
    'id',
    'tenant_id',
    ...table.foreignKeys.map((fk) => quoteIdentAlways(fk.column)),
    'status',
    'created_at',
    'updated_at',
    'deleted_at',
    'amount',
    'name',
    'email',
    'code',
  ];
  const values = [
    'g',
    `1 + floor(power(${unit(0)}, 2) * $2::int)::int`,
    ...foreignKeyValues,
    `CASE WHEN g % 20 < 12 THEN 'active' WHEN g % 20 < 16 THEN 'archived' WHEN g % 20 < 18 THEN 'pending' WHEN g % 20 < 19 THEN 'failed' ELSE 'draft' END`,
    'c',
    `c + floor(${unit(17)} * 86400) * interval '1 second'`,
    `CASE WHEN g % 20 = 0 THEN c + interval '30 days' END`,
    `round((${unit(29)} * 10000)::numeric, 2)`,
    `'name ' || floor(${unit(7)} * 65536)::int`,
    `'user' || g || '@example.com'`,
    `'C' || lpad(to_hex(floor(${unit(13)} * 16777216)::int), 6, '0')`,
  ];
  const rows = `SELECT g, timestamptz '2024-01-01 00:00:00+00' + (g::float8 / $1::int) * interval '365 days' AS c FROM generate_series(1, $1::int) g`;
  return {
    sql: `INSERT INTO ${qualified(schema, table.name)} (${columns.join(', ')}) SELECT ${values.join(', ')} FROM (${rows}) AS numbered`,
    params: [table.rows, TENANTS, ...table.foreignKeys.map((fk) => rowsOf(fk.references))],
  };
}

export function foreignKeySql(schema: string, table: ScaleTable, fk: ForeignKey): string[] {
  const constraint = `ALTER TABLE ${qualified(schema, table.name)} ADD FOREIGN KEY (${quoteIdentAlways(fk.column)}) REFERENCES ${qualified(schema, fk.references)} (id)`;
  return fk.indexed ? [constraint, `CREATE INDEX ON ${qualified(schema, table.name)} (${quoteIdentAlways(fk.column)})`] : [constraint];
}
