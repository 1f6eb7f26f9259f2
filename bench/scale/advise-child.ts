/**
 * The child process of one measurement (main.ts forks it, so a run that takes too long
 * can be stopped): it receives an AdviseJob, connects to the benchmark database, reads
 * the catalog, runs the advisor on the workload and sends back what it measured.
 *   indexwise: advise(engine, workload, catalog, {}) — HypoPG what-if, no budget.
 *   dexter: bench/advise/dexter.ts without a budget, scored by bench/advise/evaluate.ts.
 */
import { advise } from '../../src/advisor/advise.js';
import { loadParser } from '../../src/analysis/parse.js';
import { connect } from '../../src/engines/connect.js';
import type { Engine } from '../../src/engines/engine.js';
import type { Catalog } from '../../src/model/catalog.js';
import { databaseUrl } from '../advise/database.js';
import { runDexter } from '../advise/dexter.js';
import { baselineCosts, evaluate } from '../advise/evaluate.js';
import { advisorQueries, type BenchWorkload } from '../advise/workload.js';
import { useSchema } from './load.js';
import { type MemorySampler, sampleMemory } from './memory.js';
import type { AdviseJob, AdviseMeasurement, ChildMessage } from './types.js';

const MEMORY_REPORT_MS = 2000;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) resolve();
    else process.send(message, () => resolve());
  });
}

type Measured = Omit<AdviseMeasurement, 'catalogSeconds' | 'peakRssMb' | 'maxRssMb'>;

async function runIndexwise(engine: Engine, catalog: Catalog, job: AdviseJob, memory: MemorySampler): Promise<Measured> {
  const started = performance.now();
  const report = await advise(engine, job.workload, catalog, {
    onProgress: (message) => void send({ type: 'progress', message, peakRssMb: memory.peakMb() }),
  });
  return {
    seconds: (performance.now() - started) / 1000,
    candidates: report.stats.candidates,
    whatIfCalls: report.stats.whatIfCalls,
    cacheHitRate: report.stats.cacheHitRate,
    costBefore: report.cost.before,
    costAfter: report.cost.after,
    recommendations: report.recommendations.length,
    stats: { ...report.stats },
  };
}

async function runDexterReference(engine: Engine, catalog: Catalog, job: AdviseJob): Promise<Measured> {
  const queries = advisorQueries(job.workload, catalog);
  const bench: BenchWorkload = {
    name: job.schema,
    engine,
    catalog,
    workload: job.workload,
    queries,
    extraQueries: [],
    dataBytes: 0,
    highlights: [],
    close: () => engine.close(),
  };
  const before = await baselineCosts(bench);
  const result = await runDexter(engine, queries, Number.POSITIVE_INFINITY);
  const evaluation = await evaluate(bench, before, result.indexes);
  return {
    seconds: result.seconds,
    candidates: result.candidates,
    whatIfCalls: result.whatIfCalls,
    cacheHitRate: result.cacheHitRate,
    costBefore: evaluation.costBefore,
    costAfter: evaluation.costAfter,
    recommendations: result.indexes.length,
    stats: null,
  };
}

async function run(job: AdviseJob): Promise<AdviseMeasurement> {
  const memory = sampleMemory();
  await loadParser();
  const heartbeat = setInterval(() => void send({ type: 'memory', peakRssMb: memory.peakMb() }), MEMORY_REPORT_MS);
  const engine = await connect(databaseUrl(job.database));
  try {
    await useSchema(engine, job.schema);
    const catalogStarted = performance.now();
    const catalog = await engine.catalog();
    const catalogSeconds = (performance.now() - catalogStarted) / 1000;
    const measured =
      job.advisor === 'indexwise' ? await runIndexwise(engine, catalog, job, memory) : await runDexterReference(engine, catalog, job);
    return { ...measured, catalogSeconds, peakRssMb: memory.peakMb(), maxRssMb: memory.maxRssMb() };
  } finally {
    clearInterval(heartbeat);
    memory.stop();
    await engine.close();
  }
}

process.once('message', (job: AdviseJob) => {
  run(job)
    .then((measurement) => send({ type: 'done', measurement }))
    .catch((error: unknown) => send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }))
    .finally(() => process.disconnect());
});
