/**
 * Fleets past one machine: the per-database work of a fleet command queued as jobs on a
 * central PostgreSQL (pg-boss), taken by `indexwise worker` processes anywhere, each result
 * written to a table there in the same JSON as the in-process `--json`.
 */
export { FLEET_QUEUE, openQueue, type Queue, type QueueOptions } from './connection.js';
export type { FleetJob } from './job.js';
export { QUEUED_COMMANDS, type QueuedCommand } from './registry.js';
export { enqueueHealth, type QueuedHealthOptions } from './jobs/health.js';
export { enqueueAdvise, type QueuedAdviseOptions } from './jobs/advise.js';
export { enqueueAnalyze, type QueuedAnalyzeOptions } from './jobs/analyze.js';
export { enqueueSnapshot, type QueuedSnapshotOptions } from './jobs/snapshot.js';
export { enqueueVerify, type QueuedVerifyOptions } from './jobs/verify.js';
export { enqueueReport, writeQueuedReport, type QueuedReportOptions } from './jobs/report.js';
export { startWorker, type WorkerOptions } from './worker.js';
export { runStatus, type RunStatus } from './status.js';
export { type MemberState, type MemberStatus } from './member-states.js';
export { waitUntilDone, type WaitOptions } from './wait.js';
