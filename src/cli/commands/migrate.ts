/** `indexwise migrate`: the plan as one migration of a tool's format. Also the plan options `apply` shares. */
import type { Command } from 'commander';
import { connect, type ConnectOptions } from '../../engines/connect.js';
import type { Engine } from '../../engines/engine.js';
import { InputError } from '../../errors.js';
import { renderPlan } from '../../apply/report.js';
import { FORMATS, type FormatId } from '../../migrate/formats/format.js';
import { type LoadedPlan, loadPlan } from '../../migrate/load.js';
import { writeMigration } from '../../migrate/write.js';
import { DIALECTS, type Dialect } from '../../sql/dialect.js';
import { parseSourceSpec } from '../../workload/collect.js';
import { collectValues, databaseUrl, parseBytes, parseChoice, parseList, parseNonNegativeInt } from '../options.js';
import { checkOutDirectory } from '../out-files.js';
import { type ProgressFn, progressReporter } from '../progress.js';
import { addWorkloadOptions, collectOptions, type WorkloadFlags } from './analyze.js';

export interface PlanFlags extends WorkloadFlags {
  input: string[];
  only?: string[];
  dropUnused?: boolean;
  dropDuplicates?: boolean;
  dialect?: Dialect;
  maxIndexes?: number;
  budget?: number;
  whatIf: 'auto' | 'hypopg' | 'hybrid' | 'transaction';
}

/** The input and selection options of migrate and apply. */
export function addPlanOptions(command: Command): Command {
  return addWorkloadOptions(command)
    .option(
      '--input <file>',
      'a saved `advise --json` or `health --json` (repeatable; - for stdin); without it, advise runs live on --db',
      collectValues,
      [],
    )
    .option(
      '--only <items>',
      'only these changes: index names or 1-based positions among the candidates (comma-separated, repeatable)',
      parseList,
    )
    .option('--drop-unused', 'also drop the indexes of unused-index findings')
    .option('--drop-duplicates', 'also drop the indexes of duplicate-index and redundant-index findings')
    .option('--dialect <dialect>', `${DIALECTS.join(' or ')} (default: from the input or --db)`, parseChoice('--dialect', DIALECTS))
    .option('--max-indexes <n>', 'live advice: most indexes to recommend', parseNonNegativeInt('--max-indexes'))
    .option('--budget <size>', 'live advice: total size of the new indexes, e.g. 500MB', parseBytes('--budget'))
    .option(
      '--what-if <method>',
      'live advice: auto, hypopg, hybrid, transaction (as advise --what-if)',
      parseChoice('--what-if', ['auto', 'hypopg', 'hybrid', 'transaction'] as const),
      'auto',
    )
    .option('-q, --quiet', 'no progress on stderr');
}

/** Connects on first use only; closes what it opened. */
export class LazyEngine {
  private engine: Engine | null = null;

  constructor(
    readonly url: string | undefined,
    private readonly options: ConnectOptions = {},
  ) {}

  get available(): boolean {
    return this.url !== undefined && this.url !== '';
  }

  async get(): Promise<Engine> {
    this.engine ??= await connect(this.url ?? '', this.options);
    return this.engine;
  }

  async close(): Promise<void> {
    await this.engine?.close();
    this.engine = null;
  }
}

export function planFromFlags(flags: PlanFlags, database: LazyEngine, log: ProgressFn): Promise<LoadedPlan> {
  return loadPlan({
    inputFiles: flags.input,
    selection: { only: flags.only ?? null, dropUnused: flags.dropUnused, dropDuplicates: flags.dropDuplicates },
    dialect: flags.dialect ?? null,
    database: database.available ? () => database.get() : null,
    live: {
      specs: flags.from.map(parseSourceSpec),
      collect: collectOptions(flags),
      advise: {
        maxIndexes: flags.maxIndexes ?? null,
        budgetBytes: flags.budget ?? null,
        minCalls: flags.minCalls,
        whatIf: flags.whatIf,
        onProgress: log,
      },
    },
  });
}

interface MigrateFlags extends PlanFlags {
  format: FormatId;
  out?: string;
  name?: string;
  list?: boolean;
  json?: boolean;
}

export function registerMigrate(program: Command): void {
  addPlanOptions(program.command('migrate').description('write the recommended index changes as a migration for your tool (up and down)'))
    .option('--format <format>', `one of ${FORMATS.join(', ')}`, parseChoice('--format', FORMATS), 'sql')
    .option('--out <dir>', 'the migrations directory to write into (alembic: the project, alembic/ or versions/)')
    .option('--name <name>', 'the migration name', 'indexwise_indexes')
    .option('--list', 'list the candidate changes with their positions (for --only), and exit')
    .option('--json', 'print what was written as JSON')
    .addHelpText(
      'after',
      `
Examples:
  indexwise advise --db postgres://localhost/app --json > advice.json
  indexwise migrate --input advice.json --format sql --out db/migrations
  indexwise migrate --input advice.json --input health.json --drop-duplicates --format alembic --out .
  indexwise migrate --input advice.json --only 1,3 --format prisma --out prisma/migrations
  indexwise migrate --db postgres://localhost/app --from sql:queries.sql --format knex --out migrations`,
    )
    .action(async (flags: MigrateFlags) => {
      const log = progressReporter(!flags.quiet && !flags.list);
      const database = new LazyEngine(databaseUrl(flags.db), { readOnly: true });
      try {
        if (flags.out !== undefined && !flags.list) checkOutDirectory(flags.out);
        const { plan, candidates } = await planFromFlags(flags, database, log);
        if (flags.list) {
          process.stdout.write(
            renderPlan({ dialect: plan.dialect, steps: candidates }, { concurrently: true, lockTimeoutMs: 0, statementTimeoutMs: 0 }),
          );
          return;
        }
        if (flags.out === undefined) throw new InputError('--out DIR is required: the migrations directory to write into');
        const written = await writeMigration(plan, { format: flags.format, outDir: flags.out, name: flags.name });
        for (const note of written.notes) log(`note: ${note}`);
        if (flags.json)
          process.stdout.write(
            `${JSON.stringify({ format: flags.format, dialect: plan.dialect, ...written, steps: plan.steps }, null, 2)}\n`,
          );
        else
          process.stdout.write(
            `${written.files.map((f) => `wrote ${written.outDir}/${f}`).join('\n')}\n${written.printed ? `\nAdd to schema.prisma:\n${written.printed}` : ''}`,
          );
      } finally {
        await database.close();
      }
    });
}
