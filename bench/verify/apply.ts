/**
 * indexwise's advice for the whole workload (no budget), applied for real with
 * applyPlan: the recommended indexes built (CONCURRENTLY, as `apply` does by default),
 * the existing indexes they make redundant dropped, as the demo story does; then
 * VACUUM ANALYZE until the visibility map is set, so index-only scans are possible
 * (see settle).
 */
import { advise } from '../../src/advisor/advise.js';
import { applyGuard, guardAdvice } from '../../src/verify/guard.js';
import { applyPlan } from '../../src/apply/apply.js';
import type { Engine } from '../../src/engines/engine.js';
import { dropIndexSql } from '../../src/sql/ddl.js';
import { type MigrationPlan, planFromAdvice } from '../../src/migrate/plan.js';
import type { Catalog } from '../../src/model/catalog.js';
import type { AdviceReport } from '../../src/model/recommendation.js';
import type { Workload } from '../../src/model/workload.js';
import { vacuumUntilAllVisible } from '../advise/database.js';
import { recommendationLabel } from '../advise/indexwise.js';
import type { AppliedAdvice, BenchWhatIf } from './types.js';

export function migrationPlan(advice: AdviceReport): MigrationPlan {
  return planFromAdvice(advice, 'postgres', 'indexwise bench:verify');
}

/** Statements that put the indexes back as they were before the advice (run inside a transaction that is rolled back). */
export function undoStatements(advice: AdviceReport): string[] {
  return [
    ...advice.replaces.map((f) => String(f.evidence.definition)),
    ...advice.recommendations.map((r) => dropIndexSql({ schema: r.index.table.schema, name: r.name })),
  ];
}

/**
 * VACUUM (INDEX_CLEANUP ON) first: the rolled-back writes of a measurement leave dead
 * item identifiers on a few pages, and a plain VACUUM skips index vacuuming when under
 * 2% of the pages have them (PostgreSQL 14+), which leaves those pages not all-visible
 * however often it runs. Then vacuumUntilAllVisible as after the load.
 */
export async function settle(engine: Engine, schema: string): Promise<void> {
  await engine.query('VACUUM (INDEX_CLEANUP ON)');
  await vacuumUntilAllVisible(engine, schema);
}

/** On-disk bytes of the named indexes of `schema`. */
async function indexBytes(engine: Engine, schema: string, names: readonly string[]): Promise<number> {
  const [row] = await engine.query<{ bytes: string | number | null }>(
    `SELECT sum(pg_relation_size(c.oid)) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'i' AND c.relname = ANY($2::text[])`,
    [schema, [...names]],
  );
  return Number(row?.bytes ?? 0);
}

const seconds = (since: number) => +((performance.now() - since) / 1000).toFixed(1);

export async function adviseAndApply(
  engine: Engine,
  workload: Workload,
  catalog: Catalog,
  schema: string,
  whatIf: BenchWhatIf = 'hypopg',
): Promise<AppliedAdvice> {
  const adviseStarted = performance.now();
  // as `indexwise advise --measure`: the planner's choice, then checked with the clock
  const planned = await advise(engine, workload, catalog, { whatIf });
  const guard = await guardAdvice(engine, workload, catalog, planned.recommendations, { runs: 3, timeoutMs: 10_000 });
  const advice = applyGuard(planned, guard);
  const adviseSeconds = seconds(adviseStarted);
  const applyStarted = performance.now();
  const summary = await applyPlan(engine, migrationPlan(advice));
  const applySeconds = seconds(applyStarted);
  const vacuumStarted = performance.now();
  await settle(engine, schema);
  return {
    whatIf,
    uncosted: advice.uncosted.length,
    indexes: advice.recommendations.map(recommendationLabel),
    dropped: advice.replaces.map((f) => f.index ?? ''),
    removedByGuard: guard.removed.map((r) => `${r.name} (made ${r.query.slice(0, 40)} ×${r.speedup.toFixed(2)})`),
    adviseSeconds,
    estimatedBytes: advice.recommendations.reduce((sum, r) => sum + r.estimatedBytes, 0),
    builtBytes: await indexBytes(
      engine,
      schema,
      advice.recommendations.map((r) => r.name),
    ),
    applySeconds,
    failed: summary.failed,
    undo: undoStatements(advice),
    vacuumSeconds: seconds(vacuumStarted),
  };
}
