/**
 * The measured guard (`advise --measure`): the planner chose the indexes; now the
 * clock checks them. The recommended indexes are built inside a transaction that is
 * always rolled back, the workload is measured before and with them, and an index that
 * makes a query measurably slower is taken out when that is better for the workload:
 * for the worst regression, each recommended index its plan uses is dropped in a
 * savepoint, the queries that index touches are measured again, and the drop that
 * helps most is kept. Builds indexes and takes locks: not for production.
 */
import { beginWritable, type Engine, rollbackToSavepoint } from '../engines/engine.js';
import { extensionsFor } from '../model/index-def.js';
import { createExtensionSql, createIndexSql, dropIndexSql } from '../sql/ddl.js';
import type { Catalog } from '../model/catalog.js';
import type { Comparison, Measurement, QueryMeasurement } from '../model/measurement.js';
import type { AdviceReport, Recommendation } from '../model/recommendation.js';
import type { Workload } from '../model/workload.js';
import { compareMeasurements } from './compare.js';
import { NOISE_FLOOR_MS, recheckSlowdowns } from './guard-recheck.js';
import { measureWorkload, type VerifyOptions } from './verify.js';

export interface GuardOptions extends VerifyOptions {
  /** A query counts as slower when its median and its fastest run both lose more than this (default 0.1). */
  readonly threshold?: number;
}

export interface RemovedIndex {
  readonly name: string;
  /** The query it made slower, and by how much (before / after). */
  readonly query: string;
  readonly speedup: number;
}

export interface GuardResult {
  readonly kept: readonly Recommendation[];
  readonly removed: readonly RemovedIndex[];
  /** Queries that came out slower on the first pass and were measured again in alternating rounds (names or texts). */
  readonly rechecked: readonly string[];
  /** Before the advice → with the indexes that were kept. */
  readonly comparison: Comparison;
}

function slower(before: QueryMeasurement, after: QueryMeasurement, threshold: number): boolean {
  if (before.medianMs === null || after.medianMs === null || before.minMs === null || after.minMs === null) return false;
  if (after.medianMs < NOISE_FLOOR_MS) return false;
  return after.medianMs > before.medianMs * (1 + threshold) && after.minMs > before.minMs * (1 + threshold);
}

const weightedMs = (queries: readonly QueryMeasurement[]) => queries.reduce((sum, q) => sum + q.calls * (q.medianMs ?? 0), 0);

export async function guardAdvice(
  given: Engine,
  workload: Workload,
  catalog: Catalog,
  recommendations: readonly Recommendation[],
  options: GuardOptions = {},
): Promise<GuardResult> {
  const engine = given.writableCopy ? await given.writableCopy() : given;
  try {
    return await guardOn(engine, workload, catalog, recommendations, options);
  } finally {
    if (engine !== given) await engine.close();
  }
}

async function guardOn(
  engine: Engine,
  workload: Workload,
  catalog: Catalog,
  recommendations: readonly Recommendation[],
  options: GuardOptions,
): Promise<GuardResult> {
  const threshold = options.threshold ?? 0.1;
  const info = await engine.info();
  let before = await measureWorkload(engine, workload, catalog, options);
  const kept = new Map(recommendations.map((r) => [r.name, r]));
  const removed: RemovedIndex[] = [];
  await engine.query(beginWritable(info.capabilities));
  try {
    for (const rec of recommendations) {
      options.onProgress?.(`measured guard: building ${rec.name} (rolled back at the end)`);
      for (const extension of extensionsFor(rec.index)) await engine.query(createExtensionSql(extension));
      await engine.query(createIndexSql(rec.index, { name: rec.name, dialect: info.family }));
    }
    const pinned = { ...options, pinned: before };
    const first = await measureWorkload(engine, workload, catalog, pinned, { inTransaction: true });
    const second = await recheckSlowdowns(engine, workload, catalog, pinned, before, first, kept);
    before = second.before;
    let after = second.after;
    const byFingerprint = new Map(before.queries.map((q) => [q.fingerprint, q]));
    const rechecked = after.queries.filter((q) => second.fingerprints.includes(q.fingerprint)).map((q) => q.name ?? q.sql);
    const unfixable = new Set<string>();
    for (let round = 0; round < recommendations.length; round++) {
      const regression = after.queries
        .filter((q) => !unfixable.has(q.fingerprint))
        .filter((q) => {
          const b = byFingerprint.get(q.fingerprint);
          return b !== undefined && slower(b, q, threshold);
        })
        .sort((a, b) => b.calls * (b.medianMs ?? 0) - a.calls * (a.medianMs ?? 0))[0];
      if (regression === undefined) break;
      const drop = await bestDrop(engine, workload, catalog, pinned, after, regression, kept);
      if (drop === null) {
        unfixable.add(regression.fingerprint);
        continue;
      }
      await engine.query(dropIndexSql({ schema: drop.rec.index.table.schema, name: drop.rec.name }, { dialect: engine.family }));
      kept.delete(drop.rec.name);
      const b = byFingerprint.get(regression.fingerprint);
      removed.push({
        name: drop.rec.name,
        query: regression.name ?? regression.sql,
        speedup: (b?.medianMs ?? 0) / Math.max(regression.medianMs ?? 1, 1e-9),
      });
      after = merge(after, drop.remeasured);
    }
    return {
      kept: recommendations.filter((r) => kept.has(r.name)),
      removed,
      rechecked,
      comparison: compareMeasurements(before, after),
    };
  } finally {
    await engine.query('ROLLBACK');
  }
}

/** The recommended index whose removal helps the measured workload most, if any helps. */
async function bestDrop(
  engine: Engine,
  workload: Workload,
  catalog: Catalog,
  options: VerifyOptions,
  after: Measurement,
  regression: QueryMeasurement,
  kept: ReadonlyMap<string, Recommendation>,
): Promise<{ rec: Recommendation; remeasured: Measurement } | null> {
  let best: { rec: Recommendation; remeasured: Measurement; gain: number } | null = null;
  for (const name of regression.indexes) {
    const rec = kept.get(name);
    if (rec === undefined) continue;
    const touched = new Set(after.queries.filter((q) => q.indexes.includes(name)).map((q) => q.fingerprint));
    touched.add(regression.fingerprint);
    await engine.query('SAVEPOINT indexwise_guard');
    try {
      await engine.query(dropIndexSql({ schema: rec.index.table.schema, name: rec.name }, { dialect: engine.family }));
      const remeasured = await measureWorkload(engine, workload, catalog, options, { inTransaction: true, only: touched });
      const previously = after.queries.filter((q) => touched.has(q.fingerprint));
      const gain = weightedMs(previously) - weightedMs(remeasured.queries);
      if (gain > 0 && (best === null || gain > best.gain)) best = { rec, remeasured, gain };
    } finally {
      await rollbackToSavepoint(engine, 'indexwise_guard');
    }
  }
  return best;
}

/** `after` with the queries `update` measured again replaced. */
function merge(after: Measurement, update: Measurement): Measurement {
  const fresh = new Map(update.queries.map((q) => [q.fingerprint, q]));
  return { ...after, queries: after.queries.map((q) => fresh.get(q.fingerprint) ?? q) };
}

/** The advice with the guard's verdict applied: removed indexes (and what they would have replaced) left out. */
export function applyGuard(advice: AdviceReport, result: GuardResult): AdviceReport {
  const removed = new Set(result.removed.map((r) => r.name));
  const stillCovered = (coveredBy: unknown) =>
    ![...removed].some((name) => String(coveredBy).endsWith(`.${name}`) || String(coveredBy) === name);
  return {
    ...advice,
    notes: [
      ...advice.notes,
      `Measured guard: the recommended indexes were built in a rolled-back transaction and the workload timed with and without them${result.rechecked.length ? ` (${result.rechecked.length} slower-looking quer${result.rechecked.length === 1 ? 'y' : 'ies'} timed again in alternating rounds)` : ''}${result.removed.length ? `; ${result.removed.length} index(es) taken out because they made a query slower` : '; no query got slower'}.`,
    ],
    recommendations: advice.recommendations.filter((r) => !removed.has(r.name)),
    replaces: advice.replaces.filter((f) => stillCovered(f.evidence.coveredBy)),
    measured: { removed: result.removed, rechecked: result.rechecked, comparison: result.comparison },
  };
}
