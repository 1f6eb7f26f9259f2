/** `indexwise analyze`: where the workload comes from and which columns it filters, joins, sorts and reads. */
import type { Command } from 'commander';
import { connect } from '../../engines/connect.js';
import type { WorkloadAnalysis } from '../../analysis/analyze-workload.js';
import { formatQualified } from '../../sql/names.js';
import { LOG_FORMATS, type LogFormat } from '../../workload/sources/log-file.js';
import type { Engine } from '../../engines/engine.js';
import type { LogFileSummary, Workload } from '../../model/workload.js';
import { type CollectOptions, collectFrom, describeSource, parseSourceSpec } from '../../workload/collect.js';
import { type AnalyzeReport, analyzeDatabase } from '../../workload/analyze.js';
import { formatCount, heading, oneLineSql, renderTable } from '../format.js';
import { collectValues, databaseUrl, parseChoice, parseDuration, parseNonNegativeInt } from '../options.js';
import { type ProgressFn, progressReporter } from '../progress.js';
import { collectProgress } from '../progress-bar.js';
import {
  addFleetOptions,
  addQueueOption,
  checkQueueFlags,
  type FleetFlags,
  fleetMembers,
  printFleet,
  queueFleet,
  renderFleetSummary,
  runOptions,
} from './fleet.js';
import type { FleetResult } from '../../fleet/result.js';
import { enqueueAnalyze } from '../../fleet/queue/index.js';
import { fleetAnalyze } from '../../fleet/analyze-snapshot.js';
import { InputError } from '../../errors.js';

/** The workload options every workload-reading command takes (see addWorkloadOptions). */
export interface WorkloadFlags {
  db?: string;
  from: string[];
  minCalls?: number;
  minTime?: number;
  logFormat?: LogFormat;
  logPrefix?: string;
  logDatabase?: string;
  logUser?: string;
  logApplication?: string;
  sample?: number;
  quiet?: boolean;
}

interface AnalyzeFlags extends WorkloadFlags, FleetFlags {
  top: number;
  json?: boolean;
}

export function collectOptions(flags: WorkloadFlags, onProgress?: CollectOptions['onProgress']): CollectOptions {
  return {
    minCalls: flags.minCalls,
    minTimeMs: flags.minTime,
    logFormat: flags.logFormat,
    logPrefix: flags.logPrefix,
    logDatabase: flags.logDatabase,
    logUser: flags.logUser,
    logApplication: flags.logApplication,
    sampleMs: flags.sample,
    onProgress,
  };
}

/** Reads the workload the flags name (pg_stat_statements when none), with progress on stderr. */
export async function workloadFromFlags(
  engine: Engine,
  flags: WorkloadFlags,
  log: ProgressFn,
): Promise<{ workload: Workload; sources: string[] }> {
  const progress = collectProgress(!flags.quiet, log);
  try {
    const { workload, specs } = await collectFrom(engine, flags.from.map(parseSourceSpec), collectOptions(flags, progress.onProgress));
    return { workload, sources: specs.map(describeSource) };
  } finally {
    progress.stop();
  }
}

export function addWorkloadOptions(command: Command): Command {
  return command
    .option('--db <url>', 'database (default: $DATABASE_URL)')
    .option(
      '--from <source>',
      'workload source, repeatable: pg_stat_statements (default), pg_stat_activity, log:FILE, sql:FILE, - (stdin)',
      collectValues,
      [],
    )
    .option('--min-calls <n>', 'ignore queries called fewer times', parseNonNegativeInt('--min-calls'))
    .option('--min-time <ms>', 'ignore queries with less total time (milliseconds)', parseNonNegativeInt('--min-time'))
    .option(
      '--log-format <format>',
      `log:FILE's format when detection guesses wrong: ${LOG_FORMATS.join(', ')} (the last three are JSON like jsonlog)`,
      parseChoice('--log-format', LOG_FORMATS),
    )
    .option('--log-prefix <prefix>', "a text log's log_line_prefix, e.g. '%t [%p]: [%l-1] user=%u,db=%d ' (default: guessed)")
    .option('--log-database <name>', 'only statements of this database (csvlog, jsonlog, or %d in the prefix)')
    .option('--log-user <name>', 'only statements of this user (csvlog, jsonlog, or %u in the prefix)')
    .option('--log-application <name>', 'only statements of this application_name (csvlog, jsonlog, or %a in the prefix)')
    .option('--sample <duration>', 'how long to sample pg_stat_activity (e.g. 10s)', parseDuration('--sample'));
}

export function registerAnalyze(program: Command): void {
  const command = addFleetOptions(
    addWorkloadOptions(
      program
        .command('analyze')
        .description('analyze the workload: top queries, and per table the columns by role (filter, join, sort, read)'),
    ),
  )
    .option('--top <n>', 'how many queries to list', parseNonNegativeInt('--top'), 20)
    .option('--json', 'print the full model as JSON (see README)')
    .option('-q, --quiet', 'no progress on stderr');
  addQueueOption(command)
    .addHelpText(
      'after',
      `
Examples:
  indexwise analyze --db postgres://localhost/app                      # from pg_stat_statements
  indexwise analyze --db postgres://localhost/app --from log:/var/log/postgresql/postgresql.csv
  indexwise analyze --db postgres://localhost/app --from log:cloudsql-export.json --from log:postgresql-1.log.bz2
  indexwise analyze --db postgres://localhost/app --from log:syslog --log-prefix 'user=%u,db=%d,app=%a ' --log-user app
  indexwise analyze --db pglite:./demo-db --from sql:queries.sql --json
  cat queries.sql | indexwise analyze --db app.db --from -
  indexwise analyze --fleet fleet.json --json                          # every database of a fleet file
  indexwise analyze --fleet fleet.json --queue postgres://central/indexwise   # the same, by indexwise workers; see fleet status`,
    )
    .action(async (flags: AnalyzeFlags) => {
      checkQueueFlags(flags);
      if (flags.fleet !== undefined) return analyzeOverFleet(flags);
      const engine = await connect(databaseUrl(flags.db) ?? '', { readOnly: true });
      const log = progressReporter(!flags.quiet);
      const progress = collectProgress(!flags.quiet, log);
      try {
        const { report } = await analyzeDatabase(engine, flags.from.map(parseSourceSpec), collectOptions(flags, progress.onProgress));
        progress.stop();
        process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderAnalyze(report, flags.top));
      } finally {
        progress.stop();
        await engine.close();
      }
    });
}

/** One line per log that had lines which are not PostgreSQL log lines: how many, and why. */
function renderLogSummaries(logs: readonly LogFileSummary[]): string[] {
  return logs
    .filter((log) => log.skippedLines > 0)
    .map(
      (log) =>
        `${log.source} (${log.format}${log.compression === null ? '' : `, ${log.compression}`}): ${formatCount(log.skippedLines)} of ` +
        `${formatCount(log.lines)} lines skipped: ${log.skipped.map((s) => `${formatCount(s.count)} ${s.reason}`).join('; ')}`,
    );
}

/** Per table, the columns the workload filters, joins, sorts or groups on, with the share of the workload. */
export function renderColumnRoles(analysis: WorkloadAnalysis, limit = Number.POSITIVE_INFINITY): string {
  const rows = analysis.tables.flatMap((t) => t.columns.filter((c) => c.role !== 'select').map((c) => ({ table: t.table, column: c })));
  const shown = [...rows].sort((a, b) => b.column.share - a.column.share).slice(0, limit);
  return renderTable(
    [
      { header: 'table' },
      { header: 'column' },
      { header: 'role' },
      { header: 'how' },
      { header: 'queries', align: 'right' },
      { header: 'share', align: 'right' },
    ],
    (limit === Number.POSITIVE_INFINITY ? rows : shown).map(({ table, column: c }) => [
      formatQualified(table),
      c.column,
      c.role,
      c.detail ?? '',
      String(c.queries),
      percent(c.share),
    ]),
  );
}

const percent = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;

export function renderAnalyze(report: AnalyzeReport, top = 20): string {
  const { workload, analysis } = report;
  const out: string[] = [];
  const utility = Object.values(workload.utility).reduce((a, b) => a + b, 0);
  out.push(
    `Workload from ${report.sources.join(', ')}: ${workload.queries.length} queries, ` +
      `${workload.skipped.length} skipped, ${utility} utility statements left out; shares by ${analysis.weightBasis === 'time' ? 'total time' : 'calls'}`,
  );
  out.push(...renderLogSummaries(workload.logs ?? []));
  out.push(heading(`Top queries by ${analysis.weightBasis === 'time' ? 'total time' : 'calls'}`));
  const ranked = [...analysis.queries].sort((a, b) =>
    analysis.weightBasis === 'time' ? b.query.totalTimeMs - a.query.totalTimeMs : b.query.calls - a.query.calls,
  );
  out.push(
    renderTable(
      [
        { header: 'calls', align: 'right' },
        { header: 'total ms', align: 'right' },
        { header: 'mean ms', align: 'right' },
        { header: 'query' },
      ],
      ranked
        .slice(0, top)
        .map((q) => [
          formatCount(q.query.calls),
          workload.timed ? q.query.totalTimeMs.toFixed(1) : '-',
          workload.timed ? q.query.meanTimeMs.toFixed(2) : '-',
          q.query.name ? `${q.query.name}: ${oneLineSql(q.query.sql, 80)}` : oneLineSql(q.query.sql, 100),
        ]),
    ),
  );
  out.push(heading('Tables: reads and writes'));
  out.push(
    renderTable(
      [
        { header: 'table' },
        { header: 'read queries', align: 'right' },
        { header: 'read share', align: 'right' },
        { header: 'write queries', align: 'right' },
        { header: 'write share', align: 'right' },
      ],
      analysis.tables.map((t) => [
        formatQualified(t.table),
        String(t.readQueries),
        percent(t.readShare),
        String(t.writeQueries),
        percent(t.writeShare),
      ]),
    ),
  );
  out.push(heading('Columns by role'));
  out.push(renderColumnRoles(analysis));
  if (analysis.unknownTables.length > 0) {
    out.push(heading('Tables not in the schema'));
    out.push(analysis.unknownTables.map((u) => `  ${u.name} (${u.queries} queries)`).join('\n'));
  }
  const notes = [...new Set(analysis.queries.flatMap((q) => q.analysis?.notes ?? []))];
  if (notes.length > 0) out.push(heading('Notes'), notes.map((n) => `  ${n}`).join('\n'));
  if (workload.skipped.length > 0) {
    out.push(heading('Skipped statements'));
    out.push(
      renderTable(
        [{ header: 'count', align: 'right' }, { header: 'reason' }, { header: 'statement' }],
        workload.skipped.map((s) => [String(s.count), s.reason, oneLineSql(s.sql, 60)]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

async function analyzeOverFleet(flags: AnalyzeFlags): Promise<void> {
  if (flags.db !== undefined) throw new InputError('--fleet names the databases: leave out --db');
  const log = progressReporter(!flags.quiet);
  const members = fleetMembers(flags);
  const options = { from: flags.from, collect: collectOptions(flags) };
  if (flags.queue !== undefined)
    return queueFleet(
      flags.queue,
      members.length,
      (q) => enqueueAnalyze(q, members, { ...options, timeoutMs: flags.dbTimeout }),
      flags.json,
    );
  const result = await fleetAnalyze(members, { ...options, ...runOptions(flags, log) });
  printFleet(result, flags.json, renderFleetAnalyze);
}

export function renderFleetAnalyze(result: FleetResult<AnalyzeReport>): string {
  return renderFleetSummary(result, 'analyze', (a) => `${a.workload.queries.length} queries, ${a.analysis.tables.length} tables used`);
}
