/**
 * The demo's full story on the demo app: analyze the workload → advise → measure
 * (baseline) → apply the advice → measure again → health before and after → the
 * index-strategy report. Returns data; the CLI renders it.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { advise, chooseWhatIf } from '../advisor/advise.js';
import { analyzeWorkload, type WorkloadAnalysis } from '../analysis/analyze-workload.js';
import { applyPlan } from '../apply/apply.js';
import type { ApplySummary } from '../apply/types.js';
import type { EngineInfo } from '../engines/engine.js';
import { runHealth } from '../health/run.js';
import type { Catalog } from '../model/catalog.js';
import type { Finding } from '../model/finding.js';
import type { Comparison } from '../model/measurement.js';
import type { AdviceReport } from '../model/recommendation.js';
import type { Workload } from '../model/workload.js';
import { planFromAdvice } from '../migrate/plan.js';
import { collectReport } from '../report/collect.js';
import { writeReport } from '../report/write.js';
import { compareMeasurements } from '../verify/compare.js';
import { measureWorkload } from '../verify/verify.js';
import type { LoadedDemo } from './load.js';
import { DEMO_WORKLOAD_SOURCE, type DemoOptions, openDemo } from './run.js';

export interface DemoStoryOptions extends DemoOptions {
  /** Measured runs per query (after a warm-up). */
  readonly runs?: number;
  /** Where to write the HTML report (default: a file in the system's temp directory). */
  readonly reportPath?: string;
}

export interface DemoReport {
  readonly info: EngineInfo;
  readonly demo: LoadedDemo;
  /** The schema as built: primary keys and a few foreign-key indexes. */
  readonly catalog: Catalog;
  readonly workload: Workload;
  readonly analysis: WorkloadAnalysis;
  readonly advice: AdviceReport;
  readonly applied: ApplySummary;
  readonly verification: Comparison;
  readonly health: { readonly before: readonly Finding[]; readonly after: readonly Finding[] };
  readonly reportPath: string;
}

export function defaultReportPath(): string {
  return join(tmpdir(), 'indexwise-demo-report.html');
}

export async function runDemo(options: DemoStoryOptions = {}): Promise<DemoReport> {
  const progress = options.onProgress ?? (() => {});
  const session = await openDemo(options);
  const { engine, workload } = session;
  try {
    const catalog = await engine.catalog();
    progress('analyzing the workload');
    const analysis = analyzeWorkload(workload, catalog);
    const healthBefore = (await runHealth(engine, { workload })).findings;
    // advise's own choice; where it would refuse (a server without HypoPG) the demo builds its
    // candidates in a rolled-back transaction: the tables are its own.
    const { hypopg, isolatedWrites } = session.info.capabilities;
    const whatIf = await chooseWhatIf(session.info, hypopg || isolatedWrites ? 'auto' : 'transaction');
    const advice = await advise(engine, workload, catalog, { whatIf, onProgress: progress });
    // The demo's tables are its own: its writes may run, inside rolled-back transactions.
    const measure = { runs: options.runs ?? 3, writes: 'rollback' as const, onProgress: progress };
    const before = await measureWorkload(engine, workload, catalog, measure);
    progress(`applying ${advice.recommendations.length} indexes, dropping the ${advice.replaces.length} they make redundant`);
    const plan = planFromAdvice(advice, session.info.family, 'indexwise demo');
    const applied = await applyPlan(engine, plan);
    const after = await measureWorkload(engine, workload, await engine.catalog(), { ...measure, pinned: before });
    const verification = compareMeasurements(before, after);
    const healthAfter = (await runHealth(engine, { workload })).findings;
    progress('writing the index-strategy report');
    const reportPath = options.reportPath ?? defaultReportPath();
    const source = session.workloadSource ?? DEMO_WORKLOAD_SOURCE;
    const demoCommand = options.engine === 'sqlite' ? 'npx indexwise demo --engine sqlite' : 'npx indexwise demo';
    const data = await collectReport(engine, workload, {
      sources: [source],
      advice,
      verification,
      commands: [demoCommand, `npx indexwise report --db <the demo database> --from ${source} --out report.html`],
    });
    writeReport(data, reportPath);
    return {
      info: session.info,
      demo: session.demo,
      catalog,
      workload,
      analysis,
      advice,
      applied,
      verification,
      health: { before: healthBefore, after: healthAfter },
      reportPath,
    };
  } finally {
    await engine.close();
    await session.dispose?.();
  }
}
