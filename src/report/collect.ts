/** Gathers what the report is written from: catalog, workload, advice, health, usage, verification. Read-only. */
import { advise, type AdviseOptions } from '../advisor/advise.js';
import { costTexts } from '../advisor/queries.js';
import { analyzeWorkload } from '../analysis/analyze-workload.js';
import { loadParser } from '../analysis/parse.js';
import type { Engine } from '../engines/engine.js';
import { runHealth } from '../health/run.js';
import { type Catalog, qualifiedKey } from '../model/catalog.js';
import type { Comparison } from '../model/measurement.js';
import { indexesUsed } from '../model/plan.js';
import type { AdviceReport } from '../model/recommendation.js';
import type { Workload } from '../model/workload.js';
import { cumulativeScans, usageReport } from '../monitor/report.js';
import { takeSnapshot } from '../monitor/snapshot.js';
import type { SnapshotStore } from '../monitor/store.js';
import type { ReportData } from './data.js';

export interface ReportOptions {
  readonly sources: readonly string[];
  /** A saved advice (`advise --json`); otherwise advice is computed now. */
  readonly advice?: AdviceReport;
  readonly adviseOptions?: AdviseOptions;
  readonly verification?: Comparison | null;
  /** Monitor snapshots, when there are some for this database. */
  readonly store?: SnapshotStore | null;
  readonly sinceMs?: number;
  readonly commands: readonly string[];
  readonly onProgress?: (message: string) => void;
}

/** Which workload queries each existing index serves, from their plans now. */
async function indexUse(engine: Engine, catalog: Catalog, analysis: ReturnType<typeof analyzeWorkload>): Promise<Record<string, string[]>> {
  const byName = new Map(catalog.indexes.map((i) => [i.name, qualifiedKey(i)]));
  const uses: Record<string, string[]> = {};
  for (const item of analysis.queries) {
    if (item.analysis === null || item.analysis.noUserTables || item.analysis.unknownTables.length > 0) continue;
    const [text] = costTexts(item);
    if (text === undefined) continue;
    try {
      const plan = await engine.explain(text.sql, { generic: text.generic });
      const label = item.query.name ?? item.query.sql.replace(/\s+/g, ' ').slice(0, 50);
      for (const name of indexesUsed(plan)) {
        const key = byName.get(name);
        if (key !== undefined) uses[key] = [...new Set([...(uses[key] ?? []), label])];
      }
    } catch {
      // a query the planner refuses has its reason in the advice's skipped list
    }
  }
  return uses;
}

export async function collectReport(engine: Engine, workload: Workload, options: ReportOptions): Promise<ReportData> {
  await loadParser();
  const progress = options.onProgress ?? (() => {});
  const info = await engine.info();
  const catalog = await engine.catalog();
  const analysis = analyzeWorkload(workload, catalog);
  progress('advice');
  const advice = options.advice ?? (await advise(engine, workload, catalog, options.adviseOptions));
  progress('health checks');
  const { findings } = await runHealth(engine);
  const counters = info.capabilities.statisticsViews ? (await takeSnapshot(engine)).indexes : [];
  progress('which queries use which index');
  const indexQueries = await indexUse(engine, catalog, analysis);
  const snapshots = options.store ? await options.store.list(info.target, new Date(Date.now() - (options.sinceMs ?? 30 * 86_400_000))) : [];
  return {
    generatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    info,
    catalog,
    sources: options.sources,
    workloadQueries: workload.queries.length,
    analysis,
    advice,
    findings,
    counters,
    usage: snapshots.length > 0 ? usageReport(info.target, snapshots) : null,
    usageSeries: cumulativeScans(snapshots),
    indexQueries,
    verification: options.verification ?? null,
    commands: options.commands,
  };
}
