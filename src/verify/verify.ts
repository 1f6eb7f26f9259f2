/**
 * `verify`: measured execution of the workload — now (a baseline), compared with an
 * earlier baseline, or as a trial of an advice: the recommended indexes built inside
 * a transaction, measured, rolled back.
 */
import { analyzeWorkload } from '../analysis/analyze-workload.js';
import { loadParser } from '../analysis/parse.js';
import { beginWritable, type Engine } from '../engines/engine.js';
import { extensionsFor } from '../model/index-def.js';
import { createExtensionSql, createIndexSql } from '../sql/ddl.js';
import type { Catalog } from '../model/catalog.js';
import type { Comparison, Measurement } from '../model/measurement.js';
import type { Recommendation } from '../model/recommendation.js';
import type { Workload } from '../model/workload.js';
import { compareMeasurements } from './compare.js';
import { type MeasureOptions, measureQuery } from './measure.js';

export interface VerifyOptions {
  readonly runs?: number;
  readonly timeoutMs?: number;
  /** Default: 'rollback' on PGlite and SQLite (there on a copy of the file), 'skip' on a server. */
  readonly writes?: 'rollback' | 'skip';
  /** An earlier measurement whose statements and values to run again (so a comparison compares like with like). */
  readonly pinned?: Measurement;
  readonly onProgress?: (message: string) => void;
}

function pinnedStatements(measurement: Measurement | undefined): MeasureOptions['pinned'] {
  if (measurement === undefined) return undefined;
  return new Map(measurement.queries.flatMap((q) => (q.executed === null ? [] : [[q.fingerprint, q.executed] as const])));
}

async function defaults(engine: Engine, options: VerifyOptions): Promise<MeasureOptions> {
  const info = await engine.info();
  const writes = options.writes ?? (info.capabilities.isolatedWrites ? 'rollback' : 'skip');
  return { runs: options.runs ?? 5, timeoutMs: options.timeoutMs ?? 30_000, writes };
}

export async function measureWorkload(
  engine: Engine,
  workload: Workload,
  catalog: Catalog,
  options: VerifyOptions = {},
  extra: { inTransaction?: boolean; trialIndexes?: readonly string[]; only?: ReadonlySet<string> } = {},
): Promise<Measurement> {
  await loadParser();
  const info = await engine.info();
  const measure = {
    ...(await defaults(engine, options)),
    inTransaction: extra.inTransaction ?? false,
    pinned: pinnedStatements(options.pinned),
  };
  const analysis = analyzeWorkload(workload, catalog);
  const queries = [];
  for (const [i, item] of analysis.queries.entries()) {
    options.onProgress?.(`measuring ${i + 1}/${analysis.queries.length}: ${item.query.name ?? item.query.sql.slice(0, 60)}`);
    if (item.analysis?.noUserTables || (extra.only !== undefined && !extra.only.has(item.query.fingerprint))) continue;
    queries.push(await measureQuery(engine, catalog, item, measure));
  }
  return {
    kind: 'indexwise-measurement',
    target: info.target,
    serverVersion: info.serverVersion,
    measuredAt: new Date().toISOString(),
    runs: measure.runs,
    timeoutMs: measure.timeoutMs,
    writes: measure.writes,
    trialIndexes: extra.trialIndexes ?? [],
    queries,
  };
}

export interface TrialResult {
  readonly before: Measurement;
  readonly after: Measurement;
  readonly comparison: Comparison;
}

/**
 * Measures, builds the recommended indexes in a transaction, measures again, rolls back.
 * For databases not in production; where the engine offers a writable copy (SQLite),
 * the whole trial runs on that copy and the database itself is not touched.
 */
export async function trialAdvice(
  given: Engine,
  workload: Workload,
  catalog: Catalog,
  recommendations: readonly Recommendation[],
  options: VerifyOptions = {},
): Promise<TrialResult> {
  const engine = given.writableCopy ? await given.writableCopy() : given;
  try {
    return await trialOn(engine, workload, catalog, recommendations, options);
  } finally {
    if (engine !== given) await engine.close();
  }
}

async function trialOn(
  engine: Engine,
  workload: Workload,
  catalog: Catalog,
  recommendations: readonly Recommendation[],
  options: VerifyOptions,
): Promise<TrialResult> {
  const info = await engine.info();
  const before = await measureWorkload(engine, workload, catalog, options);
  await engine.query(beginWritable(info.capabilities));
  try {
    const built: string[] = [];
    for (const rec of recommendations) {
      options.onProgress?.(`building ${rec.name} (rolled back at the end)`);
      for (const extension of extensionsFor(rec.index)) await engine.query(createExtensionSql(extension));
      const sql = createIndexSql(rec.index, { name: rec.name, dialect: info.family });
      await engine.query(sql);
      built.push(sql);
    }
    const after = await measureWorkload(
      engine,
      workload,
      catalog,
      { ...options, pinned: before },
      { inTransaction: true, trialIndexes: built },
    );
    return { before, after, comparison: compareMeasurements(before, after) };
  } finally {
    await engine.query('ROLLBACK');
  }
}
