/**
 * The queue path (src/fleet/queue/): `indexwise worker` takes fleet jobs from a central
 * PostgreSQL, `indexwise fleet status` shows a queued run's progress and its result.
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { EXIT, InputError } from '../../errors.js';
import {
  type MemberStatus,
  openQueue,
  QUEUED_COMMANDS,
  type Queue,
  type QueuedCommand,
  type RunStatus,
  runStatus,
  startWorker,
  waitUntilDone,
  writeQueuedReport,
} from '../../fleet/queue/index.js';
import type { FleetResult } from '../../fleet/result.js';
import type { FleetReportRow } from '../../fleet/report-html.js';
import { formatDuration } from '../format.js';
import { parseDuration, parseNonNegativeInt } from '../options.js';
import { progressReporter } from '../progress.js';
import { renderFleetAnalyze } from './analyze.js';
import { renderFleetAdvice, renderFleetHealth, renderFleetSummary } from './fleet.js';
import { renderFleetVerify } from './fleet-verify.js';
import { renderFleetSnapshot } from './monitor.js';

const queueUrl = (flags: { queue?: string }) => {
  const url = flags.queue ?? process.env.INDEXWISE_QUEUE_URL;
  if (!url) throw new InputError('--queue (or INDEXWISE_QUEUE_URL) is needed: the central PostgreSQL that holds the jobs');
  return url;
};

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      `take fleet jobs (${QUEUED_COMMANDS.join(', ')} --fleet … --queue) from the central PostgreSQL and write their results there`,
    )
    .option('--queue <url>', 'the central PostgreSQL (default: $INDEXWISE_QUEUE_URL)')
    .option('--concurrency <n>', 'jobs at once in this process', parseNonNegativeInt('--concurrency'), 2)
    .option(
      '--maintenance-interval <seconds>',
      'how often to look for jobs a dead worker left (they are then retried)',
      parseNonNegativeInt('--maintenance-interval'),
      10,
    )
    .option('-q, --quiet', 'no progress on stderr')
    .addHelpText(
      'after',
      `
Example:
  INDEXWISE_QUEUE_URL=postgres://central/indexwise indexwise worker --concurrency 4

A worker reads env: URLs of the fleet file from its own environment, and opens what a job
names on its own machine: monitor snapshot's --store (a SQLite path), workload files (sql:…, log:…).`,
    )
    .action(async (flags: { queue?: string; concurrency: number; maintenanceInterval: number; quiet?: boolean }) => {
      const log = progressReporter(!flags.quiet);
      const queue = await openQueue(queueUrl(flags), { maintenanceIntervalSeconds: Math.max(1, flags.maintenanceInterval) });
      const stop = await startWorker(queue, {
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

/** Each queued command's fleet summary, as its in-process run prints it. */
const RENDER: Readonly<Record<QueuedCommand, (result: FleetResult<never, never>) => string>> = {
  health: renderFleetHealth,
  advise: renderFleetAdvice,
  analyze: renderFleetAnalyze,
  snapshot: renderFleetSnapshot,
  verify: renderFleetVerify,
  report: (result: FleetResult<FleetReportRow>) =>
    renderFleetSummary(
      result,
      'report',
      (r) => `${r.findings.error} errors, ${r.findings.warning} warnings, ${r.recommendations} indexes to add`,
    ),
};

function statesLine(members: readonly MemberStatus[]): string {
  const counts = new Map<string, number>();
  for (const m of members) counts.set(m.state, (counts.get(m.state) ?? 0) + 1);
  return [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
}

function renderStatus(status: RunStatus): string {
  const head = `run ${status.run} (${status.command}): ${status.done}/${status.total} databases done, ${status.failed} failed, ${status.pending.length} pending, ${status.retried} retried`;
  const states = `${pc.dim(`databases: ${statesLine(status.members)}`)}\n`;
  const pending = status.pending.length > 0 ? `${pc.dim(`pending: ${status.pending.join(', ')}`)}\n` : '';
  const render = RENDER[status.command as QueuedCommand] as ((result: FleetResult<unknown, unknown>) => string) | undefined;
  if (status.done === 0 || render === undefined) return `${pc.bold(head)}\n${states}${pending}`;
  return `${pc.bold(head)}\n${states}${pending}${render(status.result)}`;
}

interface StatusFlags {
  queue?: string;
  run?: string;
  wait?: boolean;
  timeout?: number;
  json?: boolean;
  report?: string;
}

/** `--report DIR`: a finished report run's pages, written here. */
async function writeReport(queue: Queue, status: RunStatus, dir: string): Promise<void> {
  if (status.command !== 'report') throw new InputError(`--report writes a queued report's pages: run ${status.run} is ${status.command}`);
  if (status.pending.length > 0) return;
  const pages = await writeQueuedReport(queue, status.run, status.result as FleetResult<FleetReportRow>, dir);
  process.stderr.write(`wrote ${dir}/index.html and ${pages} database reports\n`);
}

async function fleetStatus(flags: StatusFlags): Promise<void> {
  if (flags.timeout !== undefined && !flags.wait) throw new InputError('--timeout limits --wait: give --wait too');
  const queue = await openQueue(queueUrl(flags));
  try {
    const first = await runStatus(queue, flags.run);
    if (first === null) throw new InputError(flags.run ? `no run ${flags.run} in the queue` : 'no run in the queue yet');
    if (flags.report !== undefined && first.command !== 'report')
      throw new InputError(`--report writes a queued report's pages: run ${first.run} is ${first.command}`);
    if (flags.report !== undefined && !flags.wait && first.pending.length > 0)
      throw new InputError(`run ${first.run} is not finished (${first.pending.length} pending): add --wait to write its report`);
    const { status, timedOut } = flags.wait
      ? await waitUntilDone(
          async () => (await runStatus(queue, first.run)) as RunStatus,
          (s) => s.pending.length > 0,
          {
            timeoutMs: flags.timeout,
          },
        )
      : { status: first, timedOut: false };
    const { result, ...progress } = status;
    process.stdout.write(flags.json ? `${JSON.stringify({ ...progress, ...result }, null, 2)}\n` : renderStatus(status));
    if (timedOut) {
      process.stderr.write(
        `indexwise: run ${status.run} not finished after ${formatDuration(flags.timeout ?? 0)}: ${status.pending.length} pending (${status.pending.join(', ')})\n`,
      );
      process.exitCode = EXIT.timedOut;
      return;
    }
    if (flags.report !== undefined) await writeReport(queue, status, flags.report);
    if (status.failed > 0) process.exitCode = EXIT.findings;
  } finally {
    await queue.stop(false);
  }
}

export function registerFleet(program: Command): void {
  const fleet = program
    .command('fleet')
    .description('fleets queued on a central PostgreSQL (see --queue of health, advise, analyze, verify, report, monitor snapshot)');
  fleet
    .command('status')
    .description('progress of a queued fleet run, and its results')
    .option('--queue <url>', 'the central PostgreSQL (default: $INDEXWISE_QUEUE_URL)')
    .option('--run <id>', 'which run (default: the latest)')
    .option('--wait', 'wait until every database of the run is done')
    .option('--timeout <duration>', `with --wait: give up after this long (exit ${EXIT.timedOut})`, parseDuration('--timeout'))
    .option(
      '--json',
      'print the progress, each database’s state and the run’s { databases, groups } as JSON (as the command’s --fleet --json)',
    )
    .option('--report <dir>', 'a queued report, once done: write DIR/index.html and each database’s page')
    .addHelpText(
      'after',
      `
Examples:
  indexwise fleet status --queue postgres://central/indexwise                     # the latest run
  indexwise fleet status --run RUN --wait --timeout 30m --json > result.json      # exit ${EXIT.timedOut} if not done in 30 minutes
  indexwise fleet status --run RUN --wait --report fleet-report/                  # a queued report's pages

Each database's state: queued, active, retrying (its worker died or failed), done, failed
(its database failed: the error is in its result), lost (its job ended without a result).`,
    )
    .action(fleetStatus);
}
