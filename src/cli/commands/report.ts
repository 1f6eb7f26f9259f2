/** `indexwise report`: the index-strategy document, generated from the live database and its workload. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../errors.js';
import type { Command } from 'commander';
import { connect } from '../../engines/connect.js';
import { redactConnectionString } from '../../engines/connection-string.js';
import { defaultStorePath } from '../../monitor/sqlite-store.js';
import { openStore } from '../../monitor/monitor.js';
import type { SnapshotStore } from '../../monitor/store.js';
import { collectReport } from '../../report/collect.js';
import { renderReport, reportFormat } from '../../report/write.js';
import { readAdviceFile, readComparisonFile } from '../input-files.js';
import { databaseUrl, parseDuration } from '../options.js';
import { checkOutFile, writeOutFile } from '../out-files.js';
import { progressReporter } from '../progress.js';
import { addWorkloadOptions, collectOptions, type WorkloadFlags, workloadFromFlags } from './analyze.js';
import {
  addFleetOptions,
  addQueueOption,
  checkQueueFlags,
  type FleetFlags,
  fleetMembers,
  printFleet,
  queueFleet,
  runOptions,
} from './fleet.js';
import { enqueueReport } from '../../fleet/queue/index.js';
import type { FleetReportRow } from '../../fleet/report-html.js';
import type { FleetResult } from '../../fleet/result.js';
import { fleetReport } from '../../fleet/report.js';

interface ReportFlags extends WorkloadFlags, FleetFlags {
  json?: boolean;
  out?: string;
  advice?: string;
  verify?: string;
  store?: string;
  since: number;
}

/** The command line, passwords hidden, so the report can say how to repeat it: `--db`'s value is always shown redacted. */
function commandLine(argv: readonly string[]): string {
  const args = argv.slice(2);
  const shown = args.map((a, i) => {
    if (args[i - 1] === '--db') return redactConnectionString(a);
    if (a.startsWith('--db=')) return `--db=${redactConnectionString(a.slice('--db='.length))}`;
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(a) || /^\s*[a-z_]+\s*=/i.test(a) ? redactConnectionString(a) : a;
  });
  return ['indexwise', ...shown].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ');
}

export function registerReport(program: Command): void {
  const command = addFleetOptions(
    addWorkloadOptions(
      program.command('report').description('write the index-strategy document (Markdown or self-contained HTML) from the live database'),
    ),
  )
    .option(
      '--out <file>',
      'FILE.md or FILE.html; with --fleet a directory (index.html and one report per database); required, except with --queue',
    )
    .option('--json', 'fleet: print { databases, groups } as JSON')
    .option('--advice <file>', 'use a saved `advise --json` instead of advising now')
    .option('--verify <file>', 'include measured results: `verify compare --json` or `verify --trial --json` output')
    .option('--store <where>', `monitor snapshots to read usage over time from (default ${defaultStorePath()} when it exists)`)
    .option('--since <duration>', 'window of monitor snapshots', parseDuration('--since'), 30 * 86_400_000)
    .option('-q, --quiet', 'no progress on stderr');
  addQueueOption(
    command,
    'one job per database (each renders its report into the central store; `fleet status --run ID --report DIR` writes the pages)',
  )
    .addHelpText(
      'after',
      `
Examples:
  indexwise report --db postgres://localhost/app --out docs/database/INDEX_STRATEGY.md
  indexwise report --db postgres://localhost/app --from sql:queries.sql --verify trial.json --out index-strategy.html
  indexwise report --fleet fleet.json --out fleet-report/          # fleet-report/index.html links each database's own report
  indexwise report --fleet fleet.json --queue postgres://central/indexwise   # then: fleet status --run ID --wait --report fleet-report/`,
    )
    .action(async (flags: ReportFlags) => {
      checkQueueFlags(flags);
      if (flags.queue !== undefined && flags.out !== undefined)
        throw new InputError('report --queue writes no file: `fleet status --run ID --wait --report DIR` writes the pages');
      if (flags.queue === undefined && flags.out === undefined)
        throw new InputError("required option '--out <file>' not specified (see --help)");
      if (flags.fleet !== undefined) return reportOverFleet(flags);
      const out = flags.out as string;
      const format = reportFormat(out);
      checkOutFile(out);
      const advice = flags.advice ? readAdviceFile(flags.advice) : undefined;
      const verification = flags.verify ? readComparisonFile(flags.verify) : null;
      const engine = await connect(databaseUrl(flags.db) ?? '', { readOnly: true });
      const log = progressReporter(!flags.quiet);
      const storePath = flags.store ?? (existsSync(defaultStorePath()) ? defaultStorePath() : undefined);
      let store: SnapshotStore | null = null;
      try {
        if (storePath !== undefined) store = await openStore(storePath, engine);
        const { workload, sources } = await workloadFromFlags(engine, flags, log);
        const data = await collectReport(engine, workload, {
          sources,
          advice,
          verification,
          store,
          sinceMs: flags.since,
          commands: [commandLine(process.argv)],
          adviseOptions: { onProgress: log },
          onProgress: log,
        });
        writeOutFile(out, renderReport(data, format));
        process.stdout.write(`wrote ${out} (${format === 'html' ? 'HTML, self-contained' : 'Markdown'})\n`);
      } finally {
        await store?.close();
        await engine.close();
      }
    });
}

async function reportOverFleet(flags: ReportFlags): Promise<void> {
  if (flags.db !== undefined || flags.advice !== undefined || flags.verify !== undefined)
    throw new InputError('--fleet names the databases: leave out --db, --advice and --verify');
  const members = fleetMembers(flags);
  const options = { from: flags.from, collect: collectOptions(flags) };
  if (flags.queue !== undefined)
    return queueFleet(
      flags.queue,
      members.length,
      (q) => enqueueReport(q, members, { ...options, timeoutMs: flags.dbTimeout }),
      flags.json,
    );
  const outDir = flags.out as string;
  const result = await fleetReport(members, { ...options, outDir, ...runOptions(flags, progressReporter(!flags.quiet)) });
  printFleet(result, flags.json, (r) => renderFleetReport(r, outDir));
}

/** The lines a fleet report prints: where its pages are, and each database that failed. */
export function renderFleetReport(result: FleetResult<FleetReportRow>, outDir: string): string {
  const failed = result.databases.filter((d) => !d.ok).map((d) => `${d.name} failed: ${d.error}\n`);
  return `wrote ${join(outDir, 'index.html')} and ${result.databases.length - failed.length} database reports\n${failed.join('')}`;
}
