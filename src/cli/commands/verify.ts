/** `indexwise verify`: measured execution, before and after — evidence, not estimates. */
import type { Command } from 'commander';
import pc from 'picocolors';
import { connect } from '../../engines/connect.js';
import { InputError } from '../../errors.js';
import type { Comparison, Measurement } from '../../model/measurement.js';
import { compareMeasurements } from '../../verify/compare.js';
import { measureWorkload, trialAdvice } from '../../verify/verify.js';
import { formatCount, heading, oneLineSql, renderTable } from '../format.js';
import { readBuildableAdvice } from '../input-files.js';
import { databaseUrl, parseChoice, parseDuration, parseNonNegativeInt, readJsonFile } from '../options.js';
import { checkOutFile, writeOutFile } from '../out-files.js';
import { progressReporter } from '../progress.js';
import { addWorkloadOptions, type WorkloadFlags, workloadFromFlags } from './analyze.js';
import { addFleetOptions, addQueueOption, checkQueueFlags, type FleetFlags } from './fleet.js';
import { verifyOverFleet } from './fleet-verify.js';

export interface VerifyFlags extends WorkloadFlags, FleetFlags {
  runs: number;
  timeout: number;
  writes?: 'rollback' | 'skip';
  out?: string;
  trial?: string;
  json?: boolean;
}

function readJson<T>(path: string, what: string, check: (value: unknown) => boolean): T {
  const value = readJsonFile(path, what);
  if (!check(value)) throw new InputError(`${path} is not ${what}`);
  return value as T;
}

export function registerVerify(program: Command): void {
  const command = addFleetOptions(
    addWorkloadOptions(
      program
        .command('verify')
        .description('measure the workload for real (EXPLAIN ANALYZE): a baseline, a comparison with one, or a trial of an advice')
        .argument('[mode]', 'baseline (default) or compare', 'baseline')
        .argument('[file]', 'compare: the baseline measured before (with --fleet: a verify --fleet --json or --out)'),
    ),
  )
    .option('--runs <n>', 'measured runs per query, after one warm-up', parseNonNegativeInt('--runs'), 5)
    .option(
      '--timeout <duration>',
      'statement timeout per run; a query that hits it is reported as "> timeout"',
      parseDuration('--timeout'),
      30_000,
    )
    .option(
      '--writes <how>',
      'rollback: run INSERT/UPDATE/DELETE in a rolled-back transaction; skip (default on a server)',
      parseChoice('--writes', ['rollback', 'skip'] as const),
    )
    .option(
      '--trial <advice.json>',
      'build the advice’s indexes in a transaction, measure, roll back (not for production); with --fleet an advise --fleet --json gives each database its schema group’s advice',
    )
    .option('--out <file>', 'save the measurement (a baseline for `verify compare`; with --fleet, every database’s)')
    .option('--json', 'print the result as JSON')
    .option('-q, --quiet', 'no progress on stderr');
  addQueueOption(
    command,
    'one job per database (a comparison’s baseline and a trial’s advice are read here and each database’s share queued with its job)',
  )
    .addHelpText(
      'after',
      `
Examples:
  indexwise verify baseline --db postgres://localhost/app --out before.json
  indexwise apply …                                        # then
  indexwise verify compare before.json --db postgres://localhost/app
  indexwise verify --trial advice.json --db postgres://staging/app --from sql:queries.sql
  indexwise verify --fleet fleet.json --out before.json             # every database, each on its own workload
  indexwise verify compare before.json --fleet fleet.json           # each database against its own baseline
  indexwise verify --fleet staging.json --trial fleet-advice.json   # each database tries its schema group's advice
  indexwise verify compare before.json --fleet fleet.json --queue postgres://central/indexwise   # by indexwise workers`,
    )
    .action(async (mode: string, file: string | undefined, flags: VerifyFlags) => {
      if (mode !== 'baseline' && mode !== 'compare') throw new InputError(`unknown verify mode "${mode}": use baseline or compare`);
      if (mode === 'compare' && file === undefined)
        throw new InputError('verify compare needs the baseline file: indexwise verify compare before.json');
      checkQueueFlags(flags);
      if (flags.fleet !== undefined) return verifyOverFleet(mode, file, flags);
      const before =
        mode === 'compare'
          ? readJson<Measurement>(file as string, 'a baseline measurement', (v) => (v as Measurement)?.kind === 'indexwise-measurement')
          : null;
      // every input checked before the database is touched: a trial never starts on a file it cannot finish
      const advice = flags.trial ? await readBuildableAdvice(flags.trial) : null;
      if (flags.out !== undefined) checkOutFile(flags.out);
      const engine = await connect(databaseUrl(flags.db) ?? '', { readOnly: true });
      const log = progressReporter(!flags.quiet);
      try {
        const { workload } = await workloadFromFlags(engine, flags, log);
        const catalog = await engine.catalog();
        const options = { runs: flags.runs, timeoutMs: flags.timeout, writes: flags.writes, onProgress: log };
        if (advice !== null) {
          const result = await trialAdvice(engine, workload, catalog, advice.recommendations, options);
          if (flags.out) writeOutFile(flags.out, `${JSON.stringify(result.after, null, 2)}\n`);
          process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : renderComparison(result.comparison));
          return;
        }
        // compare runs the baseline's own statements and values again
        const now = await measureWorkload(engine, workload, catalog, { ...options, pinned: before ?? undefined });
        if (flags.out) writeOutFile(flags.out, `${JSON.stringify(now, null, 2)}\n`);
        if (before === null) {
          process.stdout.write(flags.json ? `${JSON.stringify(now, null, 2)}\n` : renderMeasurement(now));
        } else {
          const comparison = compareMeasurements(before, now);
          process.stdout.write(flags.json ? `${JSON.stringify(comparison, null, 2)}\n` : renderComparison(comparison));
        }
      } finally {
        await engine.close();
      }
    });
}

const ms = (value: number | null, timedOut = false) =>
  value === null ? '-' : `${timedOut ? '> ' : ''}${value < 10 ? value.toFixed(2) : value.toFixed(1)}`;

export function renderMeasurement(m: Measurement): string {
  const out = [`${pc.bold('indexwise verify')}: ${m.target} (${m.serverVersion}), ${m.runs} runs per query after a warm-up, median shown`];
  out.push(
    renderTable(
      [
        { header: 'calls', align: 'right' },
        { header: 'median ms', align: 'right' },
        { header: 'min–max ms', align: 'right' },
        { header: 'plan' },
        { header: 'query' },
      ],
      m.queries.map((q) => [
        formatCount(q.calls),
        q.skipped ? '-' : ms(q.medianMs, q.timedOut),
        q.skipped || q.timedOut ? '' : `${ms(q.minMs)}–${ms(q.maxMs)}`,
        q.skipped ?? [...q.scans, ...q.indexes.map((i) => `(${i})`)].join(' '),
        q.name ?? oneLineSql(q.sql, 70),
      ]),
    ),
  );
  return `${out.join('\n')}\n`;
}

export function renderComparison(c: Comparison): string {
  const out = [heading('Measured before → after (median of the runs, milliseconds)')];
  const speed = (s: number | null, lower: boolean) => (s === null ? '-' : `${lower ? '≥ ' : ''}×${s >= 10 ? s.toFixed(0) : s.toFixed(1)}`);
  out.push(
    renderTable(
      [
        { header: 'query' },
        { header: 'calls', align: 'right' },
        { header: 'before', align: 'right' },
        { header: 'after', align: 'right' },
        { header: 'speed-up', align: 'right' },
        { header: 'plan change' },
      ],
      [...c.queries]
        .sort((a, b) => (b.speedup ?? 0) - (a.speedup ?? 0))
        .map((q) => [
          q.name ?? oneLineSql(q.sql, 50),
          formatCount(q.calls),
          ms(q.beforeMs, q.speedupIsLowerBound),
          ms(q.afterMs),
          speed(q.speedup, q.speedupIsLowerBound),
          q.planChange,
        ]),
    ),
  );
  const w = c.workload;
  out.push(
    `\nWorkload (Σ calls × median): ${ms(w.beforeMs)} ms → ${ms(w.afterMs)} ms${w.speedup === null ? '' : `, ${pc.bold(`×${w.speedup.toFixed(1)} faster`)}`}`,
  );
  if (c.unmatched.length > 0) out.push(pc.dim(`${c.unmatched.length} queries were measured only once and are not compared.`));
  return `${out.join('\n')}\n`;
}
