/** `indexwise apply`: the only command that writes to the database. Thin over src/apply. */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { applyPlan } from '../../apply/apply.js';
import { renderDryRun, renderPlan, renderProgress, renderSummary } from '../../apply/report.js';
import type { ApplyEvent } from '../../apply/types.js';
import { connect } from '../../engines/connect.js';
import { parseConnectionString } from '../../engines/connection-string.js';
import { KIND_CAPABILITIES } from '../../engines/kind-capabilities.js';
import { EXIT, InputError } from '../../errors.js';
import { databaseUrl, parseDuration, parseNonNegativeInt } from '../options.js';
import { type ProgressFn, progressReporter } from '../progress.js';
import { addPlanOptions, LazyEngine, type PlanFlags, planFromFlags } from './migrate.js';
import { addFleetOptions, type FleetFlags } from './fleet.js';
import { applyOverFleet } from './fleet-apply.js';

interface ApplyFlags extends PlanFlags, FleetFlags {
  group?: string;
  continue?: boolean;
  state?: string;
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
  lockTimeout: number;
  statementTimeout: number;
  concurrently: boolean;
  retries: number;
  wait: number;
}

function onEvent(log: ProgressFn) {
  return (event: ApplyEvent): void => {
    if (event.kind === 'step') log(`${event.position}/${event.total} ${event.action} ${event.index}`);
    else if (event.kind === 'progress') log(renderProgress(event));
    else if (event.kind === 'retry') log(`${event.reason}: retry ${event.attempt} in ${(event.delayMs / 1000).toFixed(1)} s`);
    else if (event.kind === 'note') log(`note: ${event.message}`);
    else log(`${event.result.status} ${event.result.index}: ${event.result.message}`);
  };
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export function registerApply(program: Command): void {
  addFleetOptions(
    addPlanOptions(program.command('apply').description('apply the index changes to the database, safely (the only command that writes)')),
  )
    .option('-y, --yes', 'apply without asking (needed without a terminal)')
    .option('--dry-run', 'print the SQL that would run, and change nothing')
    .option('--json', 'print the summary as JSON')
    .option('--lock-timeout <duration>', 'lock_timeout per statement', parseDuration('--lock-timeout'), 5000)
    .option(
      '--statement-timeout <duration>',
      'statement_timeout per statement (default: off, a build takes its time)',
      parseDuration('--statement-timeout'),
      0,
    )
    .option('--no-concurrently', 'plain CREATE/DROP INDEX (locks writes for the whole build)')
    .option('--retries <n>', 'retries after a lock timeout, with exponential backoff', parseNonNegativeInt('--retries'), 3)
    .option(
      '--wait <duration>',
      'wait this long for another apply on the same database (default: stop at once)',
      parseDuration('--wait'),
      0,
    )
    .option('--group <name>', 'fleet: roll out this schema group’s advice (or the group of this member), member by member')
    .option('--continue', 'fleet: go on with the next member after one fails (default: stop there)')
    .option('--state <file>', 'fleet: where the rollout keeps its progress (default: next to the monitor store)')
    .addHelpText(
      'after',
      `
Examples:
  indexwise apply --db postgres://localhost/app --input advice.json --dry-run
  indexwise apply --db postgres://localhost/app --input advice.json --only 1,2
  indexwise apply --db postgres://localhost/app --input health.json --drop-duplicates --yes --json
  indexwise apply --db app.db --input advice.json --yes
  indexwise apply --fleet fleet.json --group schema-1a2b3c4d --input fleet-advice.json --yes   # resumable rollout

A rollout runs in this process on purpose, never on the job queue (there is no apply --queue):
it writes, one member at a time, and stops at the first that fails; queued, it would gain no
speed, and its state and its stop would be spread over workers instead of one file you can read.`,
    )
    .action(async (flags: ApplyFlags) => {
      const log = progressReporter(!flags.quiet);
      if (flags.fleet !== undefined) return applyOverFleet(flags, log);
      const url = databaseUrl(flags.db);
      // what the database's kind can do, known without connecting: --dry-run opens nothing it does not need
      const kind = url ? parseConnectionString(url).kind : null;
      const database = new LazyEngine(url, { writable: true });
      try {
        const { plan } = await planFromFlags(flags, database, log);
        const view = {
          concurrently: flags.concurrently && plan.dialect === 'postgres' && (kind === null || KIND_CAPABILITIES[kind].concurrently),
          lockTimeoutMs: flags.lockTimeout,
          statementTimeoutMs: flags.statementTimeout,
        };
        if (plan.steps.length === 0) {
          process.stdout.write(flags.json ? `${JSON.stringify({ steps: [] })}\n` : 'Nothing to apply.\n');
          return;
        }
        if (flags.dryRun) {
          process.stdout.write(renderDryRun(plan, view));
          return;
        }
        if (!database.available) throw new InputError('apply needs --db (or DATABASE_URL): the database to change');
        if (!flags.yes && !process.stdin.isTTY)
          throw new InputError('refusing to apply without a terminal to confirm: pass --yes (or --dry-run to see the SQL)');
        if (!flags.yes) {
          process.stderr.write(renderPlan(plan, view));
          if (!(await confirm(`Apply ${plan.steps.length} change(s) to ${parseConnectionString(url ?? '').kind} database? [y/N] `))) {
            process.stderr.write('Nothing applied.\n');
            return;
          }
        }
        // a step left half-done matters on a server, where a build outlives the process (not in PGlite or SQLite)
        const interrupt = interruptOnCtrlC(kind !== null && KIND_CAPABILITIES[kind].secondConnection);
        const engine = await database.get();
        const { capabilities } = await engine.info();
        const summary = await applyPlan(engine, plan, {
          lockTimeoutMs: flags.lockTimeout,
          statementTimeoutMs: flags.statementTimeout,
          concurrently: flags.concurrently,
          retries: flags.retries,
          lockWaitMs: flags.wait,
          reconnect: capabilities.secondConnection ? () => connect(url ?? '') : undefined,
          onEvent: (event) => {
            interrupt.track(event);
            onEvent(log)(event);
          },
          signal: interrupt.signal,
        }).finally(interrupt.release);
        process.stdout.write(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : renderSummary(summary));
        if (summary.failed > 0) process.exitCode = EXIT.findings;
        if (interrupt.signal.aborted) process.exitCode = EXIT.interrupted;
      } finally {
        await database.close();
      }
    });
}

/**
 * The first Ctrl-C interrupts the apply cleanly (the build in flight cancelled, its
 * invalid index dropped, the rest skipped, the summary printed); a second one quits —
 * unless a step on a server is still running (a cancelled build whose invalid index is
 * being dropped, a DROP INDEX CONCURRENTLY): then it says so, and a third one quits,
 * naming the index that may be left invalid and how to drop it.
 */
function interruptOnCtrlC(server: boolean): { signal: AbortSignal; release: () => void; track: (event: ApplyEvent) => void } {
  const controller = new AbortController();
  let inFlight: string | null = null;
  let presses = 0;
  const onSigint = () => {
    presses++;
    if (presses === 1) {
      process.stderr.write('\ninterrupting: cancelling the build in flight and cleaning up (Ctrl-C again to quit at once)\n');
      controller.abort();
      return;
    }
    if (inFlight !== null && presses === 2) {
      process.stderr.write(
        `\nstill cleaning up ${inFlight}: an invalid index is never left behind silently (Ctrl-C once more to quit and leave it)\n`,
      );
      return;
    }
    if (inFlight !== null)
      process.stderr.write(
        `\nquitting: ${inFlight} may be left as an invalid index: drop it with DROP INDEX CONCURRENTLY IF EXISTS ${inFlight}, or apply the same plan again (it drops it before building)\n`,
      );
    process.exit(EXIT.interrupted);
  };
  const track = (event: ApplyEvent) => {
    if (server && event.kind === 'step') inFlight = event.index;
    if (event.kind === 'result') inFlight = null;
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, release: () => process.off('SIGINT', onSigint), track };
}
