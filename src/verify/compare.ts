/** Two measurements of the same workload, matched by fingerprint. Pure. */
import type { Comparison, Measurement, QueryComparison, QueryMeasurement } from '../model/measurement.js';

/** "Seq Scan → Index Scan; Hash Join → Nested Loop": the scan and join types that changed. */
function planChange(before: QueryMeasurement, after: QueryMeasurement): string {
  const change = (a: readonly string[], b: readonly string[]) => {
    const from = a.join(' + ');
    const to = b.join(' + ');
    return from === to ? '' : `${from || '-'} → ${to || '-'}`;
  };
  const joins = before.joins === undefined || after.joins === undefined ? '' : change(before.joins, after.joins);
  return [change(before.scans, after.scans), joins].filter((part) => part !== '').join('; ');
}

export function compareMeasurements(before: Measurement, after: Measurement): Comparison {
  const afterBy = new Map(after.queries.map((q) => [q.fingerprint, q]));
  const queries: QueryComparison[] = [];
  const unmatched: string[] = [];
  let beforeTotal = 0;
  let afterTotal = 0;
  for (const b of before.queries) {
    const a = afterBy.get(b.fingerprint);
    if (a === undefined) {
      unmatched.push(b.fingerprint);
      continue;
    }
    const measured = b.medianMs !== null && a.medianMs !== null;
    if (measured) {
      beforeTotal += b.calls * (b.medianMs as number);
      afterTotal += a.calls * (a.medianMs as number);
    }
    queries.push({
      fingerprint: b.fingerprint,
      ...(b.name ? { name: b.name } : {}),
      sql: b.sql,
      calls: b.calls,
      beforeMs: b.medianMs,
      afterMs: a.medianMs,
      speedup: measured && (a.medianMs as number) > 0 ? (b.medianMs as number) / (a.medianMs as number) : null,
      speedupIsLowerBound: b.timedOut && !a.timedOut,
      planChange: planChange(b, a),
      indexesAfter: a.indexes,
    });
  }
  const known = new Set(before.queries.map((q) => q.fingerprint));
  for (const a of after.queries) if (!known.has(a.fingerprint)) unmatched.push(a.fingerprint);
  return {
    before: { target: before.target, measuredAt: before.measuredAt },
    after: { target: after.target, measuredAt: after.measuredAt },
    queries,
    workload: { beforeMs: beforeTotal, afterMs: afterTotal, speedup: afterTotal > 0 ? beforeTotal / afterTotal : null },
    unmatched,
  };
}
