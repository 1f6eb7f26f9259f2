/**
 * The queue path (src/fleet/queue.ts): `indexwise worker` takes fleet jobs from a central
 * PostgreSQL, `indexwise fleet status` shows a queued run's progress and its result.
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { EXIT, InputError } from '../../errors.js';
import { openQueue, type RunStatus, runStatus, startWorker } from '../../fleet/queue.js';
import { parseNonNegativeInt } from '../options.js';
import { progressReporter } from '../progress.js';
import type { HealthJson } from '../../fleet/health.js';
import type { FleetResult } from '../../fleet/result.js';
import type { AdviceReport } from '../../model/recommendation.js';
import { type GroupResult, renderFleetAdvice, renderFleetHealth } from './fleet.js';

const queueUrl = (flags: { queue?: string }) => {
  const url = flags.queue ?? process.env.INDEXWISE_QUEUE_URL;
  if (!url) throw new InputError('--queue (or INDEXWISE_QUEUE_URL) is needed: the central PostgreSQL that holds the jobs');
  return url;
};

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('take fleet jobs (health or advise --fleet … --queue) from the central PostgreSQL and write their results there')
    .option('--queue <url>', 'the central PostgreSQL (default: $INDEXWISE_QUEUE_URL)')
    .option('--concurrency <n>', 'jobs at once in this process', parseNonNegativeInt('--concurrency'), 2)
    .option(
      '--maintenance-interval <seconds>',
      'how often to look for jobs a dead worker left (they are then retried)',
      parseNonNegativeInt('--maintenance-interval'),
      10,
    )
    .option('-q, --quiet', 'no progress on stderr')
    .addHelpText('after', '\nExample:\n  INDEXWISE_QUEUE_URL=postgres://central/indexwise indexwise worker --concurrency 4')
    .action(async (flags: { queue?: string; concurrency: number; maintenanceInterval: number; quiet?: boolean }) => {
      const log = progressReporter(!flags.quiet);
      const boss = await openQueue(queueUrl(flags), { maintenanceIntervalSeconds: Math.max(1, flags.maintenanceInterval) });
      const stop = await startWorker(boss, {
        concurrency: flags.concurrency,
        onJob: (job, phase) => log(`${phase} ${'member' in job ? job.member.name : `group ${job.group.name}`} (run ${job.run})`),
      });
      log('waiting for jobs (Ctrl-C to stop)');
      await new Promise<void>((resolve) => {
        const quit = () => void stop().then(resolve, resolve);
        process.once('SIGINT', quit);
        process.once('SIGTERM', quit);
      });
    });
}

function renderStatus(status: RunStatus): string {
  const head = `run ${status.run} (${status.command}): ${status.done}/${status.total} databases done, ${status.failed} failed, ${status.pending.length} pending, ${status.retried} retried`;
  const pending = status.pending.length > 0 ? `${pc.dim(`pending: ${status.pending.join(', ')}`)}\n` : '';
  if (status.done === 0) return `${pc.bold(head)}\n${pending}`;
  const result =
    status.command === 'advise'
      ? renderFleetAdvice(status.result as FleetResult<AdviceReport, GroupResult>)
      : renderFleetHealth(status.result as FleetResult<HealthJson>);
  return `${pc.bold(head)}\n${pending}${result}`;
}

export function registerFleet(program: Command): void {
  const fleet = program.command('fleet').description('fleets queued on a central PostgreSQL (see health and advise --fleet … --queue)');
  fleet
    .command('status')
    .description('progress of a queued fleet run, and its results')
    .option('--queue <url>', 'the central PostgreSQL (default: $INDEXWISE_QUEUE_URL)')
    .option('--run <id>', 'which run (default: the latest)')
    .option('--wait', 'wait until every database of the run is done')
    .option('--json', 'print the progress and the run’s { databases, groups } as JSON (as health or advise --fleet --json)')
    .action(async (flags: { queue?: string; run?: string; wait?: boolean; json?: boolean }) => {
      const boss = await openQueue(queueUrl(flags));
      try {
        let status = await runStatus(boss, flags.run);
        while (status !== null && flags.wait && status.pending.length > 0) {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          status = await runStatus(boss, status.run);
        }
        if (status === null) throw new InputError(flags.run ? `no run ${flags.run} in the queue` : 'no run in the queue yet');
        const { result, ...progress } = status;
        process.stdout.write(flags.json ? `${JSON.stringify({ ...progress, ...result }, null, 2)}\n` : renderStatus(status));
        if (status.failed > 0) process.exitCode = EXIT.findings;
      } finally {
        await boss.stop({ graceful: false, wait: true });
      }
    });
}
