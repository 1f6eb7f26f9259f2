/**
 * Everything the index-strategy report is written from, gathered from the live
 * database and its workload (collect.ts). The writing itself (content.ts) is pure.
 */
import type { WorkloadAnalysis } from '../analysis/analyze-workload.js';
import type { EngineInfo } from '../engines/engine.js';
import type { Catalog } from '../model/catalog.js';
import type { Finding } from '../model/finding.js';
import type { Comparison } from '../model/measurement.js';
import type { AdviceReport } from '../model/recommendation.js';
import type { MonitorReport } from '../monitor/report.js';
import type { IndexCounters } from '../monitor/snapshot.js';

export interface UsagePoint {
  readonly takenAt: string;
  /** Cumulative scans per index (schema.index) since the first snapshot, resets accounted for. */
  readonly scans: Readonly<Record<string, number>>;
}

export interface ReportData {
  readonly generatedAt: string;
  readonly info: EngineInfo;
  readonly catalog: Catalog;
  readonly sources: readonly string[];
  readonly workloadQueries: number;
  readonly analysis: WorkloadAnalysis;
  readonly advice: AdviceReport;
  readonly findings: readonly Finding[];
  /** Usage counters now (pg_stat_user_indexes), for every index. */
  readonly counters: readonly IndexCounters[];
  /** From monitor snapshots, when the store has some for this database. */
  readonly usage: MonitorReport | null;
  readonly usageSeries: readonly UsagePoint[];
  /** Which workload queries (names or shortened SQL) each existing index serves, by schema.index. */
  readonly indexQueries: Readonly<Record<string, readonly string[]>>;
  readonly verification: Comparison | null;
  /** The command lines that produced this report, to repeat it. */
  readonly commands: readonly string[];
}
