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
 * - GIN on a jsonb path the query names (`(doc -> 'tags') @> $1`, `doc #> '{a,b}' ? 'x'`): the
 *   index is built on the query's own expression, as the b-tree expression keys are;
 * - GiST and SP-GiST on ranges, geometric types, network addresses and for `^@`, and for the
 *   nearest-first order `ORDER BY col <-> value` (spatial-candidates.ts);
 * - BRIN for a range on a column of a large table whose rows lie in that column's order
 *   (pg_stats.correlation near ±1, as in an append-only log by time): a few pages of
 *   summaries where a b-tree would take a copy of the column.
 * Pure: the accesses and the catalog's column types in, definitions out.
 */
import type { Filter, TableAccess } from '../model/analysis.js';
import type { Table } from '../model/catalog.js';
import { type IndexDef, type IndexMethod, type KeyColumn, keyColumn } from '../model/index-def.js';
import { nearestDefs, spatialDefs } from './spatial-candidates.js';

const JSONB_OPERATORS = new Set(['@>', '?', '?|', '?&']);
const ARRAY_OPERATORS = new Set(['@>', '<@', '&&']);
const TRIGRAM_PATTERNS = new Set(['LIKE', 'ILIKE', '~', '~*']);
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
      if (filterType(table, filter) !== 'jsonb' || !JSONB_OPERATORS.has(filter.operator)) continue;
      const key = columnKey(access.table, filter.column);
      used.set(key, (used.get(key) ?? new Set()).add(filter.operator));
    }
  }
  return used;
}

/** The non-b-tree definitions that can serve this access's filters (AND-ed and in OR branches). */
export function kindDefs(access: TableAccess, table: Table, jsonb: JsonbOperators): IndexDef[] {
  const byFilter = filtersOf(access).flatMap((filter) => {
    const def = kindDef(filter, access, table, jsonb);
    const type = columnType(table, filter.column);
    return [...(def === null ? [] : [def]), ...(type === undefined ? [] : spatialDefs(access, filter, type))];
  });
  return [...byFilter, ...nearestDefs(access, (column) => columnType(table, column))];
}

function filtersOf(access: TableAccess): Filter[] {
  return [...access.filters, ...access.orGroups.flat(2)];
}

function kindDef(filter: Filter, access: TableAccess, table: Table, jsonb: JsonbOperators): IndexDef | null {
  const { operator } = filter;
  const type = filterType(table, filter);
  if (type === 'jsonb' && JSONB_OPERATORS.has(operator)) {
    const operators = jsonb.get(columnKey(access.table, filter.column)) ?? new Set([operator]);
    const pathOps = [...operators].every((op) => op === '@>');
    const expression = filter.expression ? { expression: filter.expression } : {};
    return define(access, 'gin', keyColumn(filter.column, { opclass: pathOps ? 'jsonb_path_ops' : null, ...expression }));
  }
  if (filter.expression) {
    // full-text search on an expression: only the query's own to_tsvector(...) matches
    return operator === '@@' && /^to_tsvector\(/.test(filter.column)
      ? define(access, 'gin', keyColumn(filter.column, { expression: filter.expression }))
      : null;
  }
  if (type === undefined) return null;
  if (filter.kind === 'range' && isAppendOrdered(table, filter.column)) return define(access, 'brin', keyColumn(filter.column));
  if (type.endsWith('[]') && ARRAY_OPERATORS.has(operator)) return define(access, 'gin', keyColumn(filter.column));
  if (type === 'tsvector' && operator === '@@') return define(access, 'gin', keyColumn(filter.column));
  if (TEXT_TYPE.test(type) && isTrigramPattern(filter)) {
    return define(access, 'gin', keyColumn(filter.column, { opclass: 'gin_trgm_ops' }));
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

/**
 * A jsonb path taken with `->` or `#>` from a column, as the analysis deparses it:
 * `doc -> 'tags'`, `(doc -> 'a') -> 'b'`, `doc #> '{a,b}'`. Its value is jsonb when the column is.
 */
const JSONB_PATH = /^\(*("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)(?: (?:->|#>) (?:'(?:[^']|'')*'|\d+)\)?)+$/;

/** The type of what a filter compares: its column's, or jsonb for a jsonb path of a jsonb column; undefined when not known. */
function filterType(table: Table | undefined, filter: Filter): string | undefined {
  if (!filter.expression) return columnType(table, filter.column);
  const [read] = filter.expression.reads;
  const path = JSONB_PATH.exec(filter.column);
  if (path === null || filter.expression.reads.length !== 1 || read === undefined) return undefined;
  const base = path[1]?.startsWith('"') ? path[1].slice(1, -1).replaceAll('""', '"') : path[1];
  return base === read && columnType(table, read) === 'jsonb' ? 'jsonb' : undefined;
}

function columnType(table: Table | undefined, column: string): string | undefined {
  return table?.columns.find((c) => c.name === column)?.type;
}

function define(access: TableAccess, method: IndexMethod, key: KeyColumn): IndexDef {
  return { table: access.table, keys: [key], include: [], where: null, method, unique: false };
}
