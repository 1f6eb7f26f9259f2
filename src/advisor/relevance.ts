/**
 * Which candidates can matter to a query. A b-tree helps a table access only when
 * its leading key is a column the access can use — filtered (=, IN, ranges, LIKE
 * prefix, IS [NOT] NULL), joined, sorted first or grouped — and, for a partial index,
 * when the query states the index's predicate. A candidate on the same table that
 * leads with another column cannot change the plan, so it is never costed for that
 * query: this keeps the planner calls per query about constant as the workload grows.
 * Pure.
 */
import type { TableAccess } from '../model/analysis.js';
import type { IndexDef } from '../model/index-def.js';
import type { IndexCandidate } from './candidates.js';
import { qualifiedKey } from '../model/catalog.js';

const LEADING_FILTER_KINDS = new Set(['equality', 'range', 'prefix', 'null', 'not-null']);

/** Columns an index on this access may lead with and still be used. */
export function leadingColumns(access: TableAccess): Set<string> {
  const columns = new Set<string>();
  const filters = [...access.filters, ...access.orGroups.flat(2)];
  for (const f of filters) if (LEADING_FILTER_KINDS.has(f.kind)) columns.add(f.column);
  for (const join of access.joins) columns.add(join.column);
  const [firstSort] = access.orderBy;
  if (firstSort !== undefined) columns.add(firstSort.column);
  for (const column of access.groupBy) columns.add(column);
  return columns;
}

/** The constant predicates an access states (a partial index's WHERE must be among them). */
export function constantPredicates(access: TableAccess): Set<string> {
  return new Set(access.filters.flatMap((f) => (f.constantSql === undefined ? [] : [f.constantSql])));
}

export interface RelevanceQuery {
  readonly fingerprint: string;
  readonly accesses: readonly TableAccess[];
}

/** Candidates grouped by schema.table, for repeated relevance lookups. */
export function candidatesByTable(candidates: readonly IndexCandidate[]): Map<string, IndexCandidate[]> {
  const byTable = new Map<string, IndexCandidate[]>();
  for (const c of candidates) {
    const key = qualifiedKey(c.def.table);
    const list = byTable.get(key);
    if (list === undefined) byTable.set(key, [c]);
    else list.push(c);
  }
  return byTable;
}

/** Ids of the candidates that can change this query's plan, sorted. */
export function relevantCandidates(query: RelevanceQuery, byTable: ReadonlyMap<string, readonly IndexCandidate[]>): string[] {
  const ids = new Set<string>();
  for (const access of query.accesses) {
    const leading = leadingColumns(access);
    const stated = constantPredicates(access);
    for (const c of byTable.get(qualifiedKey(access.table)) ?? []) {
      if (ids.has(c.id)) continue;
      const generatedHere = c.queries.includes(query.fingerprint);
      const leads = leading.has(c.def.keys[0]?.column ?? '');
      const predicateStated = c.predicates.every((p) => stated.has(p));
      if ((generatedHere || leads) && predicateStated) ids.add(c.id);
    }
  }
  return [...ids].sort();
}

/**
 * The access method, with the operator class of a GIN, GiST or SP-GiST key: two classes
 * on one column (SP-GiST's quad_point_ops and kd_point_ops) are two indexes to cost, not a
 * narrower and a wider one.
 */
function methodOf(def: IndexDef): string {
  return def.method === 'btree' ? 'btree' : `${def.method} ${def.keys[0]?.opclass ?? ''}`;
}

/**
 * The narrowest candidate per (table, leading column, predicate) among `ids`: fewest
 * keys, then fewest INCLUDE columns (by definition, not by size, so that the choice
 * does not depend on which lane created what first).
 */
export function representatives(ids: readonly string[], byId: ReadonlyMap<string, { readonly def: IndexDef }>): string[] {
  const narrowest = new Map<string, { id: string; width: number }>();
  for (const id of ids) {
    const def = byId.get(id)?.def;
    if (def === undefined) continue;
    const key = `${qualifiedKey(def.table)}\u0000${methodOf(def)}\u0000${def.keys[0]?.column ?? ''}\u0000${def.where ?? ''}`;
    const width = def.keys.length * 100 + def.include.length;
    const seen = narrowest.get(key);
    if (seen === undefined || width < seen.width) narrowest.set(key, { id, width });
  }
  return [...narrowest.values()].map((s) => s.id);
}

/**
 * Where costing a candidate means building it (a rolled-back transaction), fewer of them:
 * the query's own candidates that no other own one extends (its fullest shapes, which
 * the planner prefers), and the narrowest per (table, leading column, predicate) of all
 * that can matter (shared with other queries, and what a wider one stands in for).
 */
export function frugalCandidates(
  query: RelevanceQuery,
  relevant: readonly string[],
  byId: ReadonlyMap<string, IndexCandidate>,
  wider: ReadonlyMap<string, readonly string[]>,
): string[] {
  const own = new Set(relevant.filter((id) => byId.get(id)?.queries.includes(query.fingerprint)));
  const fullest = [...own].filter((id) => !(wider.get(id) ?? []).some((w) => own.has(w)));
  const lead = (id: string) => {
    const def = byId.get(id)?.def;
    return def === undefined ? '' : `${qualifiedKey(def.table)}\u0000${methodOf(def)}\u0000${def.keys[0]?.column ?? ''}`;
  };
  // the narrowest of another query's candidates, only where none of the query's own leads with that column
  const led = new Set(fullest.map(lead));
  const others = representatives(relevant, byId).filter((id) => !led.has(lead(id)));
  return [...new Set([...fullest, ...others])].sort();
}
