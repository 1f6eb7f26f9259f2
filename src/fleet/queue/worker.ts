/** `indexwise worker`: takes jobs, runs each with its command's own code, writes the result to the central store. */
import { hostname } from 'node:os';
import { runFleet } from '../runner.js';
import type { Queue } from './connection.js';
import { type FleetJob, type GroupJob, type MemberJob, resolved } from './job.js';
import { GROUP_COMMANDS, isQueuedCommand, MEMBER_COMMANDS } from './registry.js';
import { writeResult } from './store.js';

export interface WorkerOptions {
  /** Jobs at once in this process. */
  readonly concurrency?: number;
  readonly onJob?: (job: FleetJob, phase: 'taking' | 'done') => void;
}

async function runMemberJob(queue: Queue, job: MemberJob, worker: string): Promise<void> {
  // a job a newer indexwise queued: failing it lets pg-boss retry it elsewhere
  if (!isQueuedCommand(job.command)) throw new Error(`this worker cannot run ${job.command} jobs: update indexwise`);
  const kind = MEMBER_COMMANDS[job.command];
  const member = resolved(job.member);
  const [outcome] = await runFleet([member], (m, signal) => kind.runMember(m, signal, job.options, job.input), {
    timeoutMs: job.options.timeoutMs,
  });
  await writeResult(queue, job.run, outcome, member.name, worker);
  await kind.afterMember?.(queue, job.run, job.options);
}

async function runGroupJob(queue: Queue, job: GroupJob, worker: string): Promise<void> {
  const kind = GROUP_COMMANDS[job.command];
  if (kind === undefined) throw new Error(`this worker cannot run ${job.command} jobs: update indexwise`);
  await kind.runGroup(queue, job, worker);
}

/** Takes jobs until stopped: `concurrency` at a time. Returns a function that stops it. */
export async function startWorker(queue: Queue, options: WorkerOptions = {}): Promise<() => Promise<void>> {
  const worker = `${process.pid}@${hostname()}`;
  for (let i = 0; i < Math.max(1, options.concurrency ?? 1); i++) {
    await queue.work<FleetJob>(async (job) => {
      options.onJob?.(job, 'taking');
      if ('group' in job) await runGroupJob(queue, job, worker);
      else await runMemberJob(queue, job, worker);
      options.onJob?.(job, 'done');
    });
  }
  return () => queue.stop(true);
}
