/**
 * supabase's index_advisor, re-implemented from its documented behaviour, as the
 * TPC-H README scored it ("union of its per-query advice"): a hypothetical
 * single-column b-tree on every column of a common scalar type of every user table
 * that has no single-column index on it yet; each query's generic plan with all of
 * them in place; the hypothetical indexes a plan reads are that query's advice.
 * Every query sees the same hypothetical set, so it is created once.
 */
import { quoteIdent } from '../../src/sql/names.js';
import { explainQuery, HypotheticalSession, hypopgSchema } from './evaluate.js';
import type { ChosenIndex } from './types.js';
import type { BenchWorkload } from './workload.js';

/** The column types index_advisor indexes: integers, floats, numeric, bool, dates and times, uuid, text types. */
const TYPES = [
  'int2',
  'int4',
  'int8',
  'float4',
  'float8',
  'numeric',
  'bool',
  'date',
  'time',
  'timestamp',
  'timestamptz',
  'uuid',
  'text',
  'char',
  'bpchar',
  'varchar',
];

const COLUMNS_SQL = `
SELECT n.nspname AS schema, c.relname AS table, a.attname AS column
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
WHERE c.relkind IN ('r', 'm') AND c.relpersistence = 'p'
  AND n.nspname NOT IN ('pg_catalog', 'pg_toast', 'information_schema')
  AND t.typname = ANY($1::text[])
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
  AND NOT EXISTS (
    SELECT 1 FROM pg_index i
    WHERE i.indrelid = c.oid AND i.indnatts = 1 AND i.indkey[0] = a.attnum
      AND i.indexprs IS NULL AND i.indpred IS NULL)
ORDER BY n.nspname, c.relname, a.attnum`;

export async function indexAdvisorUnion(bench: BenchWorkload): Promise<ChosenIndex[]> {
  const columns = await bench.engine.query<{ schema: string; table: string; column: string }>(COLUMNS_SQL, [TYPES]);
  const everyColumn: ChosenIndex[] = columns.map((c) => ({
    label: `${c.schema}.${c.table}(${c.column})`,
    sql: `CREATE INDEX ON ${quoteIdent(c.schema)}.${quoteIdent(c.table)} (${quoteIdent(c.column)})`,
  }));
  const session = new HypotheticalSession(bench.engine, await hypopgSchema(bench.engine));
  await session.reset();
  try {
    const { labels } = await session.create(everyColumn);
    const used = new Set<string>();
    for (const query of bench.queries) {
      for (const oid of (await explainQuery(bench.engine, query)).oids) {
        const label = labels.get(oid);
        if (label !== undefined) used.add(label);
      }
    }
    return everyColumn.filter((index) => used.has(index.label));
  } finally {
    await session.reset();
  }
}
