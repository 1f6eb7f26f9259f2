/**
 * Applying a plan on PostgreSQL (a server or PGlite): the apply lock, then each step
 * in order with progress on a second connection where there is one.
 */
import type { Engine } from '../engines/engine.js';
import type { MigrationPlan, PlanStep } from '../migrate/plan.js';
import { stepIndex, stepTable } from '../migrate/plan.js';
import { formatQualified } from '../sql/names.js';
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

/**
 * On interrupt: the CREATE INDEX running on the session, if any, is cancelled from a
 * second connection (pg_cancel_backend); its failure path then drops the invalid index.
 * Without a way to open one, the build in flight runs to its end.
 */
function cancelOnAbort(signal: AbortSignal | null, session: PgSession, options: ApplyOptions, resolved: ResolvedApplyOptions): () => void {
  if (signal === null) return () => {};
  const onAbort = () => {
    if (!session.building) return;
    if (options.reconnect === undefined) {
      resolved.emit({ kind: 'note', message: 'interrupted: the build in flight runs to its end (no second connection to cancel it)' });
      return;
    }
    resolved.emit({ kind: 'note', message: 'interrupted: cancelling the build in flight' });
    void (async () => {
      const other = await options.reconnect?.();
      try {
        await other?.query('SELECT pg_cancel_backend($1)', [session.pid]);
      } finally {
        await other?.close();
      }
    })().catch((error: unknown) => resolved.emit({ kind: 'note', message: `could not cancel the build: ${describeFailure(error)}` }));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

const NOT_STARTED: StepOutcome = {
  status: 'skipped',
  message: 'not started: apply was interrupted',
  attempts: 0,
  cleanedUp: [],
  notes: [],
  sql: '',
  definition: null,
};

export async function applyPostgres(
  engine: Engine,
  plan: MigrationPlan,
  options: ApplyOptions,
  resolved: ResolvedApplyOptions,
): Promise<StepResult[]> {
  const session = await PgSession.open(engine, resolved.lockWaitMs, options.reconnect);
  const progress = await openProgress(options, resolved);
  const ctx: ApplyContext = { session, options: resolved, progress };
  const stopWatching = cancelOnAbort(resolved.signal, session, options, resolved);
  const results: StepResult[] = [];
  try {
    for (const [i, step] of plan.steps.entries()) {
      const started = performance.now();
      const interrupted = resolved.signal?.aborted === true;
      if (!interrupted)
        resolved.emit({
          kind: 'step',
          position: i + 1,
          total: plan.steps.length,
          action: step.kind,
          index: formatQualified(stepIndex(step)),
        });
      let outcome = interrupted ? NOT_STARTED : await applyStep(ctx, step);
      if (!interrupted && resolved.signal?.aborted && outcome.status === 'failed')
        outcome = { ...outcome, message: `interrupted: ${outcome.message}` };
      const result = stepResult(i + 1, step, outcome, (performance.now() - started) / 1000);
      resolved.emit({ kind: 'result', result });
      results.push(result);
    }
  } finally {
    stopWatching();
    await progress?.close().catch(() => {});
    await session.close();
  }
  return results;
}
