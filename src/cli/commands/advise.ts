/** `indexwise advise`: cost-proven indexes for the whole workload. */
import type { Command } from 'commander';
import pc from 'picocolors';
import { advise } from '../../advisor/advise.js';
import { DEFAULT_WHAT_IF_CONNECTIONS } from '../../advisor/lanes.js';
import { adviseProgress } from '../advise-progress.js';
import { connect } from '../../engines/connect.js';
import { EXIT, InputError } from '../../errors.js';
import { fleetAdvise } from '../../fleet/advise.js';
import type { AdviseOptions } from '../../advisor/advise.js';
import { ADVISE_DEFAULTS } from '../../model/advise-defaults.js';
import { WHAT_IF_METHODS, type WhatIfMethod } from '../../model/what-if.js';
import type { AdviceReport } from '../../model/recommendation.js';
import { formatBytes, formatCost, heading, oneLineSql, renderTable } from '../format.js';
import { databaseUrl, parseBytes, parseChoice, parseDuration, parseFraction, parseList, parseNonNegativeInt } from '../options.js';
import { progressReporter } from '../progress.js';
import { addWorkloadOptions, collectOptions, type WorkloadFlags, workloadFromFlags } from './analyze.js';
import { renderComparison } from './verify.js';
import { applyGuard, guardAdvice } from '../../verify/guard.js';
import {
  addFleetOptions,
  checkQueueFlags,
  queueOptionText,
  type FleetFlags,
  fleetMembers,
  printFleet,
  queueFleet,
  renderFleetAdvice,
  runOptions,
} from './fleet.js';
import { enqueueAdvise } from '../../fleet/queue/index.js';

interface AdviseFlags extends WorkloadFlags, FleetFlags {
  queue?: string;
  maxColumns: number;
  budget?: number;
  maxIndexes?: number;
  minImprovement: number;
  minCost?: number;
  include?: string[];
  exclude: string[];
  analyze?: boolean;
  whatIf: 'auto' | WhatIfMethod;
  copyLimit?: number;
  sampleRows?: number;
  json?: boolean;
  failOnRecommendation?: boolean;
  measure?: boolean;
  maxTime?: number;
  connections: number;
}

/** The advise options the flags give (progress aside). */
function adviseOptions(flags: AdviseFlags): AdviseOptions {
  return {
    maxColumns: flags.maxColumns,
    budgetBytes: flags.budget ?? null,
    maxIndexes: flags.maxIndexes ?? null,
    minImprovement: flags.minImprovement,
    minCost: flags.minCost,
    includeTables: flags.include ?? null,
    excludeTables: flags.exclude,
    minCalls: flags.minCalls,
    whatIf: flags.whatIf,
    whatIfOptions: { copyLimitBytes: flags.copyLimit, sampleRows: flags.sampleRows },
    whatIfConnections: Math.max(1, flags.connections),
    ...(flags.maxTime === undefined ? {} : { maxTimeMs: flags.maxTime }),
  };
}

async function adviseOverFleet(flags: AdviseFlags): Promise<void> {
  if (flags.db !== undefined) throw new InputError('--fleet names the databases: leave out --db');
  if (flags.measure || flags.analyze)
    throw new InputError('--measure and --analyze work on one database at a time: leave them out with --fleet');
  const log = progressReporter(!flags.quiet);
  const members = fleetMembers(flags);
  const options = { advise: adviseOptions(flags), from: flags.from, collect: collectOptions(flags) };
  if (flags.queue !== undefined)
    return queueFleet(
      flags.queue,
      members.length,
      (boss) => enqueueAdvise(boss, members, { ...options, timeoutMs: flags.dbTimeout }),
      flags.json,
    );
  const result = await fleetAdvise(members, { ...options, ...runOptions(flags, log) });
  printFleet(result, flags.json, renderFleetAdvice);
  const recommends = result.groups.some(
    (g) => g.advice !== undefined && 'report' in g.advice && g.advice.report.recommendations.length > 0,
  );
  if (flags.failOnRecommendation && recommends) process.exitCode = EXIT.findings;
}

export function registerAdvise(program: Command): void {
  addFleetOptions(
    addWorkloadOptions(
      program.command('advise').description('recommend indexes for the whole workload, each proven by the planner’s cost'),
    ),
  )
    .option('--max-columns <n>', 'most key columns in one index', parseNonNegativeInt('--max-columns'), ADVISE_DEFAULTS.maxColumns)
    .option('--budget <size>', 'total size of the new indexes, e.g. 500MB', parseBytes('--budget'))
    .option('--max-indexes <n>', 'most indexes to recommend', parseNonNegativeInt('--max-indexes'))
    .option(
      '--min-improvement <pct>',
      'a query counts as helped, and an index as worth it, from this cost reduction',
      parseFraction('--min-improvement'),
      ADVISE_DEFAULTS.minImprovement,
    )
    .option('--min-cost <cost>', 'leave out queries already cheaper than this planner cost', parseNonNegativeInt('--min-cost'))
    .option('--include <tables>', 'only these tables (comma-separated, repeatable)', parseList)
    .option('--exclude <tables>', 'never these tables (comma-separated, repeatable)', parseList, [])
    .option('--analyze', 'run ANALYZE first on tables whose statistics are missing or stale (writes statistics)')
    .option(
      '--what-if <method>',
      'how candidates are costed: auto (hypopg on a server, transaction on PGlite, sqlite-copy on SQLite); ' +
        'hypopg (hypothetical indexes, nothing built; no GIN/GiST/SP-GiST: those are listed as not costed); ' +
        'hybrid (a server with HypoPG: HypoPG, and only GIN/GiST/SP-GiST built in a rolled-back transaction; takes locks); ' +
        'transaction (every candidate built in a rolled-back transaction; slow, takes locks); sqlite-copy',
      parseChoice('--what-if', ['auto', ...WHAT_IF_METHODS] as const),
      'auto',
    )
    .option(
      '--copy-limit <size>',
      'SQLite: cost on a copy of the whole file up to this size (default 1GB), else on its schema, statistics and a sample',
      parseBytes('--copy-limit'),
    )
    .option('--sample-rows <n>', 'SQLite: rows per table in a sampled copy (default 20000)', parseNonNegativeInt('--sample-rows'))
    .option(
      '--max-time <duration>',
      'stop searching after this long (e.g. 60s, 5m) and give the best advice found so far, with a note that the search was cut',
      parseDuration('--max-time'),
    )
    .option(
      '--connections <n>',
      'what-if connections that plan in parallel (HypoPG on a server; each holds its own hypothetical indexes)',
      parseNonNegativeInt('--connections'),
      DEFAULT_WHAT_IF_CONNECTIONS,
    )
    .option(
      '--measure',
      'build the chosen indexes in a rolled-back transaction, time the workload with and without them, and take out any index that makes a query measurably slower (not for production: builds indexes, takes locks)',
    )
    .option('--json', 'print the advice as JSON (see README)')
    .option('--fail-on-recommendation', 'exit 1 when anything is recommended (CI gate)')
    .option('--queue <url>', queueOptionText('one job per database (then one per schema group)'))
    .option('-q, --quiet', 'no progress on stderr')
    .addHelpText(
      'after',
      `
Examples:
  indexwise advise --db postgres://localhost/app                        # workload from pg_stat_statements
  indexwise advise --db postgres://localhost/app --from log:postgresql.csv --budget 500MB
  indexwise advise --db pglite:./demo-db --from sql:queries.sql --json > advice.json
  indexwise advise --db postgres://localhost/app --max-time 60s              # anytime: the best advice found in a minute
  indexwise advise --db postgres://ci/app --from sql:queries.sql --fail-on-recommendation
  indexwise advise --db app.db --from sql:queries.sql                    # SQLite: costed on a copy, the file is never written
  indexwise advise --fleet fleet.json --json                             # every database, and one advice per schema group
  indexwise advise --fleet fleet.json --queue postgres://central/indexwise   # the same, by indexwise workers; see fleet status`,
    )
    .action(async (flags: AdviseFlags) => {
      checkQueueFlags(flags);
      if (flags.fleet !== undefined) return adviseOverFleet(flags);
      const engine = await connect(databaseUrl(flags.db) ?? '', { readOnly: true });
      const log = progressReporter(!flags.quiet);
      const bar = adviseProgress(!flags.quiet);
      try {
        const { workload } = await workloadFromFlags(engine, flags, log);
        if (flags.analyze) {
          const analyzed = await engine.refreshStatistics();
          log(analyzed.length === 0 ? 'statistics are fresh' : `ANALYZE ${analyzed.join(', ')}`);
        }
        const catalog = await engine.catalog();
        const report = await advise(engine, workload, catalog, {
          ...adviseOptions(flags),
          onProgress: (message) => {
            bar.stop();
            log(message);
          },
          onStep: bar.onStep,
        });
        bar.stop();
        const final = flags.measure
          ? applyGuard(report, await guardAdvice(engine, workload, catalog, report.recommendations, { runs: 3, onProgress: log }))
          : report;
        process.stdout.write(flags.json ? `${JSON.stringify(final, null, 2)}\n` : renderAdvice(final));
        if (final.measured) process.stdout.write(renderMeasured(final));
        if (flags.failOnRecommendation && final.recommendations.length > 0) process.exitCode = EXIT.findings;
      } finally {
        bar.stop();
        await engine.close();
      }
    });
}

function renderMeasured(report: AdviceReport): string {
  const measured = report.measured;
  if (measured === undefined) return '';
  const removed = measured.removed.map((r) => `  took out ${r.name}: it made ${oneLineSql(r.query, 60)} slower (×${r.speedup.toFixed(2)})`);
  return `${[...removed, renderComparison(measured.comparison)].join('\n')}\n`;
}

/** Candidates the what-if method could not cost: apart from the recommendations, with why and how to cost them. */
function renderUncosted(report: AdviceReport): string {
  const reasons = [...new Set(report.uncosted.map((u) => u.reason))].map((r) => `  ${r}`);
  const commands = [...new Set(report.uncosted.map((u) => u.command))].map((c) => `  To cost them: ${c}`);
  const lines = report.uncosted.map((u) => `  ${u.sql};  ${pc.dim(`(${u.queries.length} quer${u.queries.length === 1 ? 'y' : 'ies'})`)}`);
  return [heading(`Not costed here (${report.uncosted.length}): not recommendations`), ...reasons, ...commands, ...lines].join('\n');
}

const pct = (before: number, after: number) => (before > 0 ? `−${(((before - after) / before) * 100).toFixed(1)}%` : '');

export function renderAdvice(report: AdviceReport, title = 'indexwise advise'): string {
  const out: string[] = [];
  out.push(`${pc.bold(title)}: ${report.engine} ${report.serverVersion}, what-if by ${report.whatIf}`);
  for (const note of report.notes) out.push(pc.yellow(`note: ${note}`));
  out.push(
    `${report.workload.queries} queries in the workload, ${report.workload.costed} costed, ${report.workload.skipped.length} skipped`,
  );
  out.push(
    `Workload cost (Σ calls × planner cost): ${formatCost(report.cost.before)} → ${formatCost(report.cost.after)} ${pct(report.cost.before, report.cost.after)}`,
  );
  if (report.recommendations.length === 0) {
    out.push(heading('No index to recommend: nothing improves the workload enough to pay for itself.'));
  } else {
    out.push(heading(`Recommendations (${report.recommendations.length})`));
    out.push(
      renderTable(
        [
          { header: 'table' },
          { header: 'index' },
          { header: 'size', align: 'right' },
          { header: 'queries', align: 'right' },
          { header: 'their cost', align: 'right' },
          { header: 'workload saved', align: 'right' },
        ],
        report.recommendations.map((r) => [
          r.table,
          `(${r.columns.join(', ')})${r.include.length ? ` INCLUDE (${r.include.join(', ')})` : ''}${r.where ? ` WHERE ${r.where}` : ''}`,
          formatBytes(r.estimatedBytes),
          String(r.queries.length),
          `${formatCost(r.costBefore)} → ${formatCost(r.costAfter)}`,
          `${(r.workloadShareSaved * 100).toFixed(1)}%`,
        ]),
      ),
    );
    out.push(heading('SQL'));
    out.push(report.recommendations.map((r) => `${r.sql};`).join('\n'));
  }
  if (report.uncosted.length > 0) out.push(renderUncosted(report));
  if (report.replaces.length > 0) {
    out.push(heading(`Made redundant by the new indexes (${report.replaces.length}): drop them once those exist`));
    out.push(report.replaces.map((f) => `  ${f.message}\n      ${pc.dim(f.fixSql ?? '')}`).join('\n'));
  }
  out.push(heading('Queries (cost per call before → after)'));
  out.push(
    renderTable(
      [{ header: 'calls', align: 'right' }, { header: 'before', align: 'right' }, { header: 'after', align: 'right' }, { header: 'query' }],
      [...report.queries]
        .sort((a, b) => b.weight * (b.costBefore - b.costAfter) - a.weight * (a.costBefore - a.costAfter))
        .map((q) => [String(q.weight), formatCost(q.costBefore), formatCost(q.costAfter), q.name ?? oneLineSql(q.sql, 90)]),
    ),
  );
  if (report.workload.skipped.length > 0) {
    out.push(heading('Skipped'));
    out.push(report.workload.skipped.map((s) => `  ${oneLineSql(s.sql, 70)} — ${s.reason}`).join('\n'));
  }
  out.push(
    `\n${pc.dim(
      `${report.stats.candidates} candidates, ${report.stats.whatIfCalls} what-if plans (${report.stats.whatIfCallsPerQuery.toFixed(1)} per query` +
        `${report.stats.connections > 1 ? ` on ${report.stats.connections} connections` : ''}), cache hit rate ${(report.stats.cacheHitRate * 100).toFixed(0)}%, ` +
        `${report.stats.rounds} selection round${report.stats.rounds === 1 ? '' : 's'}, ${report.stats.seconds.toFixed(1)} s${report.stats.cut ? ' (cut at --max-time)' : ''}`,
    )}`,
  );
  return `${out.join('\n')}\n`;
}
