/**
 * One plan step on PostgreSQL, from the re-check right before it to its result:
 * creations skip an index that exists (valid) or that someone is building; drops skip
 * one that is gone and refuse one that enforces a constraint.
 */
import { extensionsFor } from '../model/index-def.js';
import { createExtensionSql, dropIndexSql } from '../sql/ddl.js';
import type { CreateStep, DropStep } from '../migrate/plan.js';
import { formatQualified } from '../sql/names.js';
import { type ApplyContext, buildIndex, buildSql, type Outcome, runWithRetries } from './build.js';
import { buildPartitioned } from './partitioned.js';
import { indexState, tableKind } from './pg-state.js';
import { describeFailure } from './sql-state.js';
import type { StepStatus } from './types.js';

export interface StepOutcome extends Omit<Outcome, 'ok'> {
  readonly status: StepStatus;
  readonly sql: string;
  readonly definition: string | null;
}

/** A step that ends before any attempt: skipped, or failed up front. */
const before =
  (status: 'skipped' | 'failed') =>
  (message: string, sql: string): StepOutcome => ({
    status,
    message,
    attempts: 0,
    cleanedUp: [],
    notes: [],
    sql,
    definition: null,
  });
const skipped = before('skipped');
const failed = before('failed');

/**
 * The extensions the index needs (pg_trgm), created first if they are not there yet (IF NOT
 * EXISTS: nothing happens when they are). The failure's message when one cannot be created.
 */
async function createExtensions(ctx: ApplyContext, step: CreateStep): Promise<string | null> {
  for (const name of extensionsFor(step.def)) {
    try {
      await ctx.session.engine.query(createExtensionSql(name));
    } catch (error) {
      return `${step.name} needs extension ${name}, which cannot be created here: ${describeFailure(error)}`;
    }
  }
  return null;
}

export async function applyCreate(ctx: ApplyContext, step: CreateStep): Promise<StepOutcome> {
  const target = { def: step.def, name: step.name, unique: step.unique };
  const index = { schema: step.def.table.schema, name: step.name };
  const kind = await tableKind(ctx.session.engine, step.def.table);
  const partitioned = kind === 'p' && ctx.options.concurrently;
  const sql = buildSql({ ...target, only: partitioned }, ctx.options.concurrently);
  if (kind === null) return failed(`table ${formatQualified(step.def.table)} does not exist`, sql);
  const state = await indexState(ctx.session.engine, index);
  if (state.kind === 'not-an-index')
    return failed(`${formatQualified(index)} is taken by another relation (relkind ${state.relkind})`, sql);
  if (state.kind === 'index' && state.valid) return skipped('exists already', sql);
  if (state.kind === 'index' && state.building) return skipped('another session is building an index of this name right now', sql);
  const missing = await createExtensions(ctx, step);
  if (missing !== null) return failed(missing, sql);
  const outcome = partitioned ? await buildPartitioned(ctx, target) : await buildIndex(ctx, target);
  return { ...outcome, status: outcome.ok ? 'built' : 'failed', sql, definition: null };
}

export async function applyDrop(ctx: ApplyContext, step: DropStep): Promise<StepOutcome> {
  const state = await indexState(ctx.session.engine, step.index);
  const partitioned = state.kind === 'index' && state.partitioned;
  const sql = dropIndexSql(step.index, { concurrently: ctx.options.concurrently && !partitioned, ifExists: true });
  if (state.kind === 'absent') return skipped('does not exist', sql);
  if (state.kind === 'not-an-index') return failed(`${formatQualified(step.index)} is not an index (relkind ${state.relkind})`, sql);
  if (state.constraint !== null) return failed(`it enforces the constraint ${state.constraint}: drop the constraint instead`, sql);
  const notes =
    partitioned && ctx.options.concurrently ? ['a partitioned index cannot be dropped CONCURRENTLY: dropped with a plain DROP INDEX'] : [];
  const started = performance.now();
  const run = await runWithRetries(ctx, sql);
  const base = { attempts: run.attempts, cleanedUp: run.cleanedUp, notes, sql, definition: state.definition };
  if (!run.ok) return { ...base, status: 'failed', message: describeFailure(run.error) };
  const after = await indexState(ctx.session.engine, step.index);
  if (after.kind !== 'absent') return { ...base, status: 'failed', message: 'still there after DROP INDEX' };
  return { ...base, status: 'dropped', message: `dropped in ${((performance.now() - started) / 1000).toFixed(1)} s` };
}
