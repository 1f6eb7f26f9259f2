/**
 * A quick look at indexwise alone (no peers): each workload at no budget and at the
 * benchmark's budgets, with time, what-if calls and the shared evaluation.
 *   scripts/bench.sh bench/advise/quick.ts [tpch|demo]...
 */
import { loadDemoWorkload } from './demo.js';
import { baselineCosts, evaluate } from './evaluate.js';
import { runIndexwise } from './indexwise.js';
import { loadTpch } from './tpch.js';
import { BUDGET_SHARES } from './types.js';
import { formatCost } from './report.js';

const wanted = process.argv.slice(2);
const loaders = { tpch: loadTpch, demo: loadDemoWorkload };
for (const [name, load] of Object.entries(loaders)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const bench = await load();
  try {
    const before = await baselineCosts(bench);
    for (const share of [null, ...BUDGET_SHARES]) {
      const budget = share === null ? null : Math.round(bench.dataBytes * share);
      const result = await runIndexwise(bench, budget);
      const ev = await evaluate(bench, before, result.indexes);
      console.log(
        `${name} ${share === null ? 'none' : `${share * 100}%`}: ${formatCost(ev.costBefore)} → ${formatCost(ev.costAfter)} geomean ${ev.geomean.toFixed(4)} (all ${ev.geomeanWithExtra?.toFixed(4) ?? '-'}), ${result.indexes.length} idx ${(ev.indexBytes / 2 ** 20).toFixed(1)} MB, ${result.seconds.toFixed(1)} s, ${result.whatIfCalls} calls`,
      );
    }
  } finally {
    await bench.close();
  }
}
