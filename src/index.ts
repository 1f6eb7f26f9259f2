/** indexwise's library API. The CLI is a thin layer over these exports. */
export { EXIT, IndexwiseError, InputError, ConnectionError, DatabaseError, TimeoutError, UnsupportedError, SQLSTATE } from './errors.js';
export { connect, type ConnectOptions } from './engines/connect.js';
export { parseConnectionString, redactConnectionString, type ConnectionTarget, type EngineKind } from './engines/connection-string.js';
export type { PgConninfo } from './engines/postgres/conninfo.js';
export type { Engine, EngineInfo, EngineFamily, Capabilities, ExplainOptions, QueryOptions, Row } from './engines/engine.js';
export type * from './model/catalog.js';
export { findTable, indexesOf, sameName } from './model/catalog.js';
export { type Plan, type PlanNode, type PlanScan, describeScan, indexesUsed, planScans, scanTypes, walkPlan } from './model/plan.js';
export { quoteIdent, formatQualified } from './sql/names.js';
export { openDemo, demoWorkload, type DemoOptions, type DemoQuery } from './demo/run.js';
export { runDemo, type DemoReport, type DemoStoryOptions } from './demo/story.js';
export { loadDemo, type LoadedDemo } from './demo/load.js';
export { demoSizes, type DemoSizes } from './demo/generate.js';

// workload → analysis
export type * from './model/workload.js';
export type * from './model/analysis.js';
export { WorkloadCollector } from './workload/collector.js';
export { collectWorkload, parseSourceSpec, workloadFromSql, type SourceSpec, type CollectOptions } from './workload/collect.js';
export { analyzeDatabase, type AnalyzeReport } from './workload/analyze.js';
export { readLogStatements, LOG_FORMATS, type LogFormat, type LogReadOptions } from './workload/sources/log-file.js';
export { loadParser } from './analysis/parse.js';
export { analyzeSql, analyzeStatement } from './analysis/analyze-query.js';
export { analyzeWorkload, type WorkloadAnalysis, type TableUsage } from './analysis/analyze-workload.js';

// advice
export { advise, type AdviseOptions } from './advisor/advise.js';
export type * from './model/recommendation.js';
export type { IndexDef, IndexMethod, KeyColumn } from './model/index-def.js';
export { createIndexSql, dropIndexSql, indexName, recreateIndexSql } from './sql/ddl.js';

// migrations and apply
export {
  buildPlan,
  candidateSteps,
  selectSteps,
  DROP_CHECKS,
  type MigrationPlan,
  type PlanStep,
  type CreateStep,
  type DropStep,
  type PlanSelection,
} from './migrate/plan.js';
export { parsePlanInput, type PlanInput, type RecommendationInput } from './migrate/inputs.js';
export { loadPlan, type LoadPlanOptions, type LoadedPlan } from './migrate/load.js';
export { planSql, type StepSql } from './migrate/statements.js';
export { DIALECTS, type Dialect } from './sql/dialect.js';
export { writeMigration, type WriteMigrationOptions, type WrittenMigration } from './migrate/write.js';
export { FORMATS, type FormatId, type MigrationFormat, type MigrationOutput } from './migrate/formats/format.js';
export { migrationFormat } from './migrate/formats/index.js';
export { applyPlan } from './apply/apply.js';
export { ApplyLockedError } from './apply/errors.js';
export { APPLY_LOCK_KEY } from './apply/lock.js';
export { APPLY_APPLICATION_NAME } from './apply/session.js';
export type { ApplyOptions, ApplySummary, ApplyEvent, StepResult, StepStatus } from './apply/types.js';

// index usage
export {
  topIndexesByScans,
  unusedIndexes,
  type TopIndexes,
  type UnusedIndexesOptions,
  type IndexUsage,
  type StatsAge,
  type UnusedIndex,
} from './health/usage.js';

// health and monitoring
export { runHealth, selectChecks, type HealthOptions, type HealthReport } from './health/run.js';
export { CHECKS, findCheck } from './health/catalogue.js';
export type { Check, CheckContext, Threshold } from './health/check.js';
export type { Finding, Severity } from './model/finding.js';
export { takeSnapshot, type Snapshot } from './monitor/snapshot.js';
export { openStore, snapshot, report as monitorReport } from './monitor/monitor.js';
export { describeLastUsed, type LastUsed, usageReport, type MonitorReport } from './monitor/report.js';

// verify and report
export { measureWorkload, trialAdvice, type VerifyOptions, type TrialResult } from './verify/verify.js';
export { compareMeasurements } from './verify/compare.js';
export type { Measurement, QueryMeasurement, Comparison, QueryComparison } from './model/measurement.js';
export { collectReport, type ReportOptions } from './report/collect.js';
export { renderReport, writeReport } from './report/write.js';
export type { ReportData } from './report/data.js';

// the dashboard
export {
  serveDashboard,
  serveFleetDashboard,
  type DashboardOptions,
  type Dashboard,
  type FleetDashboardOptions,
  type FleetDashboard,
} from './serve/dashboard.js';
export { readAuth, AUTH_ENV, type Auth } from './serve/security.js';
// fleets: many databases, one command
export { loadFleet, parseFleet, selectMembers, type Fleet, type FleetMember } from './fleet/fleet-file.js';
export { runFleet, FLEET_DEFAULTS, type MemberOutcome, type RunOptions as FleetRunOptions } from './fleet/runner.js';
export { schemaFingerprint } from './fleet/schema-fingerprint.js';
export { schemaGroups, findGroup, type SchemaGroup } from './fleet/groups.js';
export { mergeWorkloads } from './fleet/workload-merge.js';
export { fleetHealth, type FleetHealthOptions, type HealthJson } from './fleet/health.js';
export { fleetAdvise, pickGroupAdvice, type AdvisedGroups, type FleetAdviseOptions, type GroupAdvice } from './fleet/advise.js';
export { fleetVerify, type FleetVerifyMode, type FleetVerifyOptions, type VerifyJson } from './fleet/verify.js';
export type { FleetResult, FleetDatabase } from './fleet/result.js';
export { rollout, groupPlan, newRollout, type RolloutOptions, type RolloutResult, type MemberRollout } from './fleet/rollout.js';
export { readRolloutState, rolloutStatePath, writeRolloutState, type RolloutState } from './fleet/rollout-state.js';
export { fleetReport, type FleetReportOptions } from './fleet/report.js';
export type { FleetReportRow } from './fleet/report-html.js';
export {
  openQueue,
  enqueueHealth,
  enqueueAdvise,
  enqueueAnalyze,
  enqueueSnapshot,
  enqueueVerify,
  enqueueReport,
  writeQueuedReport,
  startWorker,
  runStatus,
  waitUntilDone,
  QUEUED_COMMANDS,
  FLEET_QUEUE,
  type Queue,
  type QueueOptions,
  type FleetJob,
  type RunStatus,
  type MemberStatus,
  type MemberState,
  type WorkerOptions,
  type WaitOptions,
  type QueuedHealthOptions,
  type QueuedAdviseOptions,
  type QueuedAnalyzeOptions,
  type QueuedSnapshotOptions,
  type QueuedVerifyOptions,
  type QueuedReportOptions,
} from './fleet/queue/index.js';
export { fleetAnalyze, fleetSnapshot, type FleetAnalyzeOptions } from './fleet/analyze-snapshot.js';
