/** indexwise itself, as a library user calls it: advise() with a byte budget. */
import { advise } from '../../src/advisor/advise.js';
import type { Recommendation } from '../../src/model/recommendation.js';
import type { AlgorithmResult } from './types.js';
import type { BenchWorkload } from './workload.js';

export function recommendationLabel(r: Recommendation): string {
  const include = r.include.length > 0 ? ` include(${r.include.join(',')})` : '';
  const where = r.where === null ? '' : ` where ${r.where}`;
  return `${r.table}(${r.columns.join(',')})${include}${where}`;
}

export async function runIndexwise(bench: BenchWorkload, budgetBytes: number | null): Promise<AlgorithmResult> {
  const started = performance.now();
  const report = await advise(bench.engine, bench.workload, bench.catalog, { budgetBytes });
  if (process.env.INDEXWISE_BENCH_STATS) console.log(JSON.stringify(report.stats));
  return {
    algorithm: 'indexwise',
    indexes: report.recommendations.map((r) => ({ label: recommendationLabel(r), sql: r.sql })),
    seconds: (performance.now() - started) / 1000,
    candidates: report.stats.candidates,
    whatIfCalls: report.stats.whatIfCalls,
    cacheHitRate: report.stats.cacheHitRate,
  };
}
