/**
 * Applying a plan on PostgreSQL (a server or PGlite): the apply lock, then each step
 * in order with progress on a second connection where there is one.
 */
import type { Engine } from '../engines/engine.js';
import type { MigrationPlan, PlanStep } from '../migrate/plan.js';
import { stepIndex, stepTable } from '../migrate/plan.js';
import { formatQualified } from '../model/names.js';
import type { ApplyContext } from './build.js';
import { BuildProgress } from './progress.js';
import { PgSession } from './session.js';
import { describeFailure } from './sql-state.js';
import { applyCreate, applyDrop, type StepOutcome } from './steps.js';
import type { ApplyOptions, ResolvedApplyOptions, StepResult } from './types.js';

async function openProgress(options: ApplyOptions, resolved: ResolvedApplyOptions): Promise<BuildProgress | null> {
  if (options.reconnect === undefined) return null;
  try {
    return new BuildProgress(await options.reconnect(), resolved.progressIntervalMs);
  } catch {
    resolved.emit({ kind: 'note', message: 'no second connection for progress: building without progress reports' });
    return null;
  }
}

export function stepResult(position: number, step: PlanStep, outcome: StepOutcome, seconds: number): StepResult {
  const table = stepTable(step);
  return {
    position,
    kind: step.kind,
    index: formatQualified(stepIndex(step)),
    table: table === null ? null : formatQualified(table),
    status: outcome.status,
    message: outcome.message,
    attempts: outcome.attempts,
    seconds: Math.round(seconds * 1000) / 1000,
    sql: outcome.sql,
    cleanedUp: outcome.cleanedUp,
    definition: step.kind === 'drop' ? (outcome.definition ?? step.definition) : null,
    notes: outcome.notes,
  };
}

/** A step that throws (a lost connection that cannot be replaced, a cleanup that failed) is reported as failed. */
async function applyStep(ctx: ApplyContext, step: PlanStep): Promise<StepOutcome> {
  try {
    return step.kind === 'create' ? await applyCreate(ctx, step) : await applyDrop(ctx, step);
  } catch (error) {
    return { status: 'failed', message: describeFailure(error), attempts: 0, cleanedUp: [], notes: [], sql: '', definition: null };
  }
}

export async function applyPostgres(engine: Engine, plan: MigrationPlan, options: ApplyOptions, resolved: ResolvedApplyOptions): Promise<StepResult[]> {
  const session = await PgSession.open(engine, resolved.lockWaitMs, options.reconnect);
  const progress = await openProgress(options, resolved);
  const ctx: ApplyContext = { session, options: resolved, progress };
  const results: StepResult[] = [];
  try {
    for (const [i, step] of plan.steps.entries()) {
      const started = performance.now();
      resolved.emit({ kind: 'step', position: i + 1, total: plan.steps.length, action: step.kind, index: formatQualified(stepIndex(step)) });
      const outcome = await applyStep(ctx, step);
      const result = stepResult(i + 1, step, outcome, (performance.now() - started) / 1000);
      resolved.emit({ kind: 'result', result });
      results.push(result);
    }
  } finally {
    await progress?.close().catch(() => {});
    await session.close();
  }
  return results;
}
