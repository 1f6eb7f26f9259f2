/**
 * Applying a plan on SQLite: every step in one IMMEDIATE transaction (it takes the
 * write lock first, so a second writer waits or fails instead of racing), all or nothing.
 * SQLite builds are quick and have no CONCURRENTLY.
 */
import type { Engine } from '../engines/engine.js';
import { createIndexSql, dropIndexSql } from '../sql/ddl.js';
import type { MigrationPlan, PlanStep } from '../migrate/plan.js';
import { stepResult } from './postgres.js';
import { describeFailure } from './sql-state.js';
import type { StepOutcome } from './steps.js';
import type { ResolvedApplyOptions, StepResult } from './types.js';

async function existing(engine: Engine, name: string): Promise<string | null> {
  const [row] = await engine.query<{ sql: string | null }>(`SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?`, [name]);
  return row === undefined ? null : (row.sql ?? '');
}

async function sqliteStep(engine: Engine, step: PlanStep): Promise<StepOutcome> {
  const base = { attempts: 1, cleanedUp: [], notes: [], definition: null };
  if (step.kind === 'create') {
    const sql = createIndexSql(step.def, { name: step.name, ifNotExists: true, dialect: 'sqlite', unique: step.unique });
    if ((await existing(engine, step.name)) !== null) return { ...base, attempts: 0, status: 'skipped', message: 'exists already', sql };
    await engine.query(sql);
    return { ...base, status: 'built', message: 'built', sql };
  }
  const sql = dropIndexSql(step.index, { ifExists: true, dialect: 'sqlite' });
  const definition = await existing(engine, step.index.name);
  if (definition === null) return { ...base, attempts: 0, status: 'skipped', message: 'does not exist', sql };
  await engine.query(sql);
  return { ...base, status: 'dropped', message: 'dropped', sql, definition };
}

export async function applySqlite(engine: Engine, plan: MigrationPlan, options: ResolvedApplyOptions): Promise<StepResult[]> {
  const results: StepResult[] = [];
  await engine.query('BEGIN IMMEDIATE');
  for (const [i, step] of plan.steps.entries()) {
    const started = performance.now();
    try {
      if (options.signal?.aborted) throw new Error('interrupted');
      results.push(stepResult(i + 1, step, await sqliteStep(engine, step), (performance.now() - started) / 1000));
    } catch (error) {
      await engine.query('ROLLBACK').catch(() => {});
      const failedHere = stepResult(
        i + 1,
        step,
        { status: 'failed', message: describeFailure(error), attempts: 1, cleanedUp: [], notes: [], sql: '', definition: null },
        0,
      );
      const undone = results.map((r) => ({ ...r, status: 'failed' as const, message: `rolled back: step ${i + 1} failed` }));
      const rest = plan.steps
        .slice(i + 1)
        .map((s, j) =>
          stepResult(
            i + 2 + j,
            s,
            { status: 'skipped', message: 'not attempted', attempts: 0, cleanedUp: [], notes: [], sql: '', definition: null },
            0,
          ),
        );
      for (const r of [...undone, failedHere, ...rest]) options.emit({ kind: 'result', result: r });
      return [...undone, failedHere, ...rest];
    }
  }
  await engine.query('COMMIT');
  for (const result of results) options.emit({ kind: 'result', result });
  return results;
}
