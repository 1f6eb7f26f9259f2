/** indexwise's library API. The CLI is a thin layer over these exports. */
export { EXIT, IndexwiseError, InputError, ConnectionError, DatabaseError, UnsupportedError } from './errors.js';
export { connect, type ConnectOptions } from './engines/connect.js';
export {
  parseConnectionString,
  redactConnectionString,
  type ConnectionTarget,
  type EngineKind,
} from './engines/connection-string.js';
export type { Engine, EngineInfo, EngineFamily, Capabilities, ExplainOptions, QueryOptions, Row } from './engines/engine.js';
export type * from './model/catalog.js';
export { findTable, indexesOf, sameName } from './model/catalog.js';
export { type Plan, type PlanNode, indexesUsed, scanTypes, walkPlan } from './model/plan.js';
export { quoteIdent, formatQualified } from './model/names.js';
export { runDemo, openDemo, demoWorkload, type DemoOptions, type DemoReport, type DemoQuery } from './demo/run.js';
export { loadDemo, type LoadedDemo } from './demo/load.js';
export { demoSizes, type DemoSizes } from './demo/generate.js';

// workload → analysis
export type * from './model/workload.js';
export type * from './model/analysis.js';
export { WorkloadCollector } from './workload/collector.js';
export { collectWorkload, parseSourceSpec, workloadFromSql, type SourceSpec, type CollectOptions } from './workload/collect.js';
export { analyzeDatabase, type AnalyzeReport } from './workload/analyze.js';
export { readLogStatements, LOG_FORMATS, type LogFormat } from './workload/sources/log-file.js';
export { loadParser } from './analysis/parse.js';
export { analyzeSql, analyzeStatement } from './analysis/analyze-query.js';
export { analyzeWorkload, type WorkloadAnalysis, type TableUsage } from './analysis/analyze-workload.js';

// advice
export { advise, type AdviseOptions } from './advisor/advise.js';
export type * from './model/recommendation.js';
export type { IndexDef, KeyColumn } from './model/index-def.js';
export { createIndexSql, dropIndexSql, indexName } from './migrate/ddl.js';
