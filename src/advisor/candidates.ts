/**
 * Index candidates from the analysis, not from every column. Per query and table:
 * equality columns first (most selective first, from pg_stats), then one range
 * column or the ORDER BY (directions kept), up to maxColumns; join keys; covering
 * variants (INCLUDE the other columns the query reads); partial variants on the
 * query's constant predicates. Identical candidates from several queries merge.
 * Pure: catalog and analyses in, candidates out.
 */
import type { Filter, TableAccess } from '../model/analysis.js';
import type { Catalog, Index, Table } from '../model/catalog.js';
import { type IndexDef, type IndexMethod, indexId, type KeyColumn, keyColumn } from '../model/index-def.js';
import { covers, plannedShape, sameIndex } from '../model/index-relations.js';
import { hashColumnsOf, hashDefs } from './hash-candidates.js';
import { type JsonbOperators, jsonbOperatorsOf, kindDefs } from './kind-candidates.js';
import { type EqualityLookup, mergeMirrored } from './mirrored.js';
import {
  coveringByKeys,
  equalityKey,
  joinKey,
  type LikePrefixKey,
  rangeKey,
  sameCollation,
  sortKey,
  storedAnyway,
  upToRowid,
} from './candidate-keys.js';

export interface CandidateQuery {
  readonly fingerprint: string;
  readonly accesses: readonly TableAccess[];
}

export interface IndexCandidate {
  readonly id: string;
  readonly def: IndexDef;
  /** Fingerprints of the queries it was generated for. */
  readonly queries: readonly string[];
  /** The constant predicates its WHERE joins (empty for a full index): a query must state them all to use it. */
  readonly predicates: readonly string[];
}

interface Entry {
  readonly def: IndexDef;
  readonly predicates: readonly string[];
  readonly queries: Set<string>;
}

export interface CandidateOptions {
  readonly maxColumns: number;
  /** INCLUDE is available (PostgreSQL ≥ 11). */
  readonly includeColumns: boolean;
  /** At most this many INCLUDE columns in a covering variant (without INCLUDE: extra trailing keys). */
  readonly maxInclude?: number;
  /** How a `LIKE 'abc%'` is indexed (default text_pattern_ops; SQLite: nocase). */
  readonly likePrefix?: LikePrefixKey;
  /**
   * No covering variant that would hold more than this share of the row's width (a second
   * copy of the table). Default: no limit — where costing is free (HypoPG) such an index is
   * judged like any other; where each candidate costs a build, fewer are worth trying.
   */
  readonly maxRowShare?: number;
  /**
   * The access methods the engine builds (Capabilities.indexMethods; default b-tree only):
   * GIN, GiST and BRIN candidates for what a b-tree cannot serve, hash beside the b-tree on
   * a wide equality key (PostgreSQL family).
   */
  readonly methods?: readonly IndexMethod[];
}

const INDEXABLE_OPERANDS = new Set(['param', 'constant', 'outer', 'expression']);

export function generateCandidates(queries: readonly CandidateQuery[], catalog: Catalog, options: CandidateOptions): IndexCandidate[] {
  const tables = new Map(catalog.tables.map((t) => [tableName(t), t]));
  const existing = byTableName(catalog.indexes.filter((i) => i.valid && i.method === 'btree'));
  const others = byTableName(catalog.indexes.filter((i) => i.valid && i.method !== 'btree'));
  const byId = new Map<string, Entry>();
  const methods = new Set<IndexMethod>(options.methods ?? ['btree']);
  const accesses = queries.flatMap((q) => q.accesses);
  const jsonb: JsonbOperators = methods.has('gin') ? jsonbOperatorsOf(accesses, tables) : new Map();
  const hashable = methods.has('hash') ? hashColumnsOf(accesses, tables, catalog.indexes) : new Set<string>();
  for (const query of queries) {
    for (const access of query.accesses) {
      const table = tables.get(tableName(access.table));
      if (table === undefined) continue;
      const uniqueKeys = (existing.get(tableName(table)) ?? []).filter(isPlainUnique).map((i) => i.keys.map((k) => k.column as string));
      const kinds = methods.size > 1 ? otherMethodDefs(access, table, jsonb, hashable, methods) : [];
      for (const { def, predicates } of [...candidatesForAccess(access, table, uniqueKeys, options), ...kinds]) {
        const id = indexId(def);
        const entry = byId.get(id) ?? { def, predicates, queries: new Set<string>() };
        entry.queries.add(query.fingerprint);
        byId.set(id, entry);
      }
    }
  }
  for (const group of byTableName([...byId.values()].map((e) => ({ ...e, table: e.def.table })))) {
    for (const merged of mergeAcrossQueries(group[1], options)) {
      const id = indexId(merged.def);
      if (!byId.has(id)) byId.set(id, merged);
    }
  }
  mergeMirrored(byId, equalityLookup(queries));
  return [...byId.entries()]
    .filter(
      ([, entry]) =>
        !coveredByExisting(entry.def, [
          ...(existing.get(tableName(entry.def.table)) ?? []),
          ...(others.get(tableName(entry.def.table)) ?? []),
        ]),
    )
    .map(([id, entry]) => ({ id, def: entry.def, queries: [...entry.queries].sort(), predicates: entry.predicates }));
}

/** The candidates of other access methods than the b-tree for this access, those the engine builds. */
function otherMethodDefs(
  access: TableAccess,
  table: Table,
  jsonb: JsonbOperators,
  hashable: ReadonlySet<string>,
  methods: ReadonlySet<IndexMethod>,
): { def: IndexDef; predicates: readonly string[] }[] {
  return [...kindDefs(access, table, jsonb), ...hashDefs(access, hashable)]
    .filter((def) => methods.has(def.method))
    .map((def) => ({ def, predicates: [] }));
}

/** The columns each query fixes on a table: equalities and join keys, in every one of its accesses to it. */
function equalityLookup(queries: readonly CandidateQuery[]): EqualityLookup {
  const byFingerprint = new Map(queries.map((q) => [q.fingerprint, q]));
  return (fingerprint, table) => {
    const accesses = (byFingerprint.get(fingerprint)?.accesses ?? []).filter((a) => tableName(a.table) === table);
    if (accesses.length === 0) return null;
    const fixedIn = (a: TableAccess) =>
      new Set([
        ...a.filters.filter((f) => f.kind === 'equality' && INDEXABLE_OPERANDS.has(f.operand)).map((f) => f.column),
        ...a.joins.map((j) => j.column),
      ]);
    const [first, ...rest] = accesses.map(fixedIn);
    return new Set([...(first ?? [])].filter((c) => rest.every((set) => set.has(c))));
  };
}

function byTableName<T extends { readonly table: { readonly schema: string; readonly name: string } }>(
  items: readonly T[],
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = tableName(item.table);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [item]);
    else list.push(item);
  }
  return groups;
}

/** A valid, non-partial unique index on plain columns: equality on all of them finds at most one row. */
function isPlainUnique(index: Index): boolean {
  return index.unique && index.predicate === null && index.keys.length > 0 && index.keys.every((k) => k.column !== null);
}

/** At most this many merged candidates per table (merging is quadratic in candidates). */
const MAX_MERGED_PER_TABLE = 30;

/**
 * One index for several queries: two candidates of different queries on the same
 * table, with the same predicate and the same first key, merged — the first one's
 * keys, then the other's remaining keys (capped at maxColumns), INCLUDE columns
 * united. Q20's (l_partkey, l_suppkey) and Q17's (l_partkey) INCLUDE (l_quantity)
 * give (l_partkey, l_suppkey) INCLUDE (l_quantity), which serves both.
 */
function mergeAcrossQueries(entries: readonly Entry[], options: CandidateOptions): Entry[] {
  const merged = new Map<string, Entry>();
  let count = 0;
  for (const a of entries) {
    for (const b of entries) {
      // only b-trees share a leading key: a GIN or GiST index has no key order
      if (a === b || a.def.where !== b.def.where || a.def.method !== 'btree' || b.def.method !== 'btree') continue;
      if (a.def.keys[0]?.column !== b.def.keys[0]?.column || [...b.queries].every((q) => a.queries.has(q))) continue;
      const names = new Set(a.def.keys.map((k) => k.column));
      const keys = [...a.def.keys, ...b.def.keys.filter((k) => !names.has(k.column))].slice(0, options.maxColumns);
      const keyNames = new Set(keys.map((k) => k.column));
      const include = options.includeColumns
        ? [...new Set([...a.def.include, ...b.def.include])].filter((c) => !keyNames.has(c)).sort()
        : [];
      if (include.length > (options.maxInclude ?? 3)) continue;
      const def: IndexDef = { ...a.def, keys, include };
      const id = indexId(def);
      if (merged.has(id) || count >= MAX_MERGED_PER_TABLE) continue;
      count++;
      merged.set(id, { def, predicates: a.predicates, queries: new Set([...a.queries, ...b.queries]) });
    }
  }
  return [...merged.values()];
}

function tableName(table: { readonly schema: string; readonly name: string }): string {
  return `${table.schema}.${table.name}`;
}

function candidatesForAccess(
  access: TableAccess,
  table: Table,
  uniqueKeys: readonly (readonly string[])[],
  options: CandidateOptions,
): { def: IndexDef; predicates: readonly string[] }[] {
  const keySets: KeyColumn[][] = [];
  const add = (keys: KeyColumn[]): KeyColumn[] => {
    const unique = upToRowid(dedupeKeys(keys), table).slice(0, options.maxColumns);
    if (unique.length > 0) keySets.push(unique);
    return unique;
  };
  // The query's fullest shape: the one a covering variant is worth trying for.
  const shapes = (filters: readonly Filter[]) => {
    // an existing unique index already finds the one row these equalities name: no other index can do better
    const equal = new Set(filters.filter((f) => f.kind === 'equality' && INDEXABLE_OPERANDS.has(f.operand)).map((f) => f.column));
    if (uniqueKeys.some((key) => key.every((c) => equal.has(c)))) return undefined;
    return addFilterShapes(filters, access, table, add, options.likePrefix ?? 'text_pattern_ops');
  };
  const primary = shapes(access.filters);
  for (const group of access.orGroups) for (const branch of group) shapes(branch);
  const equality = equalityKeys(access.filters, table);
  // On the inner side of a nested loop a join key is probed like an equality: its shapes are
  // the query's with the join key among the equality columns (Q17's (l_partkey, l_quantity)).
  for (const join of access.joins) {
    add([joinKey(join)]);
    const probed: Filter = {
      column: join.column,
      ...(join.expression === undefined ? {} : { expression: join.expression }),
      kind: 'equality',
      operator: '= (join)',
      operand: 'outer',
    };
    shapes([...access.filters, probed]);
  }
  if (access.groupBy.length > 0 && access.orderBy.length === 0) add([...equality, ...access.groupBy.map((c) => keyColumn(c))]);

  const defs: IndexDef[] = [];
  const constants = access.filters.filter((f) => f.constantSql !== undefined);
  const predicates = [...new Set(constants.map((f) => f.constantSql as string))].sort();
  const where = predicates.length > 0 ? predicates.join(' AND ') : null;
  const fixed = new Set(
    constants.filter((f) => f.kind === 'null' || f.kind === 'not-null' || !/ IN /.test(f.constantSql ?? '')).map((f) => f.column),
  );
  for (const keys of keySets) {
    const cover = (def: IndexDef) => (keys === primary ? withCovering(def, access, table, options) : [def]);
    defs.push(...cover(plain(access, keys)));
    if (where !== null) {
      const partialKeys = keys.filter((k) => !fixed.has(k.column));
      if (partialKeys.length > 0) defs.push(...cover({ ...plain(access, partialKeys), where }));
    }
  }
  return defs.map((def) => ({ def, predicates: def.where === null ? [] : predicates }));
}

function plain(access: TableAccess, keys: readonly KeyColumn[]): IndexDef {
  return { table: access.table, keys, include: [], where: null, method: 'btree', unique: false };
}

/** Equality keys, then each range column, then the ORDER BY: the shapes a b-tree serves. Returns the fullest. */
function addFilterShapes(
  filters: readonly Filter[],
  access: TableAccess,
  table: Table,
  add: (keys: KeyColumn[]) => KeyColumn[],
  likePrefix: LikePrefixKey,
): KeyColumn[] | undefined {
  const equality = equalityKeys(filters, table);
  // In a row comparison (a, b) < (x, y) only the first column bounds an index scan.
  const ranges = filters.filter(
    (f, i) =>
      (f.kind === 'range' || f.kind === 'prefix') &&
      INDEXABLE_OPERANDS.has(f.operand) &&
      !(f.operator.startsWith('(row)') && filters.slice(0, i).some((g) => g.operator === f.operator)),
  );
  const sort = access.orderBy.map((s) => sortKey(s, table));
  let fullest = equality.length > 0 ? add(equality) : undefined;
  ranges.forEach((range, i) => {
    const keys = add([...equality, rangeKey(range, table, likePrefix)]);
    if (i === 0) fullest = keys;
  });
  if (sort.length > 0) fullest = add([...equality, ...sort]);
  // the most selective column alone: an index other queries can share as a prefix
  const [first] = equality;
  if (equality.length > 1 && first !== undefined) add([first]);
  // an expression's selectivity is unknown until it is indexed (it sorts last): offer it alone too
  for (const key of equality.slice(1)) if (key.expression) add([key]);
  return fullest;
}

function equalityKeys(filters: readonly Filter[], table: Table): KeyColumn[] {
  // IS NULL tests are served by partial variants (WHERE col IS NULL), not as key columns
  const columns = filters.filter((f) => f.kind === 'equality' && INDEXABLE_OPERANDS.has(f.operand)).map((f) => f.column);
  return sortBySelectivity([...new Set(columns)], table).map((c) => equalityKey(c, filters, table));
}

/** Most distinct values first (n_distinct from pg_stats; a negative value is a fraction of the rows). */
export function sortBySelectivity(columns: readonly string[], table: Table): string[] {
  const rows = table.rowEstimate ?? 0;
  const distinct = (name: string): number => {
    const nd = table.columns.find((c) => c.name === name)?.stats?.nDistinct;
    if (nd === null || nd === undefined) return 0;
    return nd < 0 ? -nd * Math.max(rows, 1) : nd;
  };
  return [...columns].sort((a, b) => distinct(b) - distinct(a));
}

function dedupeKeys(keys: readonly KeyColumn[]): KeyColumn[] {
  const seen = new Set<string>();
  return keys.filter((k) => (seen.has(k.column) ? false : (seen.add(k.column), true)));
}

/** Columns wider than this on average (pg_stats.avg_width) are not copied into a covering index. */
const MAX_INCLUDE_WIDTH = 64;

/** The plain definition and, when the query reads a few other narrow columns, a covering one. */
function withCovering(def: IndexDef, access: TableAccess, table: Table, options: CandidateOptions): IndexDef[] {
  if (access.allColumns) return [def];
  const keyNames = new Set(def.keys.map((k) => k.column));
  const predicateColumns =
    def.where === null
      ? new Set<string>()
      : new Set(access.filters.filter((f) => f.constantSql && def.where?.includes(f.constantSql)).map((f) => f.column));
  const implicit = storedAnyway(table);
  const extra = access.columnsRead.filter((c) => !keyNames.has(c) && !predicateColumns.has(c) && !implicit.has(c)).sort();
  if (extra.length === 0 || extra.length > (options.maxInclude ?? 3)) return [def];
  const width = (c: string) => table.columns.find((col) => col.name === c)?.stats?.avgWidth ?? 0;
  if (extra.some((c) => width(c) > MAX_INCLUDE_WIDTH)) return [def];
  const rowWidth = table.columns.reduce((sum, col) => sum + (col.stats?.avgWidth ?? 0), 0);
  const held = [...keyNames, ...extra].reduce((sum, c) => sum + width(c), 0);
  if (options.maxRowShare !== undefined && rowWidth > 0 && held > options.maxRowShare * rowWidth) return [def];
  if (options.includeColumns) return [def, { ...def, include: extra }];
  const byKeys = coveringByKeys(def, extra, table);
  return byKeys === null ? [def] : [def, byKeys];
}

/** An existing valid index already serves what the candidate would (the one `covers` rule health uses too). */
function coveredByExisting(def: IndexDef, existing: readonly Index[]): boolean {
  const shape = plannedShape(def);
  return existing.some((index) => (def.method === 'btree' ? covers(index, shape) : sameIndex(index, shape)));
}

/**
 * For each candidate, the candidates that extend it: same table and predicate, its keys
 * (column, direction, operator class, collation) leading theirs, its INCLUDE columns
 * among theirs, and more keys or more INCLUDE columns. A b-tree serves whatever its
 * leading part serves.
 */
export function wideningsOf(candidates: readonly IndexCandidate[]): Map<string, string[]> {
  const wider = new Map<string, string[]>();
  for (const group of byTableName(candidates.map((c) => ({ ...c, table: c.def.table }))).values()) {
    for (const narrow of group) {
      const list = group.filter((other) => other.id !== narrow.id && extendsIndex(other.def, narrow.def)).map((other) => other.id);
      if (list.length > 0) wider.set(narrow.id, list);
    }
  }
  return wider;
}

function extendsIndex(wide: IndexDef, narrow: IndexDef): boolean {
  if (wide.method !== 'btree' || narrow.method !== 'btree') return false;
  if (wide.where !== narrow.where || wide.keys.length < narrow.keys.length) return false;
  const leading = narrow.keys.every((k, i) => {
    const w = wide.keys[i];
    return (
      w !== undefined &&
      w.column === k.column &&
      (w.expression === undefined) === (k.expression === undefined) &&
      w.descending === k.descending &&
      w.nullsFirst === k.nullsFirst &&
      w.opclass === k.opclass &&
      sameCollation(w.collation, k.collation)
    );
  });
  const included = new Set([...wide.keys.map((k) => k.column), ...wide.include]);
  return (
    leading &&
    narrow.include.every((c) => included.has(c)) &&
    (wide.keys.length > narrow.keys.length || wide.include.length > narrow.include.length)
  );
}
