/**
 * How indexes relate to each other: the one copy of the rules health (duplicate-index,
 * redundant-index) and the advisor (candidates an existing index covers, the existing
 * indexes a recommendation replaces) share. Pure.
 *
 * - Two indexes are *duplicates* when everything that decides what they serve is the same.
 * - A wide index *covers* a narrow one when the narrow one's keys lead the wide one's, key
 *   for key (column or expression, operator class, collation), read in one direction or
 *   the other: all directions and NULLS orders the same, or all of them reversed (a b-tree
 *   is scanned both ways, and backwards ASC NULLS LAST reads as DESC NULLS FIRST). Indexes
 *   that differ only in NULLS order serve different ORDER BYs, so neither covers the other.
 *   The predicate must be the same, and the narrow one's INCLUDE columns stored in the wide one.
 * - Of two indexes that can stand for each other, the *keeper* enforces a constraint, else
 *   is the primary or a unique one, else comes first by name.
 */
import { type Index, type IndexKey, qualifiedKey, sameName } from './catalog.js';
import type { IndexDef } from './index-def.js';
import { normalizeExpression, normalizePredicate } from './predicate.js';

/** What decides which queries an index serves: an index of the catalog, or a planned one (`plannedShape`). */
export type IndexShape = Pick<Index, 'table' | 'method' | 'unique' | 'keys' | 'include' | 'predicate'>;

// an expression is never the column it reads: `lower(email)` does not serve `email = $1`
const keyTarget = (k: IndexKey) => k.column ?? `(${k.expression})`;
// collation names compared without case, as SQLite does (NOCASE, nocase)
const keyId = (k: IndexKey) => [keyTarget(k), k.opclass ?? '', (k.collation ?? '').toLowerCase()].join('\u0000');

/**
 * The same key. Two expressions the database printed are the same when their texts are
 * (it prints one expression one way); a planned one, deparsed from a query, is compared
 * loosely: `lower(email)` is what PostgreSQL prints as `lower((email)::text)`.
 */
function sameKey(a: IndexKey, b: IndexKey): boolean {
  if (keyId(a) === keyId(b)) return true;
  if (a.expression === null || b.expression === null || !(a.planned || b.planned)) return false;
  const loose = (k: IndexKey) =>
    [normalizeExpression(k.expression ?? ''), k.opclass ?? '', (k.collation ?? '').toLowerCase()].join('\u0000');
  return loose(a) === loose(b);
}
const direction = (k: IndexKey) => `${k.descending}|${k.nullsFirst}`;
const reversed = (k: IndexKey) => `${!k.descending}|${!k.nullsFirst}`;

/** A planned index's keys as the catalog will show them once built: NULLS order explicit (NULLS FIRST is DESC's default). */
export function plannedKeys(def: IndexDef): IndexKey[] {
  return def.keys.map((k) => ({
    column: k.expression ? null : k.column,
    expression: k.expression ? k.column : null,
    ...(k.expression ? { planned: true } : {}),
    descending: k.descending,
    nullsFirst: k.nullsFirst ?? k.descending,
    opclass: k.opclass,
    collation: k.collation ?? null,
  }));
}

/** A definition (a candidate, a recommendation) in the shape the rules compare. */
export function plannedShape(def: IndexDef): IndexShape {
  return { table: def.table, method: def.method, unique: def.unique, keys: plannedKeys(def), include: def.include, predicate: def.where };
}

/** The same for every index that serves the same queries the same way. */
export function duplicateSignature(index: IndexShape): string {
  return [
    index.table.schema,
    index.table.name,
    index.method,
    index.keys.map((k) => `${keyId(k)}\u0000${direction(k)}`).join(','),
    index.include.join(','),
    normalizePredicate(index.predicate),
  ].join('\u0001');
}

/** The prefix of `wide` matches `narrow` key for key, read in one direction or the other. */
function isKeyPrefix(narrow: readonly IndexKey[], wide: readonly IndexKey[]): boolean {
  if (narrow.length > wide.length) return false;
  const pairs = narrow.map((k, i) => [k, wide[i] as IndexKey] as const);
  if (!pairs.every(([a, b]) => sameKey(a, b))) return false;
  return pairs.every(([a, b]) => direction(a) === direction(b)) || pairs.every(([a, b]) => reversed(a) === direction(b));
}

/** `wide` serves every query `narrow` serves (and enforces its uniqueness, if any). */
export function covers(wide: IndexShape, narrow: IndexShape): boolean {
  if (wide === narrow || wide.method !== 'btree' || narrow.method !== 'btree') return false;
  if (!sameName(wide.table, narrow.table)) return false;
  if (normalizePredicate(wide.predicate) !== normalizePredicate(narrow.predicate)) return false;
  if (narrow.unique && !(wide.unique && wide.keys.length === narrow.keys.length)) return false;
  if (!isKeyPrefix(narrow.keys, wide.keys)) return false;
  const stored = new Set([...wide.keys.map(keyTarget), ...wide.include]);
  return narrow.include.every((column) => stored.has(column));
}

/**
 * Two indexes serve the same queries the same way: same table, method, keys (operator
 * classes and collations included) and predicate. The only relation between indexes of
 * the other methods (GIN, GiST, BRIN, hash), which have no key order to share.
 */
export function sameIndex(a: IndexShape, b: IndexShape): boolean {
  if (a.method !== b.method || !sameName(a.table, b.table) || a.keys.length !== b.keys.length) return false;
  if (normalizePredicate(a.predicate) !== normalizePredicate(b.predicate)) return false;
  return a.keys.every((k, i) => sameKey(k, b.keys[i] as IndexKey));
}

/** Which of two interchangeable indexes to keep: higher first. */
export function keeperRank(index: Pick<Index, 'constraint' | 'primary' | 'unique'>): number {
  return (index.constraint !== null ? 4 : 0) + (index.primary ? 2 : 0) + (index.unique ? 1 : 0);
}

const byKeeper = (a: Index, b: Index) => keeperRank(b) - keeperRank(a) || a.name.localeCompare(b.name);

/** Groups of identical valid indexes: one kept, the others (never one enforcing a constraint) to drop. */
export function findDuplicates(indexes: readonly Index[]): { keep: Index; drop: Index }[] {
  const groups = new Map<string, Index[]>();
  for (const index of indexes) {
    if (index.parentIndex !== null || !index.valid) continue; // partition copies follow their parent; invalid ones have their own check
    const signature = duplicateSignature(index);
    groups.set(signature, [...(groups.get(signature) ?? []), index]);
  }
  const pairs: { keep: Index; drop: Index }[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const [keep, ...rest] = [...group].sort(byKeeper);
    for (const drop of rest) if (keep !== undefined && drop.constraint === null) pairs.push({ keep, drop });
  }
  return pairs;
}

/** When two indexes cover each other, the one kept is the constraint/unique one, else the first by name. */
function beats(wide: Index, narrow: Index): boolean {
  if (!covers(narrow, wide)) return true;
  return keeperRank(wide) - keeperRank(narrow) > 0 || (keeperRank(wide) === keeperRank(narrow) && wide.name < narrow.name);
}

const width = (index: Index) => index.keys.length * 1000 + index.include.length;

/** Valid indexes another valid index covers (duplicates left to findDuplicates), with the narrowest one covering each. */
export function findRedundant(indexes: readonly Index[]): { drop: Index; coveredBy: Index }[] {
  const live = indexes.filter((i) => i.valid && i.parentIndex === null);
  const duplicates = new Set(findDuplicates(indexes).map((pair) => pair.drop));
  // only indexes of the same table can cover each other
  const byTable = new Map<string, Index[]>();
  for (const index of live) {
    const list = byTable.get(qualifiedKey(index.table));
    if (list === undefined) byTable.set(qualifiedKey(index.table), [index]);
    else list.push(index);
  }
  const found: { drop: Index; coveredBy: Index }[] = [];
  for (const narrow of live) {
    if (narrow.constraint !== null || duplicates.has(narrow)) continue;
    const wider = (byTable.get(qualifiedKey(narrow.table)) ?? [])
      .filter((wide) => !duplicates.has(wide) && covers(wide, narrow) && beats(wide, narrow))
      .sort((a, b) => width(a) - width(b) || byKeeper(a, b));
    if (wider[0] !== undefined) found.push({ drop: narrow, coveredBy: wider[0] });
  }
  return found;
}
