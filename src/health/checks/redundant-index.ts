/**
 * redundant-index: a btree index whose key columns (with their expressions, operator
 * classes, collations and directions — or all directions reversed) are a leading prefix
 * of another valid btree index on the same table with the same predicate, whose keys and
 * INCLUDE columns hold this one's INCLUDE columns too. The wider index serves every
 * query the narrower one does. A unique index is redundant only to a unique index on the
 * same keys; an index enforcing a constraint is never the one dropped. Exact duplicates
 * are left to duplicate-index. A pure rule over the catalog.
 */
import type { Index, IndexKey } from '../../model/catalog.js';
import { formatQualified } from '../../sql/names.js';
import { normalizePredicate } from '../../model/predicate.js';
import type { Check } from '../check.js';
import { dropIndexFix } from '../fix.js';
import { findDuplicates } from './duplicate-index.js';

const keyTarget = (k: IndexKey) => k.column ?? `(${k.expression})`;
const keyId = (k: IndexKey) => [keyTarget(k), k.opclass ?? '', k.collation ?? ''].join('\u0000');
const direction = (k: IndexKey) => `${k.descending}|${k.nullsFirst}`;
const reversed = (k: IndexKey) => `${!k.descending}|${!k.nullsFirst}`;

/** The prefix of `wide` matches `narrow` key for key, read in one direction or the other. */
function isKeyPrefix(narrow: readonly IndexKey[], wide: readonly IndexKey[]): boolean {
  if (narrow.length > wide.length) return false;
  const pairs = narrow.map((k, i) => [k, wide[i] as IndexKey] as const);
  if (!pairs.every(([a, b]) => keyId(a) === keyId(b))) return false;
  return pairs.every(([a, b]) => direction(a) === direction(b)) || pairs.every(([a, b]) => reversed(a) === direction(b));
}

function storedColumns(index: Index): Set<string> {
  return new Set([...index.keys.map(keyTarget), ...index.include]);
}

/** `wide` serves every query `narrow` serves (and enforces its uniqueness, if any). */
export function covers(wide: Index, narrow: Index): boolean {
  if (wide === narrow || wide.method !== 'btree' || narrow.method !== 'btree') return false;
  if (wide.table.schema !== narrow.table.schema || wide.table.name !== narrow.table.name) return false;
  if (normalizePredicate(wide.predicate) !== normalizePredicate(narrow.predicate)) return false;
  if (narrow.unique && !(wide.unique && wide.keys.length === narrow.keys.length)) return false;
  if (!isKeyPrefix(narrow.keys, wide.keys)) return false;
  const stored = storedColumns(wide);
  return narrow.include.every((column) => stored.has(column));
}

const keeperRank = (index: Index) => (index.constraint !== null ? 4 : 0) + (index.primary ? 2 : 0) + (index.unique ? 1 : 0);

/** When two indexes cover each other, the one kept is the constraint/unique one, else the first by name. */
function beats(wide: Index, narrow: Index): boolean {
  if (!covers(narrow, wide)) return true;
  return keeperRank(wide) - keeperRank(narrow) > 0 || (keeperRank(wide) === keeperRank(narrow) && wide.name < narrow.name);
}

const width = (index: Index) => index.keys.length * 1000 + index.include.length;

export function findRedundant(indexes: readonly Index[]): { drop: Index; coveredBy: Index }[] {
  const live = indexes.filter((i) => i.valid && i.parentIndex === null);
  const duplicates = new Set(findDuplicates(indexes).map((pair) => pair.drop));
  const found: { drop: Index; coveredBy: Index }[] = [];
  for (const narrow of live) {
    if (narrow.constraint !== null || duplicates.has(narrow)) continue;
    const wider = live
      .filter((wide) => !duplicates.has(wide) && covers(wide, narrow) && beats(wide, narrow))
      .sort((a, b) => width(a) - width(b) || keeperRank(b) - keeperRank(a) || a.name.localeCompare(b.name));
    if (wider[0] !== undefined) found.push({ drop: narrow, coveredBy: wider[0] });
  }
  return found;
}

export const redundantIndex: Check = {
  id: 'redundant-index',
  family: 'static',
  description: 'indexes whose keys are a leading prefix of another index on the same table: that one serves their queries',
  thresholds: [],
  engines: ['postgres', 'sqlite'],
  async run({ catalog, info }) {
    return findRedundant(catalog.indexes).map(({ drop, coveredBy }) => {
      const index = formatQualified(drop);
      return {
        check: 'redundant-index',
        severity: 'warning' as const,
        table: formatQualified(drop.table),
        index,
        message: `${index} is redundant: ${formatQualified(coveredBy)} starts with the same keys and serves the same queries`,
        evidence: {
          bytes: drop.bytes,
          coveredBy: formatQualified(coveredBy),
          definition: drop.definition,
          coveredByDefinition: coveredBy.definition,
        },
        fixSql: dropIndexFix(info, catalog, drop),
      };
    });
  },
};
