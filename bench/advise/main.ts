/**
 * Advice quality benchmark: indexwise against re-implementations of Dexter and
 * Extend, on TPC-H SF 0.1 and on the demo application, in one run on a real
 * PostgreSQL 15 with HypoPG. Each algorithm gets the same workload, the same cost
 * oracle and budgets of 25/50/100/200% of the data size; each final configuration
 * is scored the same way (evaluate.ts). Prints the machine and a Markdown table;
 * writes bench/results/advise.json and bench/results/advise.md.
 *
 *   npm run bench:advise      (scripts/bench.sh starts a throwaway PostgreSQL 15)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDemoWorkload } from './demo.js';
import { runDexter } from './dexter.js';
import { baselineCosts, evaluate } from './evaluate.js';
import { runExtend } from './extend.js';
import { indexAdvisorUnion } from './index-advisor.js';
import { checkGoals, type ReferenceRecord } from './goals.js';
import { runIndexwise } from './indexwise.js';
import { describeMachine, machine } from './machine.js';
import { TPCH_HAND_PICKED } from './reference.js';
import { formatCost, renderMarkdown, type WorkloadInfo } from './report.js';
import { sourceState } from './source.js';
import { loadTpch } from './tpch.js';
import { ALGORITHMS, type Algorithm, type AlgorithmResult, BUDGET_SHARES, type RunRecord } from './types.js';
import type { BenchWorkload } from './workload.js';

const RESULTS = fileURLToPath(new URL('../results/advise.json', import.meta.url));
const MARKDOWN = fileURLToPath(new URL('../results/advise.md', import.meta.url));

const LOADERS: readonly (() => Promise<BenchWorkload>)[] = [loadTpch, loadDemoWorkload];

function runAlgorithm(algorithm: Algorithm, bench: BenchWorkload, budgetBytes: number): Promise<AlgorithmResult> {
  switch (algorithm) {
    case 'indexwise':
      return runIndexwise(bench, budgetBytes);
    case 'dexter':
      return runDexter(bench.engine, bench.queries, budgetBytes);
    case 'extend':
      return runExtend(bench.engine, bench.queries, budgetBytes);
  }
}

async function benchWorkload(bench: BenchWorkload, records: RunRecord[], references: ReferenceRecord[]): Promise<void> {
  const before = await baselineCosts(bench);
  for (const budgetShare of BUDGET_SHARES) {
    const budgetBytes = Math.round(bench.dataBytes * budgetShare);
    for (const algorithm of ALGORITHMS) {
      const result = await runAlgorithm(algorithm, bench, budgetBytes);
      const evaluation = await evaluate(bench, before, result.indexes);
      records.push({ workload: bench.name, budgetShare, budgetBytes, result, evaluation });
      console.log(
        `  ${Math.round(budgetShare * 100)}% ${algorithm.padEnd(9)} ${formatCost(evaluation.costBefore)} → ${formatCost(evaluation.costAfter)}, geomean ${evaluation.geomean.toFixed(4)}, ${result.indexes.length} indexes, ${result.seconds.toFixed(1)} s`,
      );
    }
  }
  if (bench.name.startsWith('TPC-H')) await tpchReferences(bench, before, records, references);
}

/**
 * TPC-H only: the README's hand-picked three indexes; the peers the README scored
 * without a budget — supabase index_advisor (union of its per-query advice) and
 * Dexter's unbudgeted advice (its run at the largest budget, which it never fills);
 * and indexwise given a budget just under each peer's index bytes.
 */
async function tpchReferences(
  bench: BenchWorkload,
  before: ReadonlyMap<string, number>,
  records: readonly RunRecord[],
  references: ReferenceRecord[],
): Promise<void> {
  const handPicked = await evaluate(bench, before, TPCH_HAND_PICKED);
  references.push({
    workload: bench.name,
    name: 'hand-picked three indexes (tpch README)',
    indexes: TPCH_HAND_PICKED.length,
    evaluation: handPicked,
  });
  const peers: { name: string; bytes: number }[] = [];
  const advisorIndexes = await indexAdvisorUnion(bench);
  const advisor = await evaluate(bench, before, advisorIndexes);
  references.push({
    workload: bench.name,
    name: 'supabase index_advisor re-implemented, union of its per-query advice',
    indexes: advisorIndexes.length,
    evaluation: advisor,
  });
  peers.push({ name: 'index_advisor', bytes: advisor.indexBytes });
  const dexter = records.filter((r) => r.workload === bench.name && r.result.algorithm === 'dexter').at(-1);
  if (dexter !== undefined) peers.push({ name: 'the unbudgeted Dexter advice', bytes: dexter.evaluation.indexBytes });
  for (const peer of peers) {
    const result = await runIndexwise(bench, peer.bytes - 1);
    const evaluation = await evaluate(bench, before, result.indexes);
    references.push({
      workload: bench.name,
      name: `indexwise with a budget of ${peer.name} (${(peer.bytes / 2 ** 20).toFixed(1)} MB)`,
      indexes: result.indexes.length,
      evaluation,
      peerBytes: peer.bytes,
      peerName: peer.name,
    });
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const records: RunRecord[] = [];
  const references: ReferenceRecord[] = [];
  const workloads: WorkloadInfo[] = [];
  let postgres = 'unknown';
  for (const load of LOADERS) {
    const loadStarted = performance.now();
    const bench = await load();
    try {
      if (postgres === 'unknown') {
        postgres = (await bench.engine.info()).serverVersion;
        console.log(`Machine: ${describeMachine(machine(postgres))}`);
      }
      console.log(
        `${bench.name}: ${bench.queries.length} queries, ${(bench.dataBytes / 2 ** 20).toFixed(1)} MB of data, loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`,
      );
      workloads.push({
        name: bench.name,
        dataBytes: bench.dataBytes,
        queries: bench.queries.length,
        highlights: bench.highlights,
        extraGeomean: bench.extraQueries.length > 0,
      });
      await benchWorkload(bench, records, references);
    } finally {
      await bench.close();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const m = machine(postgres);
  const source = await sourceState();
  const markdown = renderMarkdown({ machine: m, source, workloads, records, references, seconds });
  console.log(`\n${markdown}`);
  const report = {
    machine: m,
    source,
    seconds: +seconds.toFixed(1),
    workloads,
    records,
    references,
    goals: checkGoals(records, references),
    measuredAt: new Date().toISOString(),
  };
  await mkdir(dirname(RESULTS), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(MARKDOWN, markdown);
}

await main();
