/** Queues a run: its row in the central store, then one job per member. */
import { randomUUID } from 'node:crypto';
import type { FleetMember } from '../fleet-file.js';
import type { Queue } from './connection.js';
import { expiry, type MemberCommand, type MemberJob, queuedMember, type QueuedOptions } from './job.js';
import { insertRun } from './store.js';

/** Returns the run's id, for `fleet status`. `inputFor` gives what one member alone needs (verify's baseline). */
export async function enqueueFleet<O extends QueuedOptions, I>(
  queue: Queue,
  kind: MemberCommand<O, I>,
  members: readonly FleetMember[],
  options: O,
  inputFor?: (member: FleetMember) => I,
): Promise<string> {
  const run = randomUUID();
  const specs = members.map(queuedMember);
  await insertRun(queue, run, kind.command, specs);
  const jobs: MemberJob[] = members.map((member, i) => ({
    run,
    command: kind.command,
    member: specs[i] as MemberJob['member'],
    options,
    ...(inputFor === undefined ? {} : { input: inputFor(member) }),
  }));
  await queue.send(jobs, { expireInSeconds: expiry(options.timeoutMs) });
  return run;
}
