/**
 * Candidates of the access methods other than the b-tree, for operators a b-tree cannot
 * serve (PostgreSQL's documentation, "Index Types" and "Built-in Operator Classes"):
 * - GIN on jsonb for containment and key existence (`@>`, `?`, `?|`, `?&`): jsonb_path_ops
 *   when the workload uses only `@>` on the column (smaller, faster, but it has no `?`),
 *   else the default jsonb_ops;
 * - GIN on arrays for `@>`, `<@`, `&&`;
 * - GIN for full-text search, `@@` on a tsvector column or on the query's own
 *   `to_tsvector(config, col)` (the index expression is the query's, config included);
 * - GIN with pg_trgm's gin_trgm_ops for LIKE/ILIKE patterns without a fixed prefix and
 *   for regular expressions (`~`, `~*`); `LIKE 'abc%'` stays the b-tree's (text_pattern_ops);
 * - GiST on range types and geometric types for overlap, containment and position (`&&`,
 *   `@>`, `<@`, `<<`, `>>`, …);
 * - BRIN for a range on a column of a large table whose rows lie in that column's order
 *   (pg_stats.correlation near ±1, as in an append-only log by time): a few pages of
 *   summaries where a b-tree would take a copy of the column.
 * Pure: the accesses and the catalog's column types in, definitions out.
 */
import type { Filter, TableAccess } from '../model/analysis.js';
import type { Table } from '../model/catalog.js';
import { type IndexDef, type IndexMethod, type KeyColumn, keyColumn } from '../model/index-def.js';

const JSONB_OPERATORS = new Set(['@>', '?', '?|', '?&']);
const ARRAY_OPERATORS = new Set(['@>', '<@', '&&']);
const TRIGRAM_PATTERNS = new Set(['LIKE', 'ILIKE', '~', '~*']);
const GIST_OPERATORS = new Set(['&&', '@>', '<@', '<<', '>>', '&<', '&>', '-|-', '<<|', '|>>', '~=']);
const GEOMETRIC_TYPES = new Set(['point', 'box', 'polygon', 'circle']);
/** BRIN: tables of at least this many rows, columns whose physical order follows their values this closely. */
const BRIN_MIN_ROWS = 500_000;
const BRIN_MIN_CORRELATION = 0.9;
const TEXT_TYPE = /^(text|character varying|varchar|character|char|bpchar)\b/;

/** The operators each jsonb column is used with, over the whole workload: `schema.table|column` → operators. */
export type JsonbOperators = ReadonlyMap<string, ReadonlySet<string>>;

const columnKey = (table: { schema: string; name: string }, column: string) => `${table.schema}.${table.name}|${column}`;

/** The jsonb operators the workload uses on each column (one index must serve them all). */
export function jsonbOperatorsOf(accesses: readonly TableAccess[], tables: ReadonlyMap<string, Table>): JsonbOperators {
  const used = new Map<string, Set<string>>();
  for (const access of accesses) {
    const table = tables.get(`${access.table.schema}.${access.table.name}`);
    for (const filter of filtersOf(access)) {
      if (filter.expression || columnType(table, filter.column) !== 'jsonb' || !JSONB_OPERATORS.has(filter.operator)) continue;
      const key = columnKey(access.table, filter.column);
      used.set(key, (used.get(key) ?? new Set()).add(filter.operator));
    }
  }
  return used;
}

/** The non-b-tree definitions that can serve this access's filters (AND-ed and in OR branches). */
export function kindDefs(access: TableAccess, table: Table, jsonb: JsonbOperators): IndexDef[] {
  return filtersOf(access).flatMap((filter) => {
    const def = kindDef(filter, access, table, jsonb);
    return def === null ? [] : [def];
  });
}

function filtersOf(access: TableAccess): Filter[] {
  return [...access.filters, ...access.orGroups.flat(2)];
}

function kindDef(filter: Filter, access: TableAccess, table: Table, jsonb: JsonbOperators): IndexDef | null {
  const { operator } = filter;
  if (filter.expression) {
    // full-text search on an expression: only the query's own to_tsvector(...) matches
    return operator === '@@' && /^to_tsvector\(/.test(filter.column)
      ? define(access, 'gin', keyColumn(filter.column, { expression: filter.expression }))
      : null;
  }
  const type = columnType(table, filter.column);
  if (type === undefined) return null;
  if (filter.kind === 'range' && isAppendOrdered(table, filter.column)) return define(access, 'brin', keyColumn(filter.column));
  if (type === 'jsonb' && JSONB_OPERATORS.has(operator)) {
    const operators = jsonb.get(columnKey(access.table, filter.column)) ?? new Set([operator]);
    const pathOps = [...operators].every((op) => op === '@>');
    return define(access, 'gin', keyColumn(filter.column, { opclass: pathOps ? 'jsonb_path_ops' : null }));
  }
  if (type.endsWith('[]') && ARRAY_OPERATORS.has(operator)) return define(access, 'gin', keyColumn(filter.column));
  if (type === 'tsvector' && operator === '@@') return define(access, 'gin', keyColumn(filter.column));
  if (TEXT_TYPE.test(type) && isTrigramPattern(filter)) {
    return define(access, 'gin', keyColumn(filter.column, { opclass: 'gin_trgm_ops' }));
  }
  if ((/range$/.test(type) || GEOMETRIC_TYPES.has(type)) && GIST_OPERATORS.has(operator)) {
    return define(access, 'gist', keyColumn(filter.column));
  }
  return null;
}

/**
 * A pattern a trigram index can serve and a b-tree cannot: LIKE/ILIKE without a fixed
 * prefix (`'%x%'`, any ILIKE, or a $n whose value is not known) and regular expressions.
 */
function isTrigramPattern(filter: Filter): boolean {
  if (filter.kind === 'infix') return true;
  return filter.kind === 'pattern' && TRIGRAM_PATTERNS.has(filter.operator);
}

function isAppendOrdered(table: Table, column: string): boolean {
  const correlation = table.columns.find((c) => c.name === column)?.stats?.correlation;
  return (table.rowEstimate ?? 0) >= BRIN_MIN_ROWS && correlation != null && Math.abs(correlation) >= BRIN_MIN_CORRELATION;
}

function columnType(table: Table | undefined, column: string): string | undefined {
  return table?.columns.find((c) => c.name === column)?.type;
}

function define(access: TableAccess, method: IndexMethod, key: KeyColumn): IndexDef {
  return { table: access.table, keys: [key], include: [], where: null, method, unique: false };
}
