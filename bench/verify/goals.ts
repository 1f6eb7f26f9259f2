/** The issue's goals for bench:verify, checked against the results. Pure. */
import type { DemoResult, Goal, QueryResult, TpchResult } from './types.js';

export const TPCH_HIGHLIGHTS = ['Q17', 'Q20', 'Q21'] as const;
export const TPCH_MIN_SPEEDUP = 100;
export const DEMO_MIN_P50_RATIO = 10;

/** ×0.71, ×30.8, ×86,846. */
export function formatRatio(ratio: number | null): string {
  if (ratio === null) return '-';
  const digits = ratio >= 100 ? 0 : ratio >= 10 ? 1 : 2;
  return `×${ratio.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })}`;
}

export function formatSpeedup(q: Pick<QueryResult, 'speedup' | 'speedupIsLowerBound'>): string {
  return q.speedup === null ? '-' : `${q.speedupIsLowerBound ? '> ' : ''}${formatRatio(q.speedup)}`;
}

function tpchGoals(tpch: TpchResult): Goal[] {
  const byName = new Map(tpch.queries.map((q) => [q.name, q]));
  const highlights = TPCH_HIGHLIGHTS.map((name): Goal => {
    const q = byName.get(name);
    const met = q?.speedup !== null && q?.speedup !== undefined && q.speedup >= TPCH_MIN_SPEEDUP;
    return { goal: `TPC-H ${name} ≥ ×${TPCH_MIN_SPEEDUP} faster`, met, detail: q === undefined ? 'not measured' : formatSpeedup(q) };
  });
  const slower = tpch.queries.filter((q) => q.verdict === 'slower');
  const list = (verdict: QueryResult['verdict']) =>
    tpch.queries
      .filter((q) => q.verdict === verdict)
      .map((q) => `${q.name} ${formatSpeedup(q)}${q.recheck === null ? '' : `, recheck ${formatRatio(q.recheck.speedup)}`}`);
  const noisy = list('slower, within noise');
  const cleared = list('same on recheck');
  const detail = [
    slower.length === 0 ? 'none slower' : `slower: ${list('slower').join('; ')}`,
    ...(noisy.length === 0 ? [] : [`slower median, minimum within 10%: ${noisy.join('; ')}`]),
    ...(cleared.length === 0 ? [] : [`within 10% on the interleaved recheck: ${cleared.join('; ')}`]),
  ].join('. ');
  return [...highlights, { goal: 'TPC-H: no query slower by more than 10%', met: slower.length === 0, detail }];
}

function demoGoal(demo: DemoResult): Goal {
  const { p50: before } = demo.before;
  const { p50: after } = demo.after;
  const ratio = before !== null && after !== null && after > 0 ? before / after : null;
  return {
    goal: `${demo.name}: p50 ≥ ×${DEMO_MIN_P50_RATIO} faster`,
    met: ratio !== null && ratio >= DEMO_MIN_P50_RATIO,
    detail: ratio === null ? 'not measured' : formatRatio(ratio),
  };
}

export function checkGoals(tpch: TpchResult | null, demos: readonly DemoResult[]): Goal[] {
  return [...(tpch === null ? [] : tpchGoals(tpch)), ...demos.map(demoGoal)];
}
