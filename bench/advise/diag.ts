/** Diagnostic: per-query costs of indexwise's advice at one budget. */
import { loadDemoWorkload } from './demo.js';
import { baselineCosts, evaluate } from './evaluate.js';
import { runIndexwise } from './indexwise.js';
import { loadTpch } from './tpch.js';
const [which, shareArg] = process.argv.slice(2);
const bench = await (which === 'demo' ? loadDemoWorkload() : loadTpch());
try {
  const before = await baselineCosts(bench);
  const budget = shareArg === undefined || shareArg === 'none' ? null : Math.round(bench.dataBytes * Number(shareArg));
  const result = await runIndexwise(bench, budget);
  const ev = await evaluate(bench, before, result.indexes);
  console.log(
    `total ${ev.costAfter.toFixed(0)} geomean ${ev.geomean.toFixed(4)} ${result.seconds.toFixed(1)} s ${result.whatIfCalls} calls`,
  );
  for (const i of result.indexes) console.log('  idx', i.label, ev.indexSizes[i.label]);
  for (const q of ev.queries)
    console.log(
      `  ${q.name.padEnd(40)} ${q.weight} ${q.before.toFixed(0).padStart(10)} → ${q.after.toFixed(1).padStart(10)}  ${q.uses.join(' + ')}`,
    );
} finally {
  await bench.close();
}
