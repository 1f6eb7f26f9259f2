/** `analyze`: collect the workload from its sources and analyze it against the database's catalog. */
import { type WorkloadAnalysis, analyzeWorkload } from '../analysis/analyze-workload.js';
import type { Engine, EngineInfo } from '../engines/engine.js';
import type { Catalog } from '../model/catalog.js';
import type { Workload } from '../model/workload.js';
import { type CollectOptions, collectFrom, describeSource, type SourceSpec } from './collect.js';

export interface AnalyzeReport {
  readonly info: EngineInfo;
  readonly sources: readonly string[];
  readonly workload: Workload;
  readonly analysis: WorkloadAnalysis;
}

export interface AnalyzeRun {
  readonly report: AnalyzeReport;
  readonly catalog: Catalog;
}

export async function analyzeDatabase(engine: Engine, specs: readonly SourceSpec[], options: CollectOptions = {}): Promise<AnalyzeRun> {
  const info = await engine.info();
  const { workload, specs: used } = await collectFrom(engine, specs, options);
  const catalog = await engine.catalog();
  const analysis = analyzeWorkload(workload, catalog);
  return { report: { info, sources: used.map(describeSource), workload, analysis }, catalog };
}
