/**
 * The guard's second look. Its first pass measures "before" (no new indexes) minutes
 * before "after" (all of them built), with a few runs each: a busy machine can make a good
 * index look harmful, and hide a real 15–20% regression of a long query in the noise.
 * Every query that uses a recommended index and came out slower at all is therefore
 * measured again in alternating rounds (after, before, before, after, …) inside the same
 * transaction, "before" in a savepoint that drops the recommended indexes and is rolled
 * back. The pooled runs of all rounds then stand for both sides.
 */
import { type Engine, rollbackToSavepoint } from '../engines/engine.js';
import type { Catalog } from '../model/catalog.js';
import type { Measurement, QueryMeasurement } from '../model/measurement.js';
import type { Recommendation } from '../model/recommendation.js';
import type { Workload } from '../model/workload.js';
import { dropIndexSql } from '../sql/ddl.js';
import { alternatingRuns } from './alternating.js';
import { median } from './measure.js';
import { measureWorkload, type VerifyOptions } from './verify.js';

export const RECHECK_ROUNDS = 4;

/** Times below this (ms) are too short to call a difference a regression. */
export const NOISE_FLOOR_MS = 0.05;

export interface Rechecked {
  readonly before: Measurement;
  readonly after: Measurement;
  /** Fingerprints of the queries measured again. */
  readonly fingerprints: readonly string[];
}

/** Queries worth a second look: measured on both sides, on a recommended index, and slower after. */
export function recheckSuspects(before: Measurement, after: Measurement, recommended: ReadonlySet<string>): string[] {
  const earlier = new Map(before.queries.map((q) => [q.fingerprint, q]));
  return after.queries
    .filter((q) => {
      const b = earlier.get(q.fingerprint);
      if (b === undefined || b.medianMs === null || q.medianMs === null || b.timedOut || q.timedOut) return false;
      return q.medianMs >= NOISE_FLOOR_MS && q.medianMs > b.medianMs && q.indexes.some((name) => recommended.has(name));
    })
    .map((q) => q.fingerprint);
}

function pooled(query: QueryMeasurement, runsMs: readonly number[]): QueryMeasurement {
  if (runsMs.length === 0) return query;
  return { ...query, runsMs, medianMs: median(runsMs), minMs: Math.min(...runsMs), maxMs: Math.max(...runsMs) };
}

function withPooled(measurement: Measurement, runs: ReadonlyMap<string, readonly number[]>): Measurement {
  return {
    ...measurement,
    queries: measurement.queries.map((q) => {
      const times = runs.get(q.fingerprint);
      return times === undefined ? q : pooled(q, times);
    }),
  };
}

/**
 * Measures the suspects again in alternating rounds; the engine is inside the guard's
 * transaction with every recommended index in `recommended` built.
 */
export async function recheckSlowdowns(
  engine: Engine,
  workload: Workload,
  catalog: Catalog,
  options: VerifyOptions,
  before: Measurement,
  after: Measurement,
  recommended: ReadonlyMap<string, Recommendation>,
): Promise<Rechecked> {
  const fingerprints = recheckSuspects(before, after, new Set(recommended.keys()));
  if (fingerprints.length === 0) return { before, after, fingerprints };
  const only = new Set(fingerprints);
  const measure = () => measureWorkload(engine, workload, catalog, options, { inTransaction: true, only });
  const runs = await alternatingRuns(
    RECHECK_ROUNDS,
    {
      after: measure,
      before: async () => {
        await engine.query('SAVEPOINT indexwise_recheck');
        try {
          for (const rec of recommended.values()) {
            await engine.query(dropIndexSql({ schema: rec.index.table.schema, name: rec.name }, { dialect: engine.family }));
          }
          return await measure();
        } finally {
          await rollbackToSavepoint(engine, 'indexwise_recheck');
        }
      },
    },
    (round) =>
      options.onProgress?.(`measured guard: ${fingerprints.length} slower-looking queries again, round ${round}/${RECHECK_ROUNDS}`),
  );
  return { before: withPooled(before, runs.before), after: withPooled(after, runs.after), fingerprints };
}
