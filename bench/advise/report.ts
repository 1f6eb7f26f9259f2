/**
 * The results as Markdown: one table per workload (rows: budget × algorithm), the
 * indexes each algorithm chose, and the project's goals checked. Pure.
 */
import { describeMachine, type Machine } from './machine.js';
import { checkGoals, type ReferenceRecord } from './goals.js';
import type { SourceState } from './source.js';
import type { RunRecord } from './types.js';

export function formatCost(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(1);
}

export function formatTimes(x: number): string {
  return `×${Math.round(x).toLocaleString('en-US')}`;
}

/** Labels are shown without their schema (one schema per workload). */
const SCHEMA_PREFIX = /^[a-z_][a-z0-9_]*\./;
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const pct = (share: number) => `${Math.round(share * 100)}%`;

function tableFor(records: readonly RunRecord[], highlights: readonly string[], extraGeomean: boolean): string[] {
  const head = [
    'budget',
    'algorithm',
    'cost before → after',
    'ratio',
    'geomean',
    ...(extraGeomean ? ['geomean (with Q15)'] : []),
    'indexes',
    'MB',
    's',
    'what-if calls',
    'cache hits',
    ...highlights.map((h) => `${h} cheaper by`),
  ];
  const rows = records.map((r) => {
    const e = r.evaluation;
    return [
      `${pct(r.budgetShare)} (${mb(r.budgetBytes)} MB)`,
      r.result.algorithm,
      `${formatCost(e.costBefore)} → ${formatCost(e.costAfter)}`,
      (e.costAfter / e.costBefore).toPrecision(3),
      e.geomean.toFixed(4),
      ...(extraGeomean ? [e.geomeanWithExtra?.toFixed(4) ?? ''] : []),
      String(r.result.indexes.length),
      mb(e.indexBytes),
      r.result.seconds.toFixed(1),
      r.result.whatIfCalls?.toLocaleString('en-US') ?? '–',
      r.result.cacheHitRate === null ? '–' : pct(r.result.cacheHitRate),
      ...highlights.map((h) => (e.cheaperBy[h] === undefined ? '' : formatTimes(e.cheaperBy[h] as number))),
    ];
  });
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

function referenceLines(references: readonly ReferenceRecord[], workload: string): string[] {
  return references
    .filter((r) => r.workload === workload)
    .map((r) => {
      const e = r.evaluation;
      const times = Object.entries(e.cheaperBy)
        .map(([q, x]) => `${q} ${formatTimes(x)}`)
        .join(', ');
      const list = Object.keys(e.indexSizes)
        .map((label) => label.replace(SCHEMA_PREFIX, ''))
        .join('; ');
      return `- ${r.name}: ${r.indexes} indexes, ${mb(e.indexBytes)} MB, cost ${formatCost(e.costBefore)} → ${formatCost(e.costAfter)}, geomean ${e.geomean.toFixed(4)}${e.geomeanWithExtra === null ? '' : ` (with Q15 ${e.geomeanWithExtra.toFixed(4)})`}${times ? `, ${times}` : ''}: ${list}.`;
    });
}

function chosenLines(records: readonly RunRecord[]): string[] {
  return records.map((r) => {
    const sizes = r.evaluation.indexSizes;
    const list = r.result.indexes.map((i) => `${i.label.replace(SCHEMA_PREFIX, '')} ${mb(sizes[i.label] ?? 0)}`).join('; ');
    return `- ${pct(r.budgetShare)} ${r.result.algorithm}: ${list || '(none)'}`;
  });
}

const NOTES = [
  '## Notes',
  '',
  "- Same input for all: the workload read through sqlStatements + WorkloadCollector, the queries `advise` would cost, HypoPG what-if through `openWhatIf('hypopg')` and the project's WhatIfCoster (a fresh one per run: no cache shared between runs).",
  '- Dexter (bench/advise/dexter.ts): single columns, then 2-column permutations, the 50% rule, queries under cost 100 skipped; it has no budget, so its suggestions are kept by weighted saving while they fit. Its advice does not change above the budget it needs.',
  '- supabase index_advisor (bench/advise/index-advisor.ts, TPC-H reference only): a hypothetical single-column index on every column of a common scalar type, each query planned with all of them, the ones its plan reads kept; the union over the queries, as the TPC-H README scored it.',
  '- Extend (bench/advise/extend.ts): greedy on cost reduction per added byte over new single-attribute indexes and one-attribute extensions of chosen ones; width capped at 3.',
  '- The score is planner cost only: an INSERT/UPDATE/DELETE of the demo is costed by its plan, which leaves out index maintenance (indexwise weighs it, the baselines do not).',
  '- ANALYZE samples rows at random, so absolute costs move by about 1% between runs; the algorithms of one run are scored on the same statistics.',
];

export interface WorkloadInfo {
  readonly name: string;
  readonly dataBytes: number;
  readonly queries: number;
  readonly highlights: readonly string[];
  readonly extraGeomean: boolean;
}

export interface MarkdownInput {
  readonly machine: Machine;
  readonly source: SourceState;
  readonly workloads: readonly WorkloadInfo[];
  readonly records: readonly RunRecord[];
  readonly references: readonly ReferenceRecord[];
  readonly seconds: number;
}

export function renderMarkdown(input: MarkdownInput): string {
  const { source, workloads, records, references } = input;
  const changed = source.changedSourceFiles.length > 0 ? ` plus uncommitted changes to ${source.changedSourceFiles.join(', ')}` : '';
  const lines = [
    '# Advice quality: indexwise vs Dexter and Extend',
    '',
    `Machine: ${describeMachine(input.machine)}. Whole run: ${input.seconds.toFixed(0)} s.`,
    '',
  ];
  lines.push(`Measured: commit ${source.commit}${changed} (src/advisor hash ${source.advisorHash}).`, '');
  lines.push(
    'Every configuration is scored the same way: its indexes created as HypoPG hypothetical indexes, every query EXPLAINed, Σ weight × cost. Ratio = after / before; geomean = geometric mean over the queries of after / before.',
    '',
  );
  for (const w of workloads) {
    const mine = records.filter((r) => r.workload === w.name);
    lines.push(`## ${w.name}`, '', `${w.queries} queries, data ${mb(w.dataBytes)} MB (sum of table bytes); budgets are shares of it.`, '');
    const refs = referenceLines(references, w.name);
    lines.push(...tableFor(mine, w.highlights, w.extraGeomean), '', ...(refs.length > 0 ? ['References:', '', ...refs, ''] : []));
    lines.push('### Indexes chosen (MB each)', '', ...chosenLines(mine), '');
  }
  lines.push(...NOTES, '');
  lines.push(
    '## Goals',
    '',
    ...checkGoals(records, references).map((g) => `- ${g.met ? 'met' : 'NOT met'}: ${g.goal}${g.detail ? ` (${g.detail})` : ''}`),
    '',
  );
  return lines.join('\n');
}
