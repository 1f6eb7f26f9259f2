/** `analyze --fleet F --queue URL`: a job per member, its `analyze --json`. */
import { analyzeMember, type FleetAnalyzeOptions } from '../../analyze-snapshot.js';
import type { FleetMember } from '../../fleet-file.js';
import type { Queue } from '../connection.js';
import { enqueueFleet } from '../enqueue.js';
import type { MemberCommand } from '../job.js';

export type QueuedAnalyzeOptions = Pick<FleetAnalyzeOptions, 'from' | 'collect' | 'timeoutMs'>;

export const analyzeJob: MemberCommand<QueuedAnalyzeOptions> = {
  command: 'analyze',
  runMember: (member, signal, options) => analyzeMember(member, signal, options),
};

export function enqueueAnalyze(queue: Queue, members: readonly FleetMember[], options: QueuedAnalyzeOptions): Promise<string> {
  return enqueueFleet(queue, analyzeJob, members, options);
}
