/** The scale benchmark's results as one line per size, and as Markdown. Pure. */
import { describeMachine, type Machine } from '../advise/machine.js';
import { formatCost } from '../advise/report.js';
import type { SourceState } from '../advise/source.js';
import { fittedExponent, largestPairExponent, type Point } from './growth.js';
import type { AdvisorRun, SizeResult } from './types.js';

export interface ScaleReport {
  readonly machine: Machine;
  readonly source: SourceState;
  readonly seed: number;
  readonly queriesPerTable: number;
  readonly maxSeconds: number | null;
  readonly sizes: readonly SizeResult[];
  /** --baseline: the other checkout the 'baseline' rows ran, and its commit. */
  readonly baseline: { readonly dir: string; readonly commit: string } | null;
  readonly growth: Readonly<Record<string, { readonly fitted: number | null; readonly largestPair: number | null }>>;
  readonly measuredAt: string;
}

const count = (n: number | null | undefined) => (n === null || n === undefined ? '–' : Math.round(n).toLocaleString('en-US'));
const mb = (n: number | null) => (n === null ? '–' : `${Math.round(n)} MB`);
const exponent = (k: number | null) => (k === null ? 'n/a' : k.toFixed(2));

function timeOf(run: AdvisorRun): string {
  if (run.status === 'timeout') return `did not finish in ${run.maxSeconds} s`;
  if (run.status === 'failed') return 'failed';
  return `${(run.measurement?.seconds ?? 0).toFixed(1)} s`;
}

function cells(size: SizeResult, run: AdvisorRun): string[] {
  const m = run.measurement;
  const perFingerprint = m?.whatIfCalls === null || m === null ? null : m.whatIfCalls / Math.max(1, size.fingerprints);
  return [
    String(size.size),
    run.advisor,
    count(size.tables),
    count(size.fingerprints),
    count(m?.candidates),
    count(m?.whatIfCalls),
    perFingerprint === null ? '–' : perFingerprint.toFixed(1),
    m?.cacheHitRate === null || m === null ? '–' : `${Math.round(m.cacheHitRate * 100)}%`,
    timeOf(run),
    mb(m?.peakRssMb ?? run.peakRssMb),
    m === null ? '–' : `${formatCost(m.costBefore)} → ${formatCost(m.costAfter)}`,
    count(m?.recommendations),
  ];
}

/** One line for a size as it finishes. */
export function sizeLine(size: SizeResult): string {
  const runs = size.runs.map((run) => {
    const m = run.measurement;
    const details =
      m === null
        ? `${run.error === null ? '' : `${run.error.split('\n')[0]}; `}last: ${run.lastProgress ?? 'nothing'}`
        : `${count(m.candidates)} candidates, ${count(m.whatIfCalls)} what-if calls, cost ${formatCost(m.costBefore)} → ${formatCost(m.costAfter)}, ${m.recommendations} indexes, peak RSS ${mb(m.peakRssMb)}`;
    return `${run.advisor} ${timeOf(run)} (${details})`;
  });
  return `${size.size} tables: ${count(size.rows)} rows loaded in ${size.loadSeconds.toFixed(0)} s, ${count(size.fingerprints)} fingerprints; ${runs.join('; ')}`;
}

export function growthPoints(sizes: readonly SizeResult[], advisor: AdvisorRun['advisor']): Point[] {
  return sizes.flatMap((size) => {
    const run = size.runs.find((r) => r.advisor === advisor);
    return run?.status === 'finished' && run.measurement !== null
      ? [{ fingerprints: size.fingerprints, seconds: run.measurement.seconds }]
      : [];
  });
}

export function growthOf(sizes: readonly SizeResult[], advisor: AdvisorRun['advisor']) {
  const points = growthPoints(sizes, advisor);
  return { fitted: fittedExponent(points), largestPair: largestPairExponent(points) };
}

/** Fields of the advisor's stats beyond the four every report has (per-phase times, …), per size. */
function extraStats(sizes: readonly SizeResult[]): string[] {
  const known = new Set(['candidates', 'whatIfCalls', 'cacheHitRate', 'seconds']);
  return sizes.flatMap((size) =>
    size.runs.flatMap((run) => {
      const extra = Object.entries(run.measurement?.stats ?? {}).filter(([key]) => !known.has(key));
      return extra.length === 0
        ? []
        : [`- ${size.size} tables, ${run.advisor}: ${extra.map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ')}`];
    }),
  );
}

export function renderMarkdown(report: ScaleReport): string {
  const head = [
    'size',
    'advisor',
    'tables',
    'fingerprints',
    'candidates',
    'what-if calls',
    'calls/fingerprint',
    'cache hits',
    'time',
    'peak RSS',
    'cost before → after',
    'indexes',
  ];
  const rows = report.sizes.flatMap((size) => size.runs.map((run) => cells(size, run)));
  const changed =
    report.source.changedSourceFiles.length > 0 ? ` plus uncommitted changes to ${report.source.changedSourceFiles.join(', ')}` : '';
  const lines = [
    '# Advice at scale',
    '',
    `Machine: ${describeMachine(report.machine)}. Measured ${report.measuredAt}: commit ${report.source.commit}${changed} (src/advisor hash ${report.source.advisorHash}).`,
    '',
    `A generated multi-tenant schema (seed ${report.seed}) and about ${report.queriesPerTable} query shapes per table, read as \`--from sql:FILE\`; ` +
      '`advise(engine, workload, catalog, {})`: HypoPG what-if, no budget. Time is the advise call alone (each size in its own process); ' +
      'peak RSS is that process’s, sampled every 100 ms.' +
      (report.maxSeconds === null ? '' : ` A run still going after ${report.maxSeconds} s was stopped.`),
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    '## Growth',
    '',
    ...Object.entries(report.growth).map(
      ([advisor, g]) =>
        `- ${advisor}: time ∝ fingerprints^k, k = ${exponent(g.fitted)} (least squares on log–log over the finished sizes), ${exponent(g.largestPair)} between the two largest finished sizes.`,
    ),
    '',
    '## Sizes',
    '',
    ...report.sizes.map(
      (s) =>
        `- ${s.size} tables: ${count(s.rows)} rows (loaded in ${s.loadSeconds.toFixed(0)} s), ${count(s.statements)} statements, ${count(s.shapes)} distinct shapes = ${count(s.fingerprints)} workload entries.`,
    ),
    '',
  ];
  const extra = extraStats(report.sizes);
  if (extra.length > 0) lines.push('## Other advisor stats', '', ...extra, '');
  lines.push(
    '## Notes',
    '',
    '- Dexter (with --dexter) is bench/advise/dexter.ts without a budget, its cost before → after scored by bench/advise/evaluate.ts (every query EXPLAINed with its indexes); indexwise’s is its own report.cost. Both are Σ calls × planner cost.',
    '- Rows come from generate_series with deterministic values; ANALYZE samples, so costs move a little between loads: compare advisors within one size, where they ran on the same load.',
    ...(report.baseline === null
      ? []
      : [
          `- baseline is indexwise at commit ${report.baseline.commit} (another checkout, its own bench/scale/advise-child.ts), advising the same loaded schema in the same run: its cost before → after is its own report.cost, as indexwise’s.`,
        ]),
    '',
  );
  return lines.join('\n');
}
