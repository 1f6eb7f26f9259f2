/**
 * What the baselines see of a query: per table, the columns an index could serve
 * (from the project's analysis: filters, joins, ORDER BY, optionally GROUP BY), and
 * plain b-tree candidates built on them. Pure.
 */
import type { AdvisorQuery } from '../../src/advisor/queries.js';
import type { IndexCandidate } from '../../src/advisor/candidates.js';
import { qualifiedKey as tableKey } from '../../src/model/catalog.js';
import type { Filter, TableAccess } from '../../src/model/analysis.js';
import type { QualifiedName } from '../../src/model/catalog.js';
import { type IndexDef, indexId, keyColumn } from '../../src/model/index-def.js';

/** Filter kinds a b-tree key can serve. */
const INDEXABLE_KINDS: ReadonlySet<Filter['kind']> = new Set(['equality', 'range', 'prefix', 'null']);

export interface TableColumns {
  readonly table: QualifiedName;
  readonly columns: readonly string[];
}

export interface ColumnOptions {
  /** Count GROUP BY columns as indexable (Extend's "indexable attributes"; Dexter does not). */
  readonly groupBy: boolean;
}

function accessColumns(access: TableAccess, options: ColumnOptions): string[] {
  const filters = [...access.filters, ...access.orGroups.flat(2)].filter((f) => INDEXABLE_KINDS.has(f.kind));
  return [
    ...filters.map((f) => f.column),
    ...access.joins.map((j) => j.column),
    ...access.orderBy.map((s) => s.column),
    ...(options.groupBy ? access.groupBy : []),
  ];
}

/** The query's indexable columns per table (a table read twice gets the union), in first-seen order. */
export function indexableColumns(query: AdvisorQuery, options: ColumnOptions): TableColumns[] {
  const byTable = new Map<string, { table: QualifiedName; columns: Set<string> }>();
  for (const access of query.analysis.accesses) {
    const key = tableKey(access.table);
    const entry = byTable.get(key) ?? { table: access.table, columns: new Set<string>() };
    for (const column of accessColumns(access, options)) entry.columns.add(column);
    byTable.set(key, entry);
  }
  return [...byTable.values()].filter((e) => e.columns.size > 0).map((e) => ({ table: e.table, columns: [...e.columns] }));
}

export function btreeDef(table: QualifiedName, columns: readonly string[]): IndexDef {
  return { table, keys: columns.map((c) => keyColumn(c)), include: [], where: null, method: 'btree', unique: false };
}

export function candidate(table: QualifiedName, columns: readonly string[]): IndexCandidate {
  const def = btreeDef(table, columns);
  return { id: indexId(def), def, queries: [], predicates: [] };
}

/** Every ordered choice of `width` distinct columns. */
export function permutations(columns: readonly string[], width: number): string[][] {
  if (width === 0) return [[]];
  return columns.flatMap((c) =>
    permutations(
      columns.filter((o) => o !== c),
      width - 1,
    ).map((rest) => [c, ...rest]),
  );
}

/** Candidates merged by id, first occurrence kept. */
export function uniqueCandidates(candidates: readonly IndexCandidate[]): IndexCandidate[] {
  return [...new Map(candidates.map((c) => [c.id, c])).values()];
}

export function columnsOf(c: IndexCandidate): string[] {
  return c.def.keys.map((k) => k.column);
}
