/**
 * The advisor at production scale: a generated multi-tenant schema of 50, 200 and 1,000
 * tables (generate.ts) with about five query shapes per table, read through the same path
 * as `--from sql:FILE`, then `advise()` with HypoPG and no budget, each size in its own
 * process. Checks that the workload has one entry per generated shape; measures time,
 * candidates, what-if calls, cache hits, peak memory and the workload's cost before and
 * after; fits how time grows with the number of fingerprints. Prints a line per size and
 * a Markdown table; writes bench/results/scale.json and bench/results/scale.md.
 *
 *   npm run bench:scale -- --sizes 50,200 [--queries-per-table 5] [--max-seconds 600] [--dexter] [--seed 1] [--baseline DIR]
 *
 * --baseline DIR runs another checkout's indexwise on the same loaded schema too, e.g. the advisor
 * before a change: `git worktree add /tmp/before <commit> && ln -s $PWD/node_modules /tmp/before/`.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { loadParser } from '../../src/analysis/parse.js';
import type { Engine } from '../../src/engines/engine.js';
import type { Workload } from '../../src/model/workload.js';
import { dropDatabase, freshDatabase } from '../advise/database.js';
import { machine } from '../advise/machine.js';
import { sourceState } from '../advise/source.js';
import { collectWorkload } from '../advise/workload.js';
import { runInChild } from './child.js';
import { generateScale, type ScaleWorkload, workloadScript } from './generate.js';
import { dropScaleSchema, loadScaleSchema } from './load.js';
import { growthOf, renderMarkdown, type ScaleReport, sizeLine } from './report.js';
import type { Advisor, SizeResult } from './types.js';

const DATABASE = 'indexwise_bench_scale';
const RESULTS = fileURLToPath(new URL('../results/scale.json', import.meta.url));
const MARKDOWN = fileURLToPath(new URL('../results/scale.md', import.meta.url));

interface Options {
  readonly sizes: readonly number[];
  readonly queriesPerTable: number;
  readonly maxSeconds: number | null;
  readonly dexter: boolean;
  readonly seed: number;
  /** Another checkout of indexwise to run on each size as the baseline (e.g. a worktree of an older commit). */
  readonly baseline: string | null;
}

function positiveInteger(text: string, option: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${option} takes a positive integer, not "${text}"`);
  return n;
}

function parseOptions(argv: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string', default: '50,200,1000' },
      'queries-per-table': { type: 'string', default: '5' },
      'max-seconds': { type: 'string' },
      dexter: { type: 'boolean', default: false },
      baseline: { type: 'string' },
      seed: { type: 'string', default: '1' },
    },
  });
  return {
    sizes: values.sizes.split(',').map((s) => positiveInteger(s.trim(), '--sizes')),
    queriesPerTable: positiveInteger(values['queries-per-table'], '--queries-per-table'),
    maxSeconds: values['max-seconds'] === undefined ? null : positiveInteger(values['max-seconds'], '--max-seconds'),
    dexter: values.dexter,
    seed: positiveInteger(values.seed, '--seed'),
    baseline: values.baseline ?? null,
  };
}

function advisorsOf(options: Options): Advisor[] {
  return ['indexwise', ...(options.baseline === null ? [] : ['baseline' as const]), ...(options.dexter ? ['dexter' as const] : [])];
}

async function commitOf(dir: string): Promise<string> {
  const { stdout } = await promisify(execFile)('git', ['-C', dir, 'rev-parse', '--short', 'HEAD']);
  return stdout.trim();
}

/** The workload read as `--from sql:FILE` reads it; one entry per generated shape, or the run stops here. */
async function readWorkload(generated: ScaleWorkload): Promise<Workload> {
  const size = generated.options.tables;
  const workload = await collectWorkload([{ text: workloadScript(generated), source: `sql:scale-${size}.sql` }]);
  if (workload.skipped.length > 0) {
    throw new Error(`${workload.skipped.length} generated statements were skipped, e.g. ${JSON.stringify(workload.skipped[0])}`);
  }
  if (workload.queries.length !== generated.shapes) {
    throw new Error(
      `${size} tables: the workload has ${workload.queries.length} entries for ${generated.shapes} distinct shapes generated: the workload key merges different queries`,
    );
  }
  return workload;
}

async function measureSize(options: Options, size: number, engine: Engine): Promise<SizeResult> {
  const generated = generateScale({ tables: size, queriesPerTable: options.queriesPerTable, seed: options.seed });
  const workload = await readWorkload(generated);
  const schema = `scale_${size}`;
  const rows = generated.tables.reduce((sum, t) => sum + t.rows, 0);
  console.log(`${size} tables: loading ${rows.toLocaleString('en-US')} rows into schema ${schema}…`);
  const loadStarted = performance.now();
  await loadScaleSchema(engine, schema, generated.tables);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const runs = [];
  try {
    for (const advisor of advisorsOf(options)) {
      console.log(`${size} tables: ${advisor} on ${workload.queries.length} fingerprints…`);
      const job = { advisor: advisor === 'baseline' ? ('indexwise' as const) : advisor, database: DATABASE, schema, workload };
      const checkout = advisor === 'baseline' ? (options.baseline ?? undefined) : undefined;
      const run = await runInChild(job, options.maxSeconds, (m) => console.log(`  ${m}`), checkout);
      runs.push({ ...run, advisor });
    }
  } finally {
    await dropScaleSchema(engine, schema);
  }
  return {
    size,
    tables: generated.tables.length,
    rows,
    statements: generated.statements.length,
    shapes: generated.shapes,
    fingerprints: workload.queries.length,
    loadSeconds,
    runs,
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  await loadParser();
  const engine = await freshDatabase(DATABASE);
  try {
    const postgres = (await engine.info()).serverVersion;
    const sizes: SizeResult[] = [];
    for (const size of options.sizes) {
      const result = await measureSize(options, size, engine);
      sizes.push(result);
      console.log(sizeLine(result));
    }
    const advisors = advisorsOf(options);
    const report: ScaleReport = {
      machine: machine(postgres),
      source: await sourceState(),
      seed: options.seed,
      queriesPerTable: options.queriesPerTable,
      maxSeconds: options.maxSeconds,
      sizes,
      baseline: options.baseline === null ? null : { dir: options.baseline, commit: await commitOf(options.baseline) },
      growth: Object.fromEntries(advisors.map((a) => [a, growthOf(sizes, a)])),
      measuredAt: new Date().toISOString(),
    };
    const markdown = renderMarkdown(report);
    await mkdir(dirname(RESULTS), { recursive: true });
    await writeFile(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(MARKDOWN, markdown);
    console.log(`\n${markdown}`);
  } finally {
    await engine.close();
    await dropDatabase(DATABASE);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
