/** `indexwise serve`: the live index dashboard in the browser. Thin over src/serve. */
import type { Command } from 'commander';
import { parseSourceSpec } from '../../workload/collect.js';
import { DEFAULT_SERVE_PORT, serveDashboard, serveFleetDashboard } from '../../serve/dashboard.js';
import { DEFAULT_MAX_OPEN } from '../../serve/fleet.js';
import { AUTH_ENV, AUTH_KINDS, type AuthKind, readAuth } from '../../serve/security.js';
import { databaseUrl, parseChoice, parseDuration, parseNonNegativeInt } from '../options.js';
import { InputError } from '../../errors.js';
import { printable } from '../../format.js';
import { addWorkloadOptions, collectOptions, type WorkloadFlags } from './analyze.js';
import { addMemberOptions, fleetMembers } from './fleet.js';

interface ServeFlags extends WorkloadFlags {
  fleet?: string;
  onlyDb?: string[];
  excludeDb?: string[];
  maxOpen: number;
  port: number;
  host: string;
  auth?: AuthKind;
  allowApply?: boolean;
  store?: string;
  snapshotEvery?: number;
}

/** Resolves when the process is asked to stop (Ctrl-C, SIGTERM). */
export function stopRequested(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

/** Common to one database and a fleet: where to listen, who may connect, whether apply may write. */
function serverFlags(flags: ServeFlags) {
  return {
    collect: collectOptions(flags),
    host: flags.host,
    port: flags.port,
    auth: readAuth(flags.auth, process.env),
    allowApply: flags.allowApply ?? false,
    onError: (message: string) => process.stderr.write(`indexwise serve: ${printable(message)}\n`),
  };
}

async function serveFleet(flags: ServeFlags): Promise<void> {
  if (flags.db !== undefined) throw new InputError("--db and --fleet exclude each other: serve one database, or the fleet file's");
  if (flags.from.length > 0) throw new InputError('--fleet names each database\'s workload ("from" in the file): leave out --from');
  if (flags.store !== undefined || flags.snapshotEvery !== undefined)
    throw new InputError('--store and --snapshot-every serve one database: not with --fleet (use `indexwise monitor snapshot --fleet`)');
  if (flags.maxOpen < 1) throw new InputError('--max-open must be 1 or more');
  const members = fleetMembers({ fleet: flags.fleet, onlyDb: flags.onlyDb, excludeDb: flags.excludeDb, concurrency: 1 });
  const dashboard = await serveFleetDashboard({ ...serverFlags(flags), members, maxOpen: flags.maxOpen });
  process.stdout.write(
    `indexwise serve: a fleet of ${members.length} databases at ${dashboard.url}${flags.allowApply ? ' (apply allowed)' : ''}\n`,
  );
  await stopRequested();
  await dashboard.close();
}

export function registerServe(program: Command): void {
  addMemberOptions(
    addWorkloadOptions(
      program.command('serve').description('the live index dashboard in the browser: queries, indexes, health, advice, history'),
    ).option('--fleet <file>', 'serve every database of a fleet file, a picker in the header (not with --db; see README)'),
  )
    .option(
      '--max-open <n>',
      `fleet: databases kept open at once; one more closes the least recently visited`,
      parseNonNegativeInt('--max-open'),
      DEFAULT_MAX_OPEN,
    )
    .option('--port <n>', 'port to listen on (0: any free port)', parseNonNegativeInt('--port'), DEFAULT_SERVE_PORT)
    .option('--host <host>', 'address to bind; other than loopback needs --auth', '127.0.0.1')
    .option(
      '--auth <kind>',
      `token (from $${AUTH_ENV.token}) or basic (from $${AUTH_ENV.user} and $${AUTH_ENV.password}); never on the command line`,
      parseChoice('--auth', AUTH_KINDS),
    )
    .option('--allow-apply', 'let the Apply button build the advised indexes (otherwise serve changes nothing)')
    .option('--store <where>', 'monitor store for usage over time: a SQLite file (table:… only with --allow-apply)')
    .option('--snapshot-every <duration>', 'take a monitor snapshot this often while serving (e.g. 10m)', parseDuration('--snapshot-every'))
    .addHelpText(
      'after',
      `
Examples:
  indexwise serve --db postgres://localhost/app
  indexwise serve --db pglite:./demo-db --from sql:demo/workload.sql --store ./usage.db --snapshot-every 10m
  INDEXWISE_SERVE_TOKEN=… indexwise serve --db postgres://localhost/app --host 0.0.0.0 --auth token --allow-apply
  indexwise serve --fleet fleet.json --only-db eu      # a database picker in the header; each opened on its first visit`,
    )
    .action(async (flags: ServeFlags) => {
      if (flags.fleet !== undefined) return serveFleet(flags);
      const url = databaseUrl(flags.db);
      if (url === undefined) throw new InputError('serve needs --db (or DATABASE_URL) or --fleet FILE');
      const dashboard = await serveDashboard({
        db: url,
        sources: flags.from.map(parseSourceSpec),
        ...serverFlags(flags),
        store: flags.store,
        snapshotEveryMs: flags.snapshotEvery ?? null,
      });
      process.stdout.write(
        `indexwise serve: ${printable(dashboard.target)} at ${dashboard.url}${flags.allowApply ? ' (apply allowed)' : ''}\n`,
      );
      await stopRequested();
      await dashboard.close();
    });
}
