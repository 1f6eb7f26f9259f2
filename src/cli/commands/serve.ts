/** `indexwise serve`: the live index dashboard in the browser. Thin over src/serve. */
import type { Command } from 'commander';
import { parseSourceSpec } from '../../workload/collect.js';
import { serveDashboard } from '../../serve/dashboard.js';
import { AUTH_ENV, AUTH_KINDS, type AuthKind, readAuth } from '../../serve/security.js';
import { databaseUrl, parseChoice, parseDuration, parseNonNegativeInt } from '../options.js';
import { InputError } from '../../errors.js';
import { printable } from '../../format.js';
import { addWorkloadOptions, collectOptions, type WorkloadFlags } from './analyze.js';

interface ServeFlags extends WorkloadFlags {
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

export function registerServe(program: Command): void {
  addWorkloadOptions(
    program.command('serve').description('the live index dashboard in the browser: queries, indexes, health, advice, history'),
  )
    .option('--port <n>', 'port to listen on (0: any free port)', parseNonNegativeInt('--port'), 4321)
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
  INDEXWISE_SERVE_TOKEN=… indexwise serve --db postgres://localhost/app --host 0.0.0.0 --auth token --allow-apply`,
    )
    .action(async (flags: ServeFlags) => {
      const url = databaseUrl(flags.db);
      if (url === undefined) throw new InputError('serve needs --db (or DATABASE_URL)');
      const dashboard = await serveDashboard({
        db: url,
        sources: flags.from.map(parseSourceSpec),
        collect: collectOptions(flags),
        host: flags.host,
        port: flags.port,
        auth: readAuth(flags.auth, process.env),
        allowApply: flags.allowApply ?? false,
        store: flags.store,
        snapshotEveryMs: flags.snapshotEvery ?? null,
        onError: (message) => process.stderr.write(`indexwise serve: ${printable(message)}\n`),
      });
      process.stdout.write(
        `indexwise serve: ${printable(dashboard.target)} at ${dashboard.url}${flags.allowApply ? ' (apply allowed)' : ''}\n`,
      );
      await stopRequested();
      await dashboard.close();
    });
}
