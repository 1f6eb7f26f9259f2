/** verify.md and the console output: Markdown tables from the results. Pure. */
import { describeMachine } from '../advise/machine.js';
import { formatRatio, formatSpeedup } from './goals.js';
import { TIERS } from './measure.js';
import type { AppliedAdvice, DemoResult, Phase, QueryResult, TpchResult, VerifyReport } from './types.js';

export function formatMs(ms: number | null, timedOut = false): string {
  if (ms === null) return '-';
  if (timedOut) return `> ${ms.toLocaleString('en-US')}`;
  const digits = ms < 1 ? 3 : ms < 10 ? 2 : ms < 1000 ? 1 : 0;
  return ms.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

function minRatio(q: QueryResult): string {
  return q.beforeTimedOut ? '-' : formatRatio(q.minSpeedup);
}

function queryRow(q: QueryResult): string {
  const name = q.skipped === null ? q.name : `${q.name} (${q.skipped})`;
  const runs = `${q.runsBefore} / ${q.runsAfter}`;
  return `| ${name} | ${formatMs(q.beforeMs, q.beforeTimedOut)} | ${formatMs(q.afterMs, q.afterTimedOut)} | ${formatSpeedup(q)} | ${minRatio(q)} | ${runs} | ${q.verdict}${q.sameExecution ? '' : ' (different $n values)'} |`;
}

export function queryTable(queries: readonly QueryResult[], weights: boolean): string[] {
  const head = weights
    ? '| query (calls/min) | before ms | after ms | speed-up (medians) | speed-up (minimums) | runs before / after | verdict |'
    : '| query | before ms | after ms | speed-up (medians) | speed-up (minimums) | runs before / after | verdict |';
  const rows = queries.map((q) => (weights ? queryRow({ ...q, name: `${q.name} (${q.calls})` }) : queryRow(q)));
  return [head, '|---|---:|---:|---:|---:|---:|---|', ...rows];
}

function recheckText(q: QueryResult): string {
  const r = q.recheck;
  if (r === null) return '';
  const runs = `${r.rounds} rounds, ${r.beforeRunsMs.length} / ${r.afterRunsMs.length} runs`;
  return `; interleaved recheck (${runs}): ${formatMs(r.beforeMs)} → ${formatMs(r.afterMs)} ms (${formatRatio(r.speedup)}, minimums ${formatRatio(r.minSpeedup)}): ${q.verdict}`;
}

/** For each rechecked or slower query: its recheck, how its plan changed and which indexes it uses. */
function recheckNotes(queries: readonly QueryResult[]): string[] {
  const listed = queries.filter((q) => q.recheck !== null || q.verdict === 'slower' || q.verdict === 'slower, within noise');
  if (listed.length === 0) return [];
  const notes = listed.map((q) => {
    const first = q.recheck?.firstVerdict ?? q.verdict;
    const plan = `scans ${q.planChange === '' ? 'unchanged' : q.planChange}; indexes used after: ${q.indexesAfter.join(', ') || 'none'}`;
    return `- ${q.name}: first pass ${formatSpeedup(q)} (${first})${recheckText(q)}. ${plan}.`;
  });
  return [
    '',
    'Below ×2 on the first pass, so measured again in alternating rounds with the advice in place and undone (in a rolled-back transaction), on the same statistics:',
    '',
    ...notes,
  ];
}

function adviceLine(advice: AppliedAdvice): string {
  const dropped = advice.dropped.length === 0 ? '' : `, ${advice.dropped.length} dropped (${advice.dropped.join(', ')})`;
  const guarded =
    advice.removedByGuard.length === 0
      ? '; the measured guard (advise --measure) kept every index'
      : `; the measured guard (advise --measure) took out ${advice.removedByGuard.join(', ')}`;
  const failed = advice.failed === 0 ? '' : `, ${advice.failed} FAILED`;
  const method = advice.whatIf === undefined || advice.whatIf === 'hypopg' ? 'HypoPG' : `--what-if ${advice.whatIf}`;
  const uncosted = advice.uncosted ? `, ${advice.uncosted} not costed by it and left out` : '';
  return `indexwise's advice (no budget, costed by ${method}${uncosted}): ${advice.indexes.length} indexes, ${mb(advice.builtBytes)} built${dropped}${failed}; advise ${advice.adviseSeconds} s (with the guard), apply ${advice.applySeconds} s, VACUUM ${advice.vacuumSeconds} s${guarded}.`;
}

function phasesLine(phases: readonly Phase[]): string {
  return `Phases: ${phases.map((p) => `${p.name} ${p.seconds} s`).join(', ')}.`;
}

export function tpchSection(tpch: TpchResult): string[] {
  return [
    `## ${tpch.name}: no indexes → indexwise's advice`,
    '',
    `${adviceLine(tpch.advice)} ${phasesLine(tpch.phases)}`,
    '',
    ...queryTable(tpch.queries, false),
    ...recheckNotes(tpch.queries),
    '',
    `Indexes: ${tpch.advice.indexes.join('; ')}.`,
  ];
}

function ratio(before: number | null, after: number | null): string {
  return before === null || after === null || after <= 0 ? '-' : formatRatio(before / after);
}

export function demoSummaryTable(demos: readonly DemoResult[]): string[] {
  const rows = demos.map((d) => {
    const p50 = `${formatMs(d.before.p50)} → ${formatMs(d.after.p50)}`;
    const p95 = `${formatMs(d.before.p95)} → ${formatMs(d.after.p95)}`;
    return `| ${d.scale} | ${d.rows.toLocaleString('en-US')} | ${mb(d.dataBytes)} | ${d.loadSeconds} s | ${d.advice.indexes.length} (${mb(d.advice.builtBytes)}) | ${p50} | ${ratio(d.before.p50, d.after.p50)} | ${p95} | ${ratio(d.before.p95, d.after.p95)} |`;
  });
  return [
    '| scale | rows | data | load | indexes built | p50 ms before → after | p50 ratio | p95 ms before → after | p95 ratio |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ];
}

export function demoDetails(demo: DemoResult): string[] {
  return [
    `### ${demo.name}`,
    '',
    `${adviceLine(demo.advice)} ${phasesLine(demo.phases)}`,
    '',
    ...queryTable(demo.queries, true),
    ...recheckNotes(demo.queries),
    '',
    `Indexes: ${demo.advice.indexes.join('; ')}.`,
  ];
}

function method(timeoutMs: number): string {
  const tiers = TIERS.map((t) => `${t.runs} below ${t.belowMs.toLocaleString('en-US')} ms`).join(', ');
  return [
    "Times are execution times from `EXPLAIN (ANALYZE, BUFFERS)` (verify's `measureWorkload`), in ms: the median of the runs after a warm-up.",
    `Runs per query, chosen from a one-run probe: ${tiers}, else 1. Statement timeout ${timeoutMs / 1000} s: "> N" is a lower bound.`,
    'Verdict: "same" within ±10% of the median; "slower, within noise" when the median is more than 10% slower but the minimum is within 10%, or the medians are at most 2 µs apart (EXPLAIN ANALYZE rounds to 1 µs); "slower" otherwise.',
    'A query below ×2 on the first pass is measured again in alternating rounds (recheck; see the notes under each table): its verdict is then the recheck\'s, "same on recheck" when it is within 10% there. The ms columns are the first pass.',
    "Demo p50/p95: weighted quantiles of the queries' median times, weights = calls per minute (the per-call latency if every call took its query's median); writes run in rolled-back transactions.",
  ].join(' ');
}

export function renderMarkdown(report: VerifyReport): string {
  const timeout = report.tpch?.timeoutMs ?? report.demos[0]?.timeoutMs ?? 0;
  const lines = [
    "# Measured speed-ups: indexwise's advice applied for real",
    '',
    `Measured ${report.measuredAt.slice(0, 10)} on ${describeMachine(report.machine)}; commit ${report.source.commit}${report.source.changedSourceFiles.length > 0 ? ' with uncommitted changes under src/' : ''}. Whole run (\`npm run bench:verify\`): ${Math.round(report.seconds)} s.`,
    '',
    method(timeout),
    '',
    ...(report.carried ?? []).map(
      (c) =>
        `${c.part === 'tpch' ? 'The TPC-H section was' : 'The demo sections were'} not re-run (\`--only\`): kept from the run of ${c.measuredAt.slice(0, 10)}, commit ${c.commit}.\n`,
    ),
    ...(report.tpch === null ? [] : [...tpchSection(report.tpch), '']),
    ...(report.demos.length === 0
      ? []
      : ['## Demo app: per-call latency, weighted by calls per minute', '', ...demoSummaryTable(report.demos), '']),
    '## Goals',
    '',
    ...report.goals.map((g) => `- ${g.met ? 'met' : 'NOT met'}: ${g.goal} (${g.detail})`),
    '',
    ...report.demos.flatMap((d) => [...demoDetails(d), '']),
  ];
  return `${lines.join('\n')}\n`;
}
