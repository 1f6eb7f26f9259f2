/** `indexwise demo`: the demo application in embedded PostgreSQL, its workload analyzed, indexes advised. */
import type { Command } from 'commander';
import pc from 'picocolors';
import { type DemoReport, defaultReportPath, runDemo } from '../../demo/story.js';
import { indexesOf } from '../../model/catalog.js';
import type { Finding } from '../../model/finding.js';
import { formatBytes, formatCount, heading, renderTable } from '../format.js';
import { parseChoice, parseNonNegativeInt, parsePositiveNumber } from '../options.js';
import { progressReporter } from '../progress.js';
import { renderAdvice } from './advise.js';
import { renderColumnRoles } from './analyze.js';
import { renderComparison } from './verify.js';
import { checkOutFile } from '../out-files.js';
import { reportFormat } from '../../report/write.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { demoFilePath } from '../../demo/assets.js';
import { DEFAULT_SERVE_PORT, serveDashboard } from '../../serve/dashboard.js';
import { stopRequested } from './serve.js';

interface DemoFlags {
  engine: 'postgres' | 'sqlite';
  scale: number;
  keep?: string;
  db?: string;
  schema: string;
  runs: number;
  report?: string;
  json?: boolean;
  quiet?: boolean;
  serve?: boolean;
  port: number;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the whole story on a demo app: build it, analyze its workload, advise, apply, measure before/after, report')
    .option(
      '--engine <engine>',
      'postgres (embedded PGlite, or --db) or sqlite (a SQLite file)',
      parseChoice('--engine', ['postgres', 'sqlite'] as const),
      'postgres',
    )
    .option('--scale <n>', 'data size: 1 ≈ 300k messages, 600k rows (0.1 for a quick look)', parsePositiveNumber('--scale'), 1)
    .option('--keep <dir>', 'keep the embedded database in DIR (SQLite: in FILE) and reuse it next time')
    .option('--db <url>', 'load the demo into this PostgreSQL server instead (never drops what it did not create)')
    .option('--schema <name>', 'schema for the demo on a server', 'indexwise_demo')
    .option('--runs <n>', 'measured runs per query, after a warm-up', parseNonNegativeInt('--runs'), 3)
    .option('--report <file>', `where to write the HTML report (default ${defaultReportPath()})`)
    .option('--json', 'print the result as JSON')
    .option('-q, --quiet', 'no progress messages on stderr')
    .option(
      '--serve',
      'then open the demo in the dashboard (indexwise serve) until Ctrl-C; kept in a temporary directory, removed at the end, unless --keep',
    )
    .option('--port <n>', 'with --serve: port to listen on (0: any free port)', parseNonNegativeInt('--port'), DEFAULT_SERVE_PORT)
    .addHelpText(
      'after',
      `
Examples:
  indexwise demo                          in memory, default scale
  indexwise demo --scale 0.1 --keep ./demo-db
  indexwise demo --engine sqlite --keep ./demo.db   the same app in a SQLite file
  indexwise demo --serve --scale 0.01 --port 0       the smallest demo, then the dashboard on any free port
  indexwise demo --db postgres://postgres@localhost/scratch --schema demo`,
    )
    .action(async (flags: DemoFlags) => {
      // checked before the demo's minute of work, not after it
      if (flags.report !== undefined) {
        reportFormat(flags.report);
        checkOutFile(flags.report, '--report');
      }
      // served, the demo must outlive the story: kept on disk, in a temporary directory removed at the end
      const scratch = flags.keep === undefined && flags.serve && flags.db === undefined ? demoScratch(flags.engine) : undefined;
      const keep = flags.keep ?? scratch;
      try {
        const report = await runDemo({
          engine: flags.engine,
          scale: flags.scale,
          keep,
          db: flags.db,
          schema: flags.schema,
          runs: flags.runs,
          reportPath: flags.report,
          onProgress: progressReporter(!flags.quiet),
        });
        process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderDemo(report));
        if (flags.serve) await serveDemo(flags, keep);
      } finally {
        if (scratch !== undefined) rmSync(dirname(scratch), { recursive: true, force: true });
      }
    });
}

/** A temporary place for a served demo: a PGlite directory, or a SQLite file. */
function demoScratch(engine: DemoFlags['engine']): string {
  const dir = mkdtempSync(join(tmpdir(), 'indexwise-demo-'));
  return join(dir, engine === 'sqlite' ? 'demo.db' : 'db');
}

/** `demo --serve`: the dashboard on the demo's database, its workload file as the workload, until Ctrl-C or SIGTERM. */
async function serveDemo(flags: DemoFlags, keep: string | undefined): Promise<void> {
  const sqlite = flags.engine === 'sqlite';
  const db = flags.db ?? (sqlite ? `sqlite:${keep}` : `pglite:${keep}`);
  const scratch = keep === undefined ? tmpdir() : dirname(keep);
  const dashboard = await serveDashboard({
    db,
    sources: [{ kind: 'sql', path: demoFilePath(sqlite ? 'workload.sqlite.sql' : 'workload.sql') }],
    port: flags.port,
    store: sqlite ? undefined : join(scratch, 'indexwise-demo-usage.db'),
  });
  process.stdout.write(`\nindexwise serve: the demo at ${dashboard.url} (Ctrl-C to stop)\n`);
  await stopRequested();
  await dashboard.close();
}

export function renderDemo(report: DemoReport): string {
  const { info, demo, catalog } = report;
  const sqlite = info.family === 'sqlite';
  const out: string[] = [];
  out.push(
    `${pc.bold('indexwise demo')} on ${info.target} (${sqlite ? 'SQLite' : 'PostgreSQL'} ${info.serverVersion}), schema ${demo.schema}, scale ${demo.scale}` +
      (demo.built ? `, built in ${demo.seconds.toFixed(1)} s` : ', reused'),
  );
  out.push(heading('1. The application: tables and the indexes it starts with'));
  out.push(
    renderTable(
      [{ header: 'table' }, { header: 'rows', align: 'right' }, { header: 'size', align: 'right' }, { header: 'indexes' }],
      catalog.tables
        .filter((t) => t.schema === demo.schema)
        .map((t) => [
          t.name,
          formatCount(t.rowEstimate),
          formatBytes(t.totalBytes),
          indexesOf(catalog, t)
            .map((i) => `${i.name}(${i.keys.map((k) => k.column ?? k.expression).join(', ')})`)
            .join(' '),
        ]),
    ),
  );
  out.push(
    heading(
      `2. Its workload (${report.workload.queries.length} queries, ${sqlite ? 'demo/workload.sqlite.sql' : 'demo/workload.sql'}): the columns it uses most`,
    ),
  );
  out.push(renderColumnRoles(report.analysis, 15));
  out.push(heading('3. The advice'));
  out.push(renderAdvice(report.advice, 'indexwise advise'));
  const a = report.applied;
  out.push(
    heading(`4. Applied: ${a.built} built, ${a.dropped} dropped, ${a.skipped} skipped, ${a.failed} failed in ${a.seconds.toFixed(1)} s`),
  );
  out.push(heading(`5. Proof: measured ${sqlite ? 'by timing each statement' : 'with EXPLAIN ANALYZE'} before and after`));
  out.push(renderComparison(report.verification));
  out.push(heading('6. Health, before → after'));
  out.push(healthSummary(report.health.before, report.health.after));
  out.push(heading('7. The index-strategy report'));
  out.push(`  ${report.reportPath}`);
  return `${out.join('\n')}\n`;
}

/** Warnings and errors per check, before and after; info-level findings (not yet verdicts) only counted. */
function healthSummary(before: readonly Finding[], after: readonly Finding[]): string {
  const count = (list: readonly Finding[]) => {
    const byCheck = new Map<string, number>();
    for (const f of list) if (f.severity !== 'info') byCheck.set(f.check, (byCheck.get(f.check) ?? 0) + 1);
    return byCheck;
  };
  const info = (list: readonly Finding[]) => list.filter((f) => f.severity === 'info').length;
  const note = `\n  and ${info(before)} → ${info(after)} informational findings (e.g. new indexes whose usage statistics are too young to judge)`;
  const b = count(before);
  const a = count(after);
  const checks = [...new Set([...b.keys(), ...a.keys()])].sort();
  if (checks.length === 0) return `  no warnings or errors before or after${note}`;
  const table = renderTable(
    [{ header: 'check' }, { header: 'before', align: 'right' }, { header: 'after', align: 'right' }],
    checks.map((c) => [c, String(b.get(c) ?? 0), String(a.get(c) ?? 0)]),
  );
  return `${table}${note}`;
}
