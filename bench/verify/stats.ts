/**
 * Pure arithmetic of the benchmark: before/after per query with a verdict that
 * separates a real slowdown from measurement noise, and weighted quantiles.
 */
import type { Measurement, QueryMeasurement } from '../../src/model/measurement.js';
import { compareMeasurements } from '../../src/verify/compare.js';
import { median } from '../../src/verify/measure.js';
import { executedText } from './pin.js';
import type { Percentiles, QueryResult, Recheck, Verdict } from './types.js';

/** More than 10% slower (or faster) counts; less is "same". */
export const TOLERANCE = 1.1;

/**
 * EXPLAIN ANALYZE reports execution time rounded to 1 µs: medians at most 2 µs apart
 * (one rounding step each way) are within its resolution, whatever their ratio.
 */
export const RESOLUTION_MS = 0.002;

interface Sides {
  readonly beforeMs: number | null;
  readonly afterMs: number | null;
  readonly speedup: number | null;
  readonly minSpeedup: number | null;
  readonly bothTimedOut: boolean;
}

/**
 * "slower" only when both the medians and the minimums say so (the minimum of many
 * runs is the least disturbed by other work on the machine) and the medians are
 * further apart than the timer's resolution; otherwise "slower, within noise".
 */
export function verdict(sides: Sides): Verdict {
  const { speedup, minSpeedup } = sides;
  if (speedup === null || sides.bothTimedOut) return 'not measured';
  if (speedup >= TOLERANCE) return 'faster';
  if (speedup * TOLERANCE >= 1) return 'same';
  const withinResolution = sides.beforeMs !== null && sides.afterMs !== null && sides.afterMs - sides.beforeMs <= RESOLUTION_MS;
  if (withinResolution || (minSpeedup !== null && minSpeedup * TOLERANCE >= 1)) return 'slower, within noise';
  return 'slower';
}

function ratio(before: number | null, after: number | null): number | null {
  return before === null || after === null || after <= 0 ? null : before / after;
}

export function queryResults(before: Measurement, after: Measurement): QueryResult[] {
  const comparison = compareMeasurements(before, after);
  const beforeBy = new Map(before.queries.map((q) => [q.fingerprint, q]));
  const afterBy = new Map(after.queries.map((q) => [q.fingerprint, q]));
  return comparison.queries.map((c): QueryResult => {
    const b = beforeBy.get(c.fingerprint) as QueryMeasurement;
    const a = afterBy.get(c.fingerprint) as QueryMeasurement;
    const minSpeedup = ratio(b.minMs, a.minMs);
    return {
      fingerprint: c.fingerprint,
      name: c.name ?? c.fingerprint,
      calls: c.calls,
      write: b.write,
      runsBefore: b.runsMs.length,
      runsAfter: a.runsMs.length,
      beforeMs: c.beforeMs,
      afterMs: c.afterMs,
      beforeMinMs: b.minMs,
      afterMinMs: a.minMs,
      beforeTimedOut: b.timedOut,
      afterTimedOut: a.timedOut,
      speedup: c.speedup,
      minSpeedup,
      speedupIsLowerBound: c.speedupIsLowerBound,
      verdict: verdict({
        beforeMs: c.beforeMs,
        afterMs: c.afterMs,
        speedup: c.speedup,
        minSpeedup,
        bothTimedOut: b.timedOut && a.timedOut,
      }),
      planChange: c.planChange,
      indexesAfter: c.indexesAfter,
      executed: executedText(b),
      sameExecution: executedText(b) === executedText(a),
      skipped: b.skipped ?? a.skipped ?? null,
      recheck: null,
    };
  });
}

/** First-pass speed-ups below this are measured again, interleaved: where noise can decide the verdict. */
export const RECHECK_BELOW = 2;

/** Queries the interleaved recheck measures again: slower, the same, or less than ×2 faster on the first pass. */
export function suspects(results: readonly QueryResult[]): QueryResult[] {
  return results.filter((q) => q.speedup !== null && q.speedup < RECHECK_BELOW && !q.beforeTimedOut && !q.afterTimedOut);
}

/** The result with its recheck: the verdict is then the one of the interleaved runs. */
export function withRecheck(
  result: QueryResult,
  runs: { readonly before: readonly number[]; readonly after: readonly number[] },
  rounds: number,
): QueryResult {
  const beforeMs = median(runs.before);
  const afterMs = median(runs.after);
  const speedup = ratio(beforeMs, afterMs);
  const minSpeedup = runs.before.length === 0 || runs.after.length === 0 ? null : ratio(Math.min(...runs.before), Math.min(...runs.after));
  const recheck: Recheck = {
    rounds,
    beforeRunsMs: runs.before,
    afterRunsMs: runs.after,
    beforeMs,
    afterMs,
    speedup,
    minSpeedup,
    firstVerdict: result.verdict,
  };
  const again = verdict({ beforeMs, afterMs, speedup, minSpeedup, bothTimedOut: false });
  return { ...result, recheck, verdict: again === 'same' ? 'same on recheck' : again };
}

export interface WeightedValue {
  readonly value: number;
  readonly weight: number;
}

/**
 * The q-quantile of a weighted distribution: the smallest value v such that the
 * values ≤ v carry at least q of the total weight (no interpolation).
 */
export function weightedQuantile(points: readonly WeightedValue[], q: number): number | null {
  const sorted = points.filter((p) => p.weight > 0).sort((x, y) => x.value - y.value);
  const total = sorted.reduce((sum, p) => sum + p.weight, 0);
  if (total === 0) return null;
  let cumulative = 0;
  for (const point of sorted) {
    cumulative += point.weight;
    if (cumulative >= q * total - 1e-9 * total) return point.value;
  }
  return sorted[sorted.length - 1]?.value ?? null;
}

/**
 * p50 and p95 of per-call latency if every call of a query took its median time:
 * the weighted quantiles over the queries' median times, weights = calls. A timed-out
 * query counts at the timeout.
 */
export function callPercentiles(queries: readonly QueryResult[], side: 'before' | 'after'): Percentiles {
  // only queries measured both times, so both sides describe the same calls
  const points = queries.flatMap((q) =>
    q.beforeMs === null || q.afterMs === null ? [] : [{ value: side === 'before' ? q.beforeMs : q.afterMs, weight: q.calls }],
  );
  return { p50: weightedQuantile(points, 0.5), p95: weightedQuantile(points, 0.95) };
}
