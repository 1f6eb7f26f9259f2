/**
 * The fleet options shared by health, advise and apply (`--fleet FILE`, `--only-db`,
 * `--exclude-db`, `--concurrency`, `--db-timeout`) and the fleet summaries they print.
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { EXIT, InputError } from '../../errors.js';
import type { GroupAdvice } from '../../fleet/advise.js';
import { type Fleet, type FleetMember, loadFleet, selectMembers } from '../../fleet/fleet-file.js';
import type { HealthJson } from '../../fleet/health.js';
import { openQueue, type Queue } from '../../fleet/queue/index.js';
import { type FleetResult, anyFailed } from '../../fleet/result.js';
import { FLEET_DEFAULTS, type MemberOutcome, type RunOptions } from '../../fleet/runner.js';
import type { AdviceReport } from '../../model/recommendation.js';
import { heading, renderTable } from '../format.js';
import { parseDuration, parseList, parseNonNegativeInt } from '../options.js';
import type { ProgressFn } from '../progress.js';

export interface FleetFlags {
  fleet?: string;
  onlyDb?: string[];
  excludeDb?: string[];
  concurrency: number;
  dbTimeout?: number;
  queue?: string;
}

/** `--only-db` and `--exclude-db`: which members of the fleet file (serve takes only these and --fleet). */
export function addMemberOptions(command: Command): Command {
  return command
    .option('--only-db <names>', 'fleet: only these databases, by name or tag (comma-separated, repeatable)', parseList)
    .option('--exclude-db <names>', 'fleet: leave out these databases, by name or tag (comma-separated, repeatable)', parseList);
}

export function addFleetOptions(command: Command): Command {
  return addMemberOptions(
    command.option(
      '--fleet <file>',
      'run over every database of a fleet file (JSON: { "databases": { "<name>": { "url": … } } }, see README)',
    ),
  )
    .option('--concurrency <n>', 'fleet: databases worked on at once', parseNonNegativeInt('--concurrency'), FLEET_DEFAULTS.concurrency)
    .option('--db-timeout <duration>', 'fleet: give up on one database after this long (default 5m)', parseDuration('--db-timeout'));
}

/** `--queue URL` for a fleet command: `what` says what its jobs are and where their output goes. */
export function addQueueOption(command: Command, what = 'one job per database'): Command {
  return command.option('--queue <url>', queueOptionText(what));
}

export const queueOptionText = (what: string) =>
  `fleet: queue ${what} on this central PostgreSQL for \`indexwise worker\`s, and exit (see fleet status)`;

/** --queue without --fleet is a usage mistake. */
export function checkQueueFlags(flags: FleetFlags): void {
  if (flags.queue !== undefined && flags.fleet === undefined) throw new InputError('--queue queues a fleet: give --fleet FILE');
}

/** The fleet file the flags name, its warnings (literal passwords) on stderr. */
export function openFleet(flags: FleetFlags): Fleet {
  const fleet = loadFleet(flags.fleet ?? '');
  for (const warning of fleet.warnings) process.stderr.write(`${pc.yellow('warning:')} ${warning}\n`);
  return fleet;
}

/** The members --only-db and --exclude-db choose. */
export function fleetMembers(flags: FleetFlags, fleet: Fleet = openFleet(flags)): FleetMember[] {
  return selectMembers(fleet, flags.onlyDb ?? [], flags.excludeDb ?? []);
}

export function runOptions(flags: FleetFlags, log: ProgressFn): RunOptions {
  return {
    concurrency: Math.max(1, flags.concurrency),
    timeoutMs: flags.dbTimeout,
    onDone: (o: MemberOutcome<unknown>, done: number, total: number) =>
      log(`${done}/${total} ${o.name}: ${o.ok ? 'done' : `failed: ${o.error}`} (${o.seconds.toFixed(1)} s)`),
  };
}

/** `--queue URL`: the run's jobs queued (by `enqueue`) for `indexwise worker`s; prints the run's id. */
export async function queueFleet(url: string, jobs: number, enqueue: (boss: Queue) => Promise<string>, json?: boolean): Promise<void> {
  const boss = await openQueue(url);
  try {
    const run = await enqueue(boss);
    process.stdout.write(
      json
        ? `${JSON.stringify({ run, jobs })}\n`
        : `queued ${jobs} jobs, run ${run}: start \`indexwise worker --queue …\` processes, then \`indexwise fleet status --run ${run}\`\n`,
    );
  } finally {
    await boss.stop(false);
  }
}

/** Prints JSON or the text summary; exit 1 when any database failed. */
export function printFleet<T, G>(result: FleetResult<T, G>, json: boolean | undefined, render: (r: FleetResult<T, G>) => string): void {
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : render(result));
  if (anyFailed(result)) process.exitCode = EXIT.findings;
}

function databaseRows<T>(result: FleetResult<T, unknown>, describe: (r: T) => string): string[][] {
  const groupOf = new Map(result.groups.flatMap((g) => g.members.map((m) => [m, g.name] as const)));
  return result.databases.map((d) => [
    d.name,
    d.ok ? pc.green('ok') : pc.red('failed'),
    groupOf.get(d.name) ?? '',
    d.ok ? describe(d.result as T) : (d.error ?? ''),
  ]);
}

function summaryLine(result: FleetResult<unknown, unknown>): string {
  const failed = result.databases.filter((d) => !d.ok).length;
  return `${result.databases.length} databases, ${failed} failed, ${result.groups.length} schema group${result.groups.length === 1 ? '' : 's'}`;
}

const HEADERS = [{ header: 'database' }, { header: 'status' }, { header: 'schema group' }] as const;

/** The summary line, a row per database with `describe`'s line for each, and the schema groups. */
export function renderFleetSummary<T>(result: FleetResult<T, unknown>, command: string, describe: (r: T) => string): string {
  const out = [
    pc.bold(`indexwise ${command} over the fleet: ${summaryLine(result)}`),
    renderTable([...HEADERS, { header: command }], databaseRows(result, describe)),
  ];
  out.push(heading('Schema groups'));
  for (const g of result.groups) out.push(`  ${pc.bold(g.name)} (${g.schemaFingerprint}): ${g.members.join(', ')}`);
  return `${out.join('\n')}\n`;
}

export function renderFleetHealth(result: FleetResult<HealthJson>): string {
  return renderFleetSummary(result, 'health', (r) => {
    const bySeverity = ['error', 'warning', 'info'].map((s) => `${r.findings.filter((f) => f.severity === s).length} ${s}`);
    return `${r.findings.length} findings (${bySeverity.join(', ')})`;
  });
}

export type GroupResult = GroupAdvice | { readonly error: string };

export function renderFleetAdvice(result: FleetResult<AdviceReport, GroupResult>): string {
  const describe = (r: AdviceReport) => `${r.recommendations.length} recommendation${r.recommendations.length === 1 ? '' : 's'}`;
  const out = [
    pc.bold(`indexwise advise over the fleet: ${summaryLine(result)}`),
    renderTable([...HEADERS, { header: 'own advice' }], databaseRows(result, describe)),
  ];
  for (const g of result.groups) {
    out.push(
      heading(
        `${g.name} (${g.schemaFingerprint}): ${g.members.length} member${g.members.length === 1 ? '' : 's'}: ${g.members.join(', ')}`,
      ),
    );
    const advice = g.advice;
    if (advice === undefined) continue;
    if ('error' in advice) {
      out.push(pc.red(`  group advice failed: ${advice.error}`));
      continue;
    }
    out.push(`  merged workload of ${advice.report.workload.queries} queries, costed on ${advice.representative}`);
    if (advice.report.recommendations.length === 0) out.push('  no index to recommend');
    for (const r of advice.report.recommendations) out.push(`  ${r.sql};`);
    for (const d of advice.differing)
      out.push(
        pc.yellow(
          `  ${d.member} differs: its own advice${d.onlyInOwn.length ? ` adds ${d.onlyInOwn.join('; ')}` : ''}${d.onlyInGroup.length ? ` lacks ${d.onlyInGroup.join('; ')}` : ''}`,
        ),
      );
  }
  return `${out.join('\n')}\n`;
}
