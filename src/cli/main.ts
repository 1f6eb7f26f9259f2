/**
 * The command line: argv → a library call → rendered output. This is the only
 * place that turns errors into exit codes (0 ok, 1 over a --fail-on threshold,
 * 2 bad input or unreachable database, 3 fleet status --wait timed out, 70 internal error).
 */
import { Command, CommanderError } from 'commander';
import { EXIT, IndexwiseError, InputError, oneLine } from '../errors.js';
import { printable } from '../format.js';
import { registerAdvise } from './commands/advise.js';
import { registerAnalyze } from './commands/analyze.js';
import { registerApply } from './commands/apply.js';
import { registerDemo } from './commands/demo.js';
import { registerHealth } from './commands/health.js';
import { registerInspect } from './commands/inspect.js';
import { registerMigrate } from './commands/migrate.js';
import { registerMonitor } from './commands/monitor.js';
import { registerReport } from './commands/report.js';
import { registerServe } from './commands/serve.js';
import { registerVerify } from './commands/verify.js';
import { registerFleet, registerWorker } from './commands/queue.js';
import { VERSION } from '../version.js';

export function buildProgram(): Command {
  const program = new Command('indexwise')
    .description(
      'Index advisor for PostgreSQL and SQLite: analyze the workload, advise cost-proven indexes, ' +
        'write migrations, apply them safely, verify that queries got faster, keep indexes healthy.',
    )
    .version(VERSION, '-V, --version')
    // Set before the commands are added, which copy it: a usage error is one line, as every other error.
    .configureOutput({
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(`indexwise: ${printable(text.trim().replace(/^error: /, ''))} (see --help)\n`),
    })
    .addHelpText(
      'after',
      `
Databases (--db or DATABASE_URL):
  postgres://user:pass@host:5432/db   a PostgreSQL server
  pglite:memory | pglite:DIR          embedded PostgreSQL (PGlite)
  sqlite:PATH | app.db | app.sqlite   a SQLite file

The lifecycle:
  analyze → advise → migrate / apply → verify; health and monitor keep watch; report writes it down.

Start here:
  npx indexwise demo                  the whole story on a demo app, in memory, no server needed`,
    );
  registerDemo(program);
  registerInspect(program);
  registerAnalyze(program);
  registerAdvise(program);
  registerMigrate(program);
  registerApply(program);
  registerVerify(program);
  registerHealth(program);
  registerMonitor(program);
  registerReport(program);
  registerServe(program);
  registerWorker(program);
  registerFleet(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const withSubcommands = (command: Command): Command[] => [command, ...command.commands.flatMap(withSubcommands)];
  for (const command of withSubcommands(program)) command.exitOverride();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    return exitCodeFor(error);
  }
}

/** Prints one line for the error and returns the exit code. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // commander has printed its own message (or the help) already.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof IndexwiseError) {
    // Our own messages about the user's input are shown whole, any newline in the input escaped; others to their first line.
    process.stderr.write(`indexwise: ${printable(error instanceof InputError ? error.message.trim() : oneLine(error))}\n`);
    return error.exitCode;
  }
  process.stderr.write(`indexwise: internal error: ${printable(oneLine(error))}\n`);
  if (process.env.INDEXWISE_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  return EXIT.internal;
}

const invokedDirectly = import.meta.url === `file://${process.argv[1]}`;
if (invokedDirectly) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
