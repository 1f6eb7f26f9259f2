/** `indexwise health`: the check catalogue — unused, duplicate, redundant, invalid, bloated indexes and more. */
import type { Command } from 'commander';
import pc from 'picocolors';
import { connect } from '../../engines/connect.js';
import type { Engine } from '../../engines/engine.js';
import { EXIT } from '../../errors.js';
import { type Finding, SEVERITIES, type Severity, severityRank } from '../../model/finding.js';
import { CHECKS } from '../../health/catalogue.js';
import { type HealthReport, runHealth } from '../../health/run.js';
import { collectWorkload, parseSourceSpec } from '../../workload/collect.js';
import { formatBytes, heading } from '../format.js';
import { collectValues, databaseUrl, parseChoice, parseList, parseNonNegativeNumber } from '../options.js';
import { InputError } from '../../errors.js';
import { fleetHealth } from '../../fleet/health.js';
import { enqueueHealth } from '../../fleet/queue/index.js';
import { progressReporter } from '../progress.js';
import {
  addFleetOptions,
  addQueueOption,
  checkQueueFlags,
  type FleetFlags,
  fleetMembers,
  printFleet,
  queueFleet,
  renderFleetHealth,
  runOptions,
} from './fleet.js';

interface HealthFlags extends FleetFlags {
  queue?: string;
  db: string[];
  quiet?: boolean;
  from: string[];
  json?: boolean;
  failOn?: 'warning' | 'error';
  checks?: string[];
  skipChecks?: string[];
  list?: boolean;
  [threshold: string]: unknown;
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function registerHealth(program: Command): void {
  const command = program
    .command('health')
    .description('check indexes: unused, duplicate, redundant, invalid, bloated; unindexed foreign keys; and more')
    .option(
      '--db <url>',
      'database (default: $DATABASE_URL); repeat for replicas of that one database, whose index usage adds up (for many different databases use --fleet)',
      collectValues,
      [],
    )
    .option('--json', 'print { "findings": [...] } as JSON')
    .option(
      '--fail-on <severity>',
      'exit 1 when a finding is at least this severe: warning or error',
      parseChoice('--fail-on', ['warning', 'error'] as const),
    )
    .option('--checks <ids>', 'run only these checks (comma-separated)', parseList)
    .option('--skip-checks <ids>', 'skip these checks (comma-separated)', parseList)
    .option('--list', 'list the checks and their thresholds, and exit')
    .option(
      '--from <source>',
      'the workload (sql:FILE, log:FILE, …; repeatable): on SQLite, indexes none of its plans read are reported',
      collectValues,
      [],
    )
    .option('-q, --quiet', 'fleet: no progress on stderr');
  addQueueOption(addFleetOptions(command));
  const seen = new Set<string>();
  for (const check of CHECKS) {
    for (const t of check.thresholds) {
      if (seen.has(t.name)) continue;
      seen.add(t.name);
      command.option(`--${t.name} <n>`, `${t.description} (default ${t.default})`, parseNonNegativeNumber(`--${t.name}`));
    }
  }
  command
    .addHelpText(
      'after',
      `
Examples:
  indexwise health --db postgres://localhost/app
  indexwise health --db postgres://primary/app --db postgres://replica/app   # an index used only on a replica is not "unused"
  indexwise health --db postgres://ci/app --checks duplicate-index,invalid-index --fail-on warning --json
  indexwise health --fleet fleet.json --only-db eu --json            # many databases: one result each, grouped by schema

Repeated --db means replicas of one database (their scans add up); --fleet means many
databases, each checked on its own (exit 1 if any could not be checked).`,
    )
    .action(async (flags: HealthFlags) => {
      if (flags.list) {
        process.stdout.write(renderList());
        return;
      }
      checkQueueFlags(flags);
      if (flags.fleet !== undefined) return healthOverFleet(flags, thresholdFlags(flags, seen));
      const urls = flags.db.length > 0 ? flags.db : [databaseUrl(undefined) ?? ''];
      const engines: Engine[] = [];
      try {
        for (const url of urls) engines.push(await connect(url, { readOnly: true }));
        const [primary, ...replicas] = engines as [Engine, ...Engine[]];
        const thresholds = thresholdFlags(flags, seen);
        const workload = flags.from.length > 0 ? await collectWorkload(primary, flags.from.map(parseSourceSpec)) : undefined;
        const report = await runHealth(primary, { checks: flags.checks, skipChecks: flags.skipChecks, thresholds, replicas, workload });
        process.stdout.write(
          flags.json ? `${JSON.stringify({ checks: report.checks, findings: report.findings }, null, 2)}\n` : renderHealth(report),
        );
        if (flags.failOn && report.findings.some((f) => severityRank(f.severity) >= severityRank(flags.failOn as Severity))) {
          process.exitCode = EXIT.findings;
        }
      } finally {
        for (const engine of engines) await engine.close();
      }
    });
}

function thresholdFlags(flags: HealthFlags, names: ReadonlySet<string>): Record<string, number> {
  const thresholds: Record<string, number> = {};
  for (const name of names) {
    const value = flags[camel(name)];
    if (typeof value === 'number') thresholds[name] = value;
  }
  return thresholds;
}

async function healthOverFleet(flags: HealthFlags, thresholds: Record<string, number>): Promise<void> {
  if (flags.db.length > 0 || flags.from.length > 0)
    throw new InputError('--fleet names the databases and their workloads: leave out --db and --from');
  const members = fleetMembers(flags);
  const options = { checks: flags.checks, skipChecks: flags.skipChecks, thresholds };
  if (flags.queue !== undefined)
    return queueFleet(
      flags.queue,
      members.length,
      (boss) => enqueueHealth(boss, members, { ...options, timeoutMs: flags.dbTimeout }),
      flags.json,
    );
  const result = await fleetHealth(members, { ...options, ...runOptions(flags, progressReporter(!flags.quiet)) });
  printFleet(result, flags.json, renderFleetHealth);
  const failOn = flags.failOn;
  if (
    failOn !== undefined &&
    result.databases.some((d) => d.result?.findings.some((f) => severityRank(f.severity) >= severityRank(failOn)))
  )
    process.exitCode = EXIT.findings;
}

function renderList(): string {
  const lines = CHECKS.map((c) => {
    const thresholds = c.thresholds.map((t) => `\n      --${t.name} (default ${t.default}): ${t.description}`).join('');
    return `  ${pc.bold(c.id)} [${c.family}, ${c.engines.join('/')}]\n      ${c.description}${thresholds}`;
  });
  return `${lines.join('\n')}\n`;
}

export function renderHealth(report: HealthReport): string {
  const out = [
    `health of ${report.info.target} (${report.info.kind} ${report.info.serverVersion}): ${report.checks.length} checks, ${report.findings.length} findings`,
  ];
  for (const severity of [...SEVERITIES].reverse()) {
    const findings = report.findings.filter((f) => f.severity === severity);
    if (findings.length === 0) continue;
    const color = severity === 'error' ? pc.red : severity === 'warning' ? pc.yellow : pc.dim;
    out.push(heading(color(`${severity.toUpperCase()} (${findings.length})`)));
    for (const finding of findings) out.push(renderFinding(finding));
  }
  if (report.findings.length === 0) out.push('\nNo findings.');
  return `${out.join('\n')}\n`;
}

function renderFinding(finding: Finding): string {
  const size = typeof finding.evidence.bytes === 'number' ? ` (${formatBytes(finding.evidence.bytes)})` : '';
  const lines = [`  ${pc.bold(finding.check)}  ${finding.message}${size}`];
  if (finding.fixSql) lines.push(...finding.fixSql.split('\n').map((l) => `      ${pc.dim(l)}`));
  return lines.join('\n');
}
