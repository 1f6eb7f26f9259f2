/**
 * `monitor snapshot --fleet F --queue URL`: a job per member, its `monitor snapshot --json`.
 * The store is opened by the worker: a SQLite path is a file on the worker's machine (one file
 * for the fleet only on a shared disk), `table:…` a table in each member, reachable from anywhere.
 */
import { snapshotMember } from '../../analyze-snapshot.js';
import type { FleetMember } from '../../fleet-file.js';
import type { Queue } from '../connection.js';
import { enqueueFleet } from '../enqueue.js';
import type { MemberCommand } from '../job.js';

export interface QueuedSnapshotOptions {
  readonly store?: string;
  readonly timeoutMs?: number;
}

export const snapshotJob: MemberCommand<QueuedSnapshotOptions> = {
  command: 'snapshot',
  runMember: (member, signal, options) => snapshotMember(member, signal, options.store),
};

export function enqueueSnapshot(queue: Queue, members: readonly FleetMember[], options: QueuedSnapshotOptions): Promise<string> {
  return enqueueFleet(queue, snapshotJob, members, options);
}
