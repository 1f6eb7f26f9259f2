/** `indexwise inspect`: what introspection sees — tables, columns, indexes, foreign keys. */
import type { Command } from 'commander';
import { connect } from '../../engines/connect.js';
import type { Catalog } from '../../model/catalog.js';
import { formatQualified } from '../../sql/names.js';
import type { EngineInfo } from '../../engines/engine.js';
import { formatBytes, formatCount, heading, renderTable } from '../format.js';
import { databaseUrl } from '../options.js';

interface InspectFlags {
  db?: string;
  json?: boolean;
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('show what indexwise sees in a database: server, capabilities, tables, indexes, foreign keys')
    .option('--db <url>', 'database (default: $DATABASE_URL)')
    .option('--json', 'print the catalog as JSON')
    .addHelpText('after', '\nExample:\n  indexwise inspect --db postgres://postgres@localhost/app --json')
    .action(async (flags: InspectFlags) => {
      const engine = await connect(databaseUrl(flags.db) ?? '', { readOnly: true });
      try {
        const info = await engine.info();
        const catalog = await engine.catalog();
        process.stdout.write(flags.json ? `${JSON.stringify({ info, catalog }, null, 2)}\n` : renderInspect(info, catalog));
      } finally {
        await engine.close();
      }
    });
}

export function renderInspect(info: EngineInfo, catalog: Catalog): string {
  const caps = Object.entries(info.capabilities)
    .filter(([, on]) => on === true)
    .map(([name]) => name)
    .join(', ');
  const out = [
    `${info.target}: ${info.kind} ${info.serverVersion}, database ${info.database}`,
    `capabilities: ${caps || 'none'}`,
    `what-if: ${info.capabilities.whatIfMethods.join(', ')}`,
  ];
  out.push(heading('Tables'));
  out.push(
    renderTable(
      [
        { header: 'table' },
        { header: 'kind' },
        { header: 'rows', align: 'right' },
        { header: 'size', align: 'right' },
        { header: 'columns' },
      ],
      catalog.tables.map((t) => [
        formatQualified(t),
        t.kind,
        formatCount(t.rowEstimate),
        formatBytes(t.totalBytes),
        String(t.columns.length),
      ]),
    ),
  );
  out.push(heading('Indexes'));
  out.push(
    renderTable(
      [{ header: 'index' }, { header: 'size', align: 'right' }, { header: 'flags' }, { header: 'definition' }],
      catalog.indexes.map((i) => [
        formatQualified(i),
        formatBytes(i.bytes),
        [i.primary ? 'primary' : i.unique ? 'unique' : '', i.valid ? '' : 'INVALID'].filter(Boolean).join(' '),
        i.definition,
      ]),
    ),
  );
  out.push(heading('Foreign keys'));
  out.push(
    renderTable(
      [{ header: 'table' }, { header: 'columns' }, { header: 'references' }],
      catalog.foreignKeys.map((f) => [
        formatQualified(f.table),
        f.columns.join(', '),
        `${formatQualified(f.referencedTable)}(${f.referencedColumns.join(', ')})`,
      ]),
    ),
  );
  return `${out.join('\n')}\n`;
}
