/**
 * Candidates that are one index read in either direction. PostgreSQL and SQLite read a
 * b-tree backwards as cheaply as forwards, so (a, b) and (a, b DESC) serve the same
 * queries when each of those queries fixes a with an equality: ORDER BY b and ORDER BY
 * b DESC both come out of either; and an index with every key reversed is the same index
 * for any query. Costing both is wasted work — a build each where there
 * is no HypoPG — so one is kept (the one more queries asked for; the first on a tie) and
 * serves the queries of both. Pure.
 */
import type { IndexDef, KeyColumn } from '../model/index-def.js';
import { qualifiedKey } from '../model/catalog.js';

export interface MirrorEntry {
  readonly def: IndexDef;
  readonly queries: Set<string>;
}

/** The columns a query compares with an equality on a table (null: it does not read it). */
export type EqualityLookup = (fingerprint: string, table: string) => ReadonlySet<string> | null;

const nullsFirst = (k: KeyColumn) => k.nullsFirst ?? k.descending;
const sameWay = (a: KeyColumn, b: KeyColumn) => a.descending === b.descending && nullsFirst(a) === nullsFirst(b);
const opposite = (a: KeyColumn, b: KeyColumn) => a.descending !== b.descending && nullsFirst(a) !== nullsFirst(b);

/** Everything but the directions: table, predicate, INCLUDE, key columns with their operator classes and collations. */
function shape(def: IndexDef): string {
  const keys = def.keys.map((k) => `${k.column}\u0001${k.opclass ?? ''}\u0001${(k.collation ?? '').toLowerCase()}`);
  return [qualifiedKey(def.table), def.method, def.where ?? '', [...def.include].sort().join(','), ...keys].join('\u0000');
}

/**
 * The leading keys both share in the same direction, when the rest of them is exactly
 * reversed (0: the whole index reversed, the same index for every query); else null.
 */
function sharedLead(a: IndexDef, b: IndexDef): number | null {
  const first = a.keys.findIndex((k, i) => !sameWay(k, b.keys[i] as KeyColumn));
  if (first < 0) return null;
  return a.keys.slice(first).every((k, i) => opposite(k, b.keys[first + i] as KeyColumn)) ? first : null;
}

/** Removes from `entries` each candidate a kept one mirrors (their queries move to the kept one). */
export function mergeMirrored<E extends MirrorEntry>(entries: Map<string, E>, equalityOf: EqualityLookup): void {
  const groups = new Map<string, string[]>();
  for (const [id, entry] of entries) groups.set(shape(entry.def), [...(groups.get(shape(entry.def)) ?? []), id]);
  for (const ids of groups.values()) {
    if (ids.length < 2) continue;
    const ranked = [...ids].sort((x, y) => (entries.get(y)?.queries.size ?? 0) - (entries.get(x)?.queries.size ?? 0));
    for (const keepId of ranked) {
      const keep = entries.get(keepId);
      if (keep === undefined) continue;
      for (const otherId of ranked) {
        const other = entries.get(otherId);
        if (otherId === keepId || other === undefined) continue;
        const lead = sharedLead(keep.def, other.def);
        if (lead === null) continue;
        const fixed = keep.def.keys.slice(0, lead).map((k) => k.column);
        const table = qualifiedKey(keep.def.table);
        const everyQueryFixes = [...keep.queries, ...other.queries].every((fp) => {
          const equal = equalityOf(fp, table);
          return equal !== null && fixed.every((c) => equal.has(c));
        });
        if (!everyQueryFixes) continue;
        for (const fp of other.queries) keep.queries.add(fp);
        entries.delete(otherId);
      }
    }
  }
}
