/**
 * Two sides of a comparison measured in alternating rounds (after, before, before, after,
 * …), so a machine that gets busier or quieter while it runs weighs on both alike; each
 * query's runs are pooled per side. Timed-out and skipped queries add no runs.
 */
import type { Measurement } from '../model/measurement.js';

export interface PooledRuns {
  /** Per fingerprint, the runs of every round, in ms. */
  readonly before: ReadonlyMap<string, readonly number[]>;
  readonly after: ReadonlyMap<string, readonly number[]>;
}

export interface Sides {
  readonly before: () => Promise<Measurement>;
  readonly after: () => Promise<Measurement>;
}

function collect(into: Map<string, number[]>, measurement: Measurement): void {
  for (const q of measurement.queries) {
    if (q.timedOut || q.skipped !== undefined) continue;
    into.set(q.fingerprint, [...(into.get(q.fingerprint) ?? []), ...q.runsMs]);
  }
}

export async function alternatingRuns(rounds: number, sides: Sides, onRound?: (round: number) => void): Promise<PooledRuns> {
  const before = new Map<string, number[]>();
  const after = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    onRound?.(round + 1);
    if (round % 2 === 0) {
      collect(after, await sides.after());
      collect(before, await sides.before());
    } else {
      collect(before, await sides.before());
      collect(after, await sides.after());
    }
  }
  return { before, after };
}
