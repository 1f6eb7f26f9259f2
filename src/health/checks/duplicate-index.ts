/**
 * duplicate-index: indexes on the same table with the same method, key columns and
 * expressions (in order, with directions), operator classes, collations, INCLUDE
 * columns and predicate. One of each group stays — the one enforcing a constraint,
 * else the primary or unique one, else the first by name; the others are findings.
 * A pure rule over the catalog.
 */
import type { Index } from '../../model/catalog.js';
import { formatQualified } from '../../sql/names.js';
import { normalizePredicate } from '../../model/predicate.js';
import type { Check } from '../check.js';
import { dropIndexFix } from '../fix.js';

export function duplicateSignature(index: Index): string {
  const keys = index.keys.map((k) => [k.column ?? `(${k.expression})`, k.descending, k.nullsFirst, k.opclass, k.collation].join('|'));
  return [
    index.table.schema,
    index.table.name,
    index.method,
    keys.join(','),
    index.include.join(','),
    normalizePredicate(index.predicate),
  ].join('\u0000');
}

/** Which index of a duplicate group to keep. */
function keeperRank(index: Index): number {
  return (index.constraint !== null ? 4 : 0) + (index.primary ? 2 : 0) + (index.unique ? 1 : 0);
}

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
    const [keep, ...rest] = [...group].sort((a, b) => keeperRank(b) - keeperRank(a) || a.name.localeCompare(b.name));
    for (const drop of rest) if (keep !== undefined && drop.constraint === null) pairs.push({ keep, drop });
  }
  return pairs;
}

export const duplicateIndex: Check = {
  id: 'duplicate-index',
  family: 'static',
  description: 'indexes identical to another index on the same table: pure write and storage cost',
  thresholds: [],
  engines: ['postgres', 'sqlite'],
  async run({ catalog, info }) {
    return findDuplicates(catalog.indexes).map(({ keep, drop }) => {
      const index = formatQualified(drop);
      return {
        check: 'duplicate-index',
        severity: 'warning' as const,
        table: formatQualified(drop.table),
        index,
        message: `${index} duplicates ${formatQualified(keep)}`,
        evidence: { bytes: drop.bytes, duplicateOf: formatQualified(keep), definition: drop.definition },
        fixSql: dropIndexFix(info, catalog, drop),
      };
    });
  },
};
