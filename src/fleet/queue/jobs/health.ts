/** `health --fleet F --queue URL`: a job per member, its `health --json`. */
import type { FleetMember } from '../../fleet-file.js';
import { type FleetHealthOptions, healthOfMember } from '../../health.js';
import type { Queue } from '../connection.js';
import { enqueueFleet } from '../enqueue.js';
import type { MemberCommand } from '../job.js';

export type QueuedHealthOptions = Pick<FleetHealthOptions, 'checks' | 'skipChecks' | 'thresholds' | 'timeoutMs'>;

export const healthJob: MemberCommand<QueuedHealthOptions> = {
  command: 'health',
  runMember: (member, signal, options) => healthOfMember(member, signal, options),
};

/** Queues one health job per member; returns the run's id. */
export function enqueueHealth(queue: Queue, members: readonly FleetMember[], options: QueuedHealthOptions): Promise<string> {
  return enqueueFleet(queue, healthJob, members, options);
}
