/** `indexwise demo`: the demo application in embedded PostgreSQL, its workload analyzed, indexes advised. */
import type { Command } from 'commander';
import pc from 'picocolors';
import { type DemoReport, runDemo } from '../../demo/run.js';
import { formatBytes, formatCount, heading, renderTable } from '../format.js';
import { parsePositiveNumber } from '../options.js';
import { progressReporter } from '../progress.js';
import { renderAdvice } from './advise.js';
import { renderColumnRoles } from './analyze.js';

interface DemoFlags {
  scale: number;
  keep?: string;
  db?: string;
  schema: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('build the demo app (multi-tenant chat + documents), analyze its workload and advise indexes')
    .option('--scale <n>', 'data size: 1 ≈ 300k messages, 600k rows (0.1 for a quick look)', parsePositiveNumber('--scale'), 1)
    .option('--keep <dir>', 'keep the embedded database in DIR and reuse it next time')
    .option('--db <url>', 'load the demo into this PostgreSQL server instead (never drops what it did not create)')
    .option('--schema <name>', 'schema for the demo on a server', 'indexwise_demo')
    .option('--json', 'print the result as JSON')
    .option('-q, --quiet', 'no progress messages on stderr')
    .addHelpText(
      'after',
      `
Examples:
  indexwise demo                          in memory, default scale
  indexwise demo --scale 0.1 --keep ./demo-db
  indexwise demo --db postgres://postgres@localhost/scratch --schema demo`,
    )
    .action(async (flags: DemoFlags) => {
      const report = await runDemo({
        scale: flags.scale,
        keep: flags.keep,
        db: flags.db,
        schema: flags.schema,
        onProgress: progressReporter(!flags.quiet),
      });
      process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderDemo(report));
    });
}

export function renderDemo(report: DemoReport): string {
  const { info, demo, catalog } = report;
  const out: string[] = [];
  out.push(
    `${pc.bold('indexwise demo')} on ${info.target} (PostgreSQL ${info.serverVersion}), schema ${demo.schema}, scale ${demo.scale}` +
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
          catalog.indexes
            .filter((i) => i.table.schema === t.schema && i.table.name === t.name)
            .map((i) => `${i.name}(${i.keys.map((k) => k.column ?? k.expression).join(', ')})`)
            .join(' '),
        ]),
    ),
  );
  out.push(heading(`2. Its workload (${report.workload.queries.length} queries, demo/workload.sql): the columns it uses most`));
  out.push(renderColumnRoles(report.analysis, 15));
  out.push(heading('3. The advice'));
  out.push(renderAdvice(report.advice, 'indexwise advise'));
  return `${out.join('\n')}\n`;
}
