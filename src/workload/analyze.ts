/** `analyze`: collect the workload from its sources and analyze it against the database's catalog. */
import { type WorkloadAnalysis, analyzeWorkload } from '../analysis/analyze-workload.js';
import type { Engine, EngineInfo } from '../engines/engine.js';
import type { Catalog } from '../model/catalog.js';
import type { Workload } from '../model/workload.js';
import { type CollectOptions, collectWorkload, defaultSources, type SourceSpec } from './collect.js';

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
  const sources = specs.length > 0 ? specs : await defaultSources(engine);
  const info = await engine.info();
  const workload = await collectWorkload(engine, sources, options);
  const catalog = await engine.catalog();
  const analysis = analyzeWorkload(workload, catalog);
  const names = sources.map((s) => (s.kind === 'log' || s.kind === 'sql' ? `${s.kind}:${s.path}` : s.kind));
  return { report: { info, sources: names, workload, analysis }, catalog };
}
