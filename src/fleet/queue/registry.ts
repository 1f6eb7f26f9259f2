/**
 * The queued commands, by name. Queuing another fleet command is one module in jobs/ (how it
 * runs one member, how it is enqueued) and its line here.
 */
import { adviseGroupJob, adviseJob } from './jobs/advise.js';
import { analyzeJob } from './jobs/analyze.js';
import { healthJob } from './jobs/health.js';
import { reportJob } from './jobs/report.js';
import { snapshotJob } from './jobs/snapshot.js';
import { verifyJob } from './jobs/verify.js';
import type { GroupCommand, MemberCommand, QueuedOptions } from './job.js';

export const QUEUED_COMMANDS = ['health', 'advise', 'analyze', 'snapshot', 'verify', 'report'] as const;
export type QueuedCommand = (typeof QUEUED_COMMANDS)[number];

type AnyMemberCommand = MemberCommand<QueuedOptions, unknown>;

export const MEMBER_COMMANDS: Readonly<Record<QueuedCommand, AnyMemberCommand>> = {
  health: healthJob,
  advise: adviseJob,
  analyze: analyzeJob,
  snapshot: snapshotJob,
  verify: verifyJob as AnyMemberCommand,
  report: reportJob,
};

/** Steps after the members: a job per schema group. */
export const GROUP_COMMANDS: Readonly<Record<string, GroupCommand<QueuedOptions>>> = {
  'advise-group': adviseGroupJob as GroupCommand<QueuedOptions>,
};

export const isQueuedCommand = (command: string): command is QueuedCommand => (QUEUED_COMMANDS as readonly string[]).includes(command);
