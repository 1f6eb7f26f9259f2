/** `indexwise monitor snapshot` and `indexwise monitor report`: index usage over time. */
import type { Command } from 'commander';
import { connect } from '../../engines/connect.js';
import type { Engine } from '../../engines/engine.js';
import { formatQualified } from '../../sql/names.js';
import { databaseKey, openStore, report, snapshot } from '../../monitor/monitor.js';
import { describeLastUsed, type MonitorReport } from '../../monitor/report.js';
import { defaultStorePath } from '../../monitor/sqlite-store.js';
import { InputError } from '../../errors.js';
import { fleetSnapshot } from '../../fleet/analyze-snapshot.js';
import { progressReporter } from '../progress.js';
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
import { enqueueSnapshot } from '../../fleet/queue/index.js';
import type { FleetResult } from '../../fleet/result.js';
import type { Snapshot } from '../../monitor/snapshot.js';
import type { SnapshotStore } from '../../monitor/store.js';
import { formatBytes, formatCount, heading, renderTable } from '../format.js';
import { databaseUrl, parseDuration } from '../options.js';

interface MonitorFlags {
  db?: string;
  store?: string;
  since: number;
  json?: boolean;
}

export function registerMonitor(program: Command): void {
  const monitor = program.command('monitor').description('index usage over time: snapshots of usage counters, and a report over a window');
  const snapshotCommand = addFleetOptions(
    monitor.command('snapshot').description('store the current usage counters (cheap: run it from cron every few minutes)'),
  )
    .option('--db <url>', 'database (default: $DATABASE_URL)')
    .option(
      '--store <where>',
      `a SQLite file (default ${defaultStorePath()}, or $INDEXWISE_MONITOR_STORE) or table:SCHEMA.NAME in the monitored database; with --queue each worker opens it: a file on the worker's machine (one store for the fleet only on a disk the workers share), table:… reachable from anywhere`,
    );
  addQueueOption(snapshotCommand, 'one job per database (its counters go to --store as the worker opens it)')
    .option('--json', 'print the snapshot as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  indexwise monitor snapshot --db postgres://localhost/app\n  */10 * * * * indexwise monitor snapshot --db postgres://localhost/app --store /var/lib/indexwise/app.sqlite\n  */10 * * * * indexwise monitor snapshot --fleet fleet.json -q        # every database of a fleet, one store\n  indexwise monitor snapshot --fleet fleet.json --store table:indexwise.snapshots --queue postgres://central/indexwise',
    )
    .option('-q, --quiet', 'fleet: no progress on stderr')
    .action(async (flags: MonitorFlags & FleetFlags & { quiet?: boolean }) => {
      checkQueueFlags(flags);
      if (flags.fleet !== undefined) return snapshotOverFleet(flags);
      // only a table: store writes into the monitored database
      const readOnly = !(flags.store?.startsWith('table:') ?? false);
      const engine = await connect(databaseUrl(flags.db) ?? '', { readOnly });
      // the connection is closed whatever fails, opening the store too: a process left waiting on it never exits (cron)
      let store: SnapshotStore | null = null;
      try {
        store = await openStore(flags.store, engine);
        const taken = await snapshot(engine, store);
        process.stdout.write(
          flags.json
            ? `${JSON.stringify(taken, null, 2)}\n`
            : `snapshot of ${taken.database} at ${taken.takenAt}: ${taken.indexes.length} indexes, ${taken.tables.length} tables\n`,
        );
      } finally {
        await store?.close();
        await engine.close();
      }
    });
  monitor
    .command('report')
    .description(
      'usage rates from the snapshots: scans per day per index, growth, when each index was last used, resets, indexes unused over the window',
    )
    .option('--db <url>', 'which database (default: $DATABASE_URL, or the only one in the store)')
    .option('--store <where>', 'where the snapshots are (as for snapshot)')
    .option('--since <duration>', 'the window, e.g. 30d, 12h', parseDuration('--since'), 30 * 86_400_000)
    .option('--json', 'print the report as JSON')
    .addHelpText('after', '\nExample:\n  indexwise monitor report --db postgres://localhost/app --since 30d')
    .action(async (flags: MonitorFlags) => {
      const url = databaseUrl(flags.db);
      const tableStore = flags.store?.startsWith('table:') ?? false;
      // report only reads: the session is read-only, and a store that does not exist yet is not created
      const engine: Engine | null = tableStore ? await connect(url ?? '', { readOnly: true }) : null;
      let store: SnapshotStore | null = null;
      try {
        store = await openStore(flags.store, engine, { readOnly: true });
        const result = await report(store, url === undefined ? undefined : databaseKey(url), new Date(Date.now() - flags.since));
        process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : renderMonitor(result));
      } finally {
        await store?.close();
        await engine?.close();
      }
    });
}

export function renderMonitor(r: MonitorReport): string {
  const out = [
    `${r.database}: ${r.snapshots} snapshots over ${r.days.toFixed(r.days < 1 ? 2 : 1)} days${r.resets > 0 ? `, ${r.resets} statistics reset(s) detected` : ''}`,
  ];
  if (r.snapshots < 2) out.push('Take at least two snapshots to see rates.');
  out.push(heading('Indexes'));
  out.push(
    renderTable(
      [
        { header: 'index' },
        { header: 'scans', align: 'right' },
        { header: 'scans/day', align: 'right' },
        { header: 'size', align: 'right' },
        { header: 'growth', align: 'right' },
        { header: 'last used' },
        { header: '' },
      ],
      r.indexes.map((i) => [
        formatQualified({ schema: i.schema, name: i.index }),
        formatCount(i.scans),
        i.scansPerDay.toFixed(1),
        formatBytes(i.bytes),
        formatBytes(i.growthBytes),
        describeLastUsed(i.lastUsed),
        i.unused ? 'UNUSED over the window' : i.essential ? 'unique/constraint' : '',
      ]),
    ),
  );
  const unused = r.indexes.filter((i) => i.unused);
  if (unused.length > 0)
    out.push(
      `\n${unused.length} index(es) unused over the whole window, ${formatBytes(unused.reduce((s, i) => s + i.bytes, 0))} in all: see indexwise health for the fix.`,
    );
  return `${out.join('\n')}\n`;
}

async function snapshotOverFleet(flags: MonitorFlags & FleetFlags & { quiet?: boolean }): Promise<void> {
  if (flags.db !== undefined) throw new InputError('--fleet names the databases: leave out --db');
  const members = fleetMembers(flags);
  if (flags.queue !== undefined)
    return queueFleet(
      flags.queue,
      members.length,
      (q) => enqueueSnapshot(q, members, { store: flags.store, timeoutMs: flags.dbTimeout }),
      flags.json,
    );
  const result = await fleetSnapshot(members, { store: flags.store, ...runOptions(flags, progressReporter(!flags.quiet)) });
  printFleet(result, flags.json, renderFleetSnapshot);
}

export function renderFleetSnapshot(result: FleetResult<Snapshot>): string {
  return renderFleetSummary(result, 'snapshot', (s) => `${s.indexes.length} indexes, ${s.tables.length} tables`);
}
