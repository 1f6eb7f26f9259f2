/**
 * timestamp-not-last: a composite btree index with a timestamp or date column before
 * other columns. Queries usually compare such a column by range (`created_at > now() -
 * interval '1 day'`) and the others by equality; a btree seeks on the equality columns
 * first and the range last (the equality, sort, range rule), so keys after a range only
 * filter inside the range instead of narrowing the seek. Advisory: if queries compare the
 * timestamp by equality, or sort by it, the order is right. Later keys that are the
 * table's primary key are a tie-breaker (keyset pagination) and not reported. Constraint
 * indexes are left alone. A pure rule over the catalog.
 */
import { type Catalog, findTable, type Index } from '../../model/catalog.js';
import type { Finding } from '../../model/finding.js';
import { formatQualified, quoteIdent } from '../../sql/names.js';
import type { Check } from '../check.js';
import { isPlainBtree, isTimeType, keyColumnOf } from '../columns.js';

export interface TimestampNotLast {
  readonly index: Index;
  readonly timeColumn: string;
  /** The key columns after it that are not times. */
  readonly after: readonly string[];
  /** The same keys with the time columns moved to the end. */
  readonly suggested: readonly string[];
}

function check(catalog: Catalog, index: Index): TimestampNotLast | null {
  const columns = index.keys.map((key) => keyColumnOf(catalog, index, key));
  const first = columns.findIndex((c) => c !== null && isTimeType(c.type));
  if (first < 0) return null;
  const later = columns.slice(first + 1);
  const after = later.filter((c) => c !== null && !isTimeType(c.type)).map((c) => c?.name ?? '');
  const primaryKey = findTable(catalog, index.table)?.primaryKey ?? [];
  if (after.length === 0 || after.every((c) => primaryKey.includes(c))) return null;
  if (later.some((c) => c === null)) return null; // an expression after the time: no advice
  const names = index.keys.map((k) => k.column ?? '');
  const isTime = (name: string) => columns.some((c) => c?.name === name && isTimeType(c.type));
  const suggested = [...names.filter((n) => !isTime(n)), ...names.filter(isTime)];
  return { index, timeColumn: columns[first]?.name ?? '', after, suggested };
}

export function findTimestampNotLast(catalog: Catalog): TimestampNotLast[] {
  return catalog.indexes
    .filter((index) => isPlainBtree(index) && index.keys.length >= 2 && index.constraint === null)
    .map((index) => check(catalog, index))
    .filter((item): item is TimestampNotLast => item !== null);
}

function toFinding(item: TimestampNotLast): Finding {
  const index = formatQualified(item.index);
  const time = quoteIdent(item.timeColumn);
  const after = item.after.map(quoteIdent).join(', ');
  const suggested = item.suggested.map(quoteIdent).join(', ');
  return {
    check: 'timestamp-not-last',
    severity: 'info',
    table: formatQualified(item.index.table),
    index,
    message: `${index} puts ${time} before ${after}: for equality on ${after} and a range on ${time}, (${suggested}) seeks straight to the rows`,
    evidence: {
      bytes: item.index.bytes,
      timeColumn: item.timeColumn,
      columnsAfter: item.after.join(', '),
      suggestedKeys: item.suggested.join(', '),
      definition: item.index.definition,
    },
    fixSql: null,
  };
}

export const timestampNotLast: Check = {
  id: 'timestamp-not-last',
  family: 'static',
  description: 'composite indexes with a timestamp before equality columns: equality first, range last serves range queries better',
  thresholds: [],
  engines: ['postgres'],
  async run({ catalog }) {
    return findTimestampNotLast(catalog).map(toFinding);
  },
};
