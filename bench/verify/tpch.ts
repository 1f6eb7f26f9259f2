/**
 * TPC-H SF 0.1 measured for real: loaded with no indexes by bench/advise's loader,
 * the 21 queries (all but Q15) measured, indexwise's advice applied, measured again;
 * the queries that came out slower are measured again, interleaved (recheck.ts).
 */
import { loadTpch } from '../advise/tpch.js';
import { adviseAndApply } from './apply.js';
import { measureTiered } from './measure.js';
import { recheckSmallChanges } from './recheck.js';
import { queryResults } from './stats.js';
import { Stopwatch } from './stopwatch.js';
import type { BenchWhatIf, QueryResult, TpchResult } from './types.js';

export interface TpchSettings {
  readonly timeoutMs: number;
  /** How advise costs candidates (default: HypoPG). */
  readonly whatIf?: BenchWhatIf;
  readonly onProgress?: (message: string) => void;
}

/** Q1…Q22 in their numeric order. */
function byNumber(a: QueryResult, b: QueryResult): number {
  return Number(a.name.slice(1)) - Number(b.name.slice(1));
}

export async function runTpch(settings: TpchSettings): Promise<TpchResult> {
  const watch = new Stopwatch('TPC-H');
  const bench = await watch.time('load (no indexes)', loadTpch);
  try {
    const measure = { timeoutMs: settings.timeoutMs, writes: 'skip' as const, onProgress: settings.onProgress };
    const before = await watch.time('measure before', () => measureTiered(bench.engine, bench.workload, bench.catalog, measure));
    const advice = await watch.time('advise + apply + vacuum', () =>
      adviseAndApply(bench.engine, bench.workload, bench.catalog, 'public', settings.whatIf),
    );
    const after = await watch.time('measure after', () => measureTiered(bench.engine, before.pinned, bench.catalog, measure));
    const first = queryResults(before.measurement, after.measurement);
    const queries = await watch.time('recheck below ×2', () =>
      recheckSmallChanges(bench.engine, before.pinned, bench.catalog, first, advice.undo, measure),
    );
    return { name: bench.name, timeoutMs: settings.timeoutMs, queries: queries.sort(byNumber), advice, phases: watch.phases };
  } finally {
    await bench.close();
  }
}
