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
import { measureWorkload } from '../../src/verify/verify.js';
import { type MeasureSettings, subset } from './measure.js';
import { suspects, withRecheck } from './stats.js';
import type { QueryResult } from './types.js';

export const RECHECK_ROUNDS = 4;
/** Runs per round: enough for a median even for queries of a few hundred ms. */
const RUNS = 7;

type Times = Map<string, { before: number[]; after: number[] }>;

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

function collect(times: Times, measurement: Measurement, side: 'before' | 'after'): void {
  for (const query of measurement.queries) {
    if (query.timedOut || query.skipped !== undefined) continue;
    const entry = times.get(query.fingerprint) ?? { before: [], after: [] };
    entry[side].push(...query.runsMs);
    times.set(query.fingerprint, entry);
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
  const times: Times = new Map();
  for (let round = 0; round < RECHECK_ROUNDS; round++) {
    settings.onProgress?.(`recheck round ${round + 1}/${RECHECK_ROUNDS} of ${fingerprints.size} queries`);
    const afterFirst = round % 2 === 0;
    if (afterFirst) collect(times, await measureWorkload(engine, workload, catalog, { ...settings, runs: RUNS }), 'after');
    collect(times, await measureBefore(engine, workload, catalog, settings, undo), 'before');
    if (!afterFirst) collect(times, await measureWorkload(engine, workload, catalog, { ...settings, runs: RUNS }), 'after');
  }
  return results.map((q) => {
    const runs = times.get(q.fingerprint);
    return fingerprints.has(q.fingerprint) && runs !== undefined ? withRecheck(q, runs, RECHECK_ROUNDS) : q;
  });
}
