/**
 * Hash index candidates: `USING hash (col)` beside the b-tree on a wide key the workload
 * only ever compares with `=`. PostgreSQL's documentation ("Hash Indexes", Overview): a
 * hash index stores only the 4-byte hash of each value, never the value, "so hash indexes
 * may be much smaller than B-trees when indexing longer data items such as UUIDs, URLs";
 * it serves only `=` (IN and `= ANY` in bitmap scans), one column, no uniqueness, no
 * INCLUDE, no index-only scan, no order. Crash-safe (WAL-logged) since PostgreSQL 10.
 *
 * Per entry, a hash tuple is an 8-byte header and the 4-byte hash, 16 bytes after
 * alignment, where a b-tree leaf tuple holds the header and the whole key: at an average
 * width of 64 bytes (pg_stats.avg_width) a b-tree entry is about four times a hash one, a
 * margin that outlasts the hash index's emptier pages (fillfactor 75 against the b-tree's
 * 90) and its bucket overhead. Narrower keys stay the b-tree's: there the two are about
 * the same size and the b-tree also serves ranges and sorts. 64 bytes is also what
 * candidates.ts calls a wide column (not copied into a covering index).
 *
 * The candidate is an alternative, not a replacement: the b-tree candidate is still
 * there, and the selection keeps whichever the planner prices better (HypoPG makes
 * hypothetical hash indexes, so it is costed like a b-tree). A column qualifies only when
 * every use of it in the whole workload is an equality a hash index serves: no range,
 * LIKE, IS NULL, `<>`, ORDER BY or GROUP BY anywhere, never beside another key a b-tree
 * would hold (an equality, range or sort on another column of the same table: a
 * multi-column key is the b-tree's), and no valid index already leads with it. Pure: the accesses, the catalog's tables and indexes in, the columns out.
 */
import type { Filter, TableAccess } from '../model/analysis.js';
import type { Index, Table } from '../model/catalog.js';
import { type IndexDef, keyColumn } from '../model/index-def.js';

/** pg_stats.avg_width from which a key is wide enough for a hash index (see above). */
export const HASH_MIN_WIDTH = 64;
/** The equalities a hash index serves. `(row) =` compares several columns: a b-tree's. */
const HASH_OPERATORS = new Set(['=', 'IN', '= ANY', 'IN (sub-select)']);
/** Types with a default hash operator class that can be wide: text and its kin, bytea. */
const HASHABLE_TYPE = /^(text|character varying|varchar|character|char|bpchar|bytea)\b/;

const columnKey = (table: { schema: string; name: string }, column: string) => `${table.schema}.${table.name}|${column}`;

/** The plain columns a hash index may serve over the whole workload, as `schema.table|column`. */
export function hashColumnsOf(
  accesses: readonly TableAccess[],
  tables: ReadonlyMap<string, Table>,
  indexes: readonly Index[],
): ReadonlySet<string> {
  const candidates = new Set<string>();
  const ruledOut = new Set<string>();
  for (const access of accesses) {
    const table = tables.get(`${access.table.schema}.${access.table.name}`);
    for (const column of hashUses(access))
      if (table !== undefined && isWide(table, column)) candidates.add(columnKey(access.table, column));
    for (const column of otherUses(access)) ruledOut.add(columnKey(access.table, column));
  }
  for (const index of indexes) {
    const first = index.keys[0]?.column;
    if (index.valid && index.predicate === null && typeof first === 'string') ruledOut.add(columnKey(index.table, first));
  }
  return new Set([...candidates].filter((key) => !ruledOut.has(key)));
}

/** `USING hash (col)` for each equality of this access on a column of `hashable`. */
export function hashDefs(access: TableAccess, hashable: ReadonlySet<string>): IndexDef[] {
  return [...hashUses(access)]
    .filter((column) => hashable.has(columnKey(access.table, column)))
    .map((column) => ({ table: access.table, keys: [keyColumn(column)], include: [], where: null, method: 'hash', unique: false }));
}

/** The AND-ed filter lists of an access: its top level, and each branch of its OR groups. */
function conjunctions(access: TableAccess): (readonly Filter[])[] {
  return [access.filters, ...access.orGroups.flat()];
}

const isHashEquality = (f: Filter) => f.expression === undefined && f.kind === 'equality' && HASH_OPERATORS.has(f.operator);

/** The keys a b-tree for these filters would hold: equality, range and prefix columns, the ORDER BY, the GROUP BY. */
function keyColumns(filters: readonly Filter[], access: TableAccess): Set<string> {
  const bounded = filters.filter((f) => f.kind === 'equality' || f.kind === 'range' || f.kind === 'prefix').map((f) => f.column);
  return new Set([...bounded, ...access.orderBy.map((s) => s.column), ...access.groupBy]);
}

/** Columns compared with a hash-served equality and nothing else to key on beside them. */
function hashUses(access: TableAccess): Set<string> {
  const columns = new Set<string>();
  for (const filters of conjunctions(access)) {
    if (keyColumns(filters, access).size !== 1) continue;
    for (const f of filters) if (isHashEquality(f)) columns.add(f.column);
  }
  return columns;
}

/** Plain columns used in a way a single-column hash index cannot serve (a use inside an expression is its own key). */
function otherUses(access: TableAccess): Set<string> {
  const columns = new Set<string>([...access.orderBy.map((s) => s.column), ...access.groupBy]);
  for (const filters of conjunctions(access)) {
    const keys = keyColumns(filters, access);
    for (const f of filters) if (f.expression === undefined && (!isHashEquality(f) || keys.size > 1)) columns.add(f.column);
  }
  return columns;
}

function isWide(table: Table, column: string): boolean {
  const found = table.columns.find((c) => c.name === column);
  return found !== undefined && HASHABLE_TYPE.test(found.type) && (found.stats?.avgWidth ?? 0) >= HASH_MIN_WIDTH;
}
