/**
 * The jobs the pages start: advise (reads), a trial (rolled back), apply (writes: only when
 * serve runs with --allow-apply, checked again here), a monitor snapshot. Each is the
 * library call the CLI makes, with its progress turned into job lines.
 */
import { advise } from '../advisor/advise.js';
import { applyPlan } from '../apply/apply.js';
import { renderProgress } from '../apply/report.js';
import type { ApplyEvent, ApplySummary } from '../apply/types.js';
import { InputError } from '../errors.js';
import { planFromAdvice } from '../migrate/plan.js';
import type { Comparison } from '../model/measurement.js';
import { snapshot } from '../monitor/monitor.js';
import { trialAdvice } from '../verify/verify.js';
import type { ServedDatabase } from './database.js';
import type { JobHandle } from './jobs.js';

export async function adviseJob(db: ServedDatabase, job: JobHandle): Promise<void> {
  job.log('reading the workload');
  const workload = await db.read(() => db.workload());
  job.log(`${workload.queries.length} queries`);
  db.advice = await db.exclusive(async () =>
    advise(db.engine, workload, await db.engine.catalog(), {
      onProgress: (message) => job.log(message),
      onStep: (step) => job.step(step.phase, step.done, step.total),
    }),
  );
  job.log(`done: ${db.advice.recommendations.length} recommendations`);
}

export async function trialJob(db: ServedDatabase, job: JobHandle): Promise<Comparison> {
  const advice = db.advice;
  if (advice === null) throw new InputError('run the advice first');
  if (!db.info.capabilities.isolatedWrites) throw new InputError('a trial builds indexes in a transaction: not on a shared server');
  const workload = await db.read(() => db.workload());
  const result = await db.exclusive(async () =>
    trialAdvice(db.engine, workload, await db.engine.catalog(), advice.recommendations, { onProgress: (m) => job.log(m) }),
  );
  const speedup = result.comparison.workload.speedup;
  job.log(
    `workload ${result.comparison.workload.beforeMs.toFixed(1)} ms → ${result.comparison.workload.afterMs.toFixed(1)} ms${speedup === null ? '' : ` (×${speedup.toFixed(2)})`}`,
  );
  return result.comparison;
}

function describe(event: ApplyEvent): string {
  if (event.kind === 'step') return `${event.position}/${event.total} ${event.action} ${event.index}`;
  if (event.kind === 'progress') return renderProgress(event);
  if (event.kind === 'retry') return `${event.reason}: retry ${event.attempt} in ${(event.delayMs / 1000).toFixed(1)} s`;
  if (event.kind === 'note') return `note: ${event.message}`;
  return `${event.result.status} ${event.result.index}: ${event.result.message}`;
}

/** Builds the chosen recommendations through applyPlan, the CLI's apply, with its lock and invalid-index safeguards. */
export async function applyJob(db: ServedDatabase, names: readonly string[], job: JobHandle): Promise<ApplySummary> {
  const advice = db.advice;
  if (advice === null) throw new InputError('run the advice first');
  const chosen = advice.recommendations.filter((r) => names.includes(r.name));
  if (chosen.length === 0) throw new InputError('no recommendation chosen');
  const plan = planFromAdvice({ ...advice, recommendations: chosen, replaces: [] }, db.info.family);
  return db.exclusive(async () => {
    const writer = await db.writer();
    try {
      const summary = await applyPlan(writer.engine, plan, {
        reconnect: writer.reconnect,
        onEvent: (event) => {
          if (event.kind === 'progress')
            job.step(
              event.phase,
              event.blocksTotal > 0 ? event.blocksDone : event.tuplesDone,
              event.blocksTotal > 0 ? event.blocksTotal : event.tuplesTotal,
            );
          job.log(describe(event));
        },
      });
      if (summary.failed > 0) throw new InputError(`${summary.failed} of ${plan.steps.length} changes failed`);
      return summary;
    } finally {
      await writer.close();
    }
  });
}

export async function snapshotNow(db: ServedDatabase): Promise<void> {
  if (db.store === null) throw new InputError('no monitor store');
  const store = db.store;
  await db.read(async () => {
    await snapshot(db.engine, store);
  });
}
