/**
 * A second look at the queries whose first-pass speed-up is below ×2 (slower, the
 * same or a little faster: where noise can decide the verdict). The first pass measures
 * "before" minutes earlier than "after", so a busy machine, or statistics that the
 * ANALYZE after the build sampled differently, can pass for a regression. Here both
 * sides are measured in alternating rounds (after, before, before, after, …) on the
 * same statistics: "before" inside a transaction that undoes the advice (drops the
 * new indexes, builds the dropped ones again) and is rolled back.
 */
import type { Engine } from '../../src/engines/engine.js';
import type { Catalog } from '../../src/model/catalog.js';
import type { Measurement } from '../../src/model/measurement.js';
import type { Workload } from '../../src/model/workload.js';
import { alternatingRuns } from '../../src/verify/alternating.js';
import { measureWorkload } from '../../src/verify/verify.js';
import { type MeasureSettings, subset } from './measure.js';
import { suspects, withRecheck } from './stats.js';
import type { QueryResult } from './types.js';

export const RECHECK_ROUNDS = 4;
/** Runs per round: enough for a median even for queries of a few hundred ms. */
const RUNS = 7;

async function measureBefore(
  engine: Engine,
  workload: Workload,
  catalog: Catalog,
  settings: MeasureSettings,
  undo: readonly string[],
): Promise<Measurement> {
  await engine.query('BEGIN');
  try {
    for (const statement of undo) await engine.query(statement);
    return await measureWorkload(engine, workload, catalog, { ...settings, runs: RUNS }, { inTransaction: true });
  } finally {
    await engine.query('ROLLBACK');
  }
}

export async function recheckSmallChanges(
  engine: Engine,
  pinned: Workload,
  catalog: Catalog,
  results: readonly QueryResult[],
  undo: readonly string[],
  settings: MeasureSettings,
): Promise<QueryResult[]> {
  const fingerprints = new Set(suspects(results).map((q) => q.fingerprint));
  if (fingerprints.size === 0) return [...results];
  const workload = subset(pinned, fingerprints);
  const runs = await alternatingRuns(
    RECHECK_ROUNDS,
    {
      after: () => measureWorkload(engine, workload, catalog, { ...settings, runs: RUNS }),
      before: () => measureBefore(engine, workload, catalog, settings, undo),
    },
    (round) => settings.onProgress?.(`recheck round ${round}/${RECHECK_ROUNDS} of ${fingerprints.size} queries`),
  );
  return results.map((q) => {
    const before = runs.before.get(q.fingerprint);
    const after = runs.after.get(q.fingerprint);
    if (!fingerprints.has(q.fingerprint) || (before === undefined && after === undefined)) return q;
    return withRecheck(q, { before: before ?? [], after: after ?? [] }, RECHECK_ROUNDS);
  });
}
