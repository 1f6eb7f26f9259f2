/**
 * `apply`, the only code that changes a database: a migration plan → the indexes
 * built and dropped, safely (see postgres.ts, build.ts) → a summary.
 */
import type { Engine } from '../engines/engine.js';
import { InputError } from '../errors.js';
import type { MigrationPlan } from '../migrate/plan.js';
import { applyPostgres } from './postgres.js';
import { applySqlite } from './sqlite.js';
import { type ApplyOptions, type ApplySummary, resolveOptions, type StepResult } from './types.js';

export function summarize(
  target: string,
  plan: MigrationPlan,
  concurrently: boolean,
  steps: readonly StepResult[],
  seconds: number,
): ApplySummary {
  const count = (status: StepResult['status']) => steps.filter((s) => s.status === status).length;
  return {
    target,
    dialect: plan.dialect,
    concurrently,
    built: count('built'),
    dropped: count('dropped'),
    skipped: count('skipped'),
    failed: count('failed'),
    steps,
    seconds: Math.round(seconds * 1000) / 1000,
  };
}

export async function applyPlan(engine: Engine, plan: MigrationPlan, options: ApplyOptions = {}): Promise<ApplySummary> {
  const started = performance.now();
  const info = await engine.info();
  if (info.family !== plan.dialect) throw new InputError(`the plan is for ${plan.dialect} but the database is ${info.family}`);
  const resolved = resolveOptions(options, info.capabilities.concurrently);
  // the plan's dialect has CONCURRENTLY, this engine does not (PGlite)
  if ((options.concurrently ?? true) && !resolved.concurrently && plan.dialect === 'postgres') {
    resolved.emit({ kind: 'note', message: `${info.kind} has no CREATE INDEX CONCURRENTLY: building with plain CREATE INDEX` });
  }
  const steps =
    plan.dialect === 'sqlite' ? await applySqlite(engine, plan, resolved) : await applyPostgres(engine, plan, options, resolved);
  return summarize(info.target, plan, resolved.concurrently, steps, (performance.now() - started) / 1000);
}
