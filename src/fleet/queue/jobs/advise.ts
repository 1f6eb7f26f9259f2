/**
 * `advise --fleet F --queue URL` takes two steps, as in-process: one job per member (its own
 * advice, and its workload kept for its group), then, once every member is done, one job per
 * schema group (the merged workload costed on the biggest member), queued by the worker that
 * finishes the last member (a singleton key per group and hour: two workers finishing at once
 * queue it once; were it queued twice, its result is written twice, the same).
 */
import { type AdvisedMember, adviseGroup, adviseMember, type FleetAdviseOptions } from '../../advise.js';
import type { FleetMember } from '../../fleet-file.js';
import { type SchemaGroup, schemaGroups } from '../../groups.js';
import { runFleet } from '../../runner.js';
import type { AdviceReport } from '../../../model/recommendation.js';
import type { Queue } from '../connection.js';
import { enqueueFleet } from '../enqueue.js';
import { expiry, type GroupCommand, type GroupJob, type MemberCommand, resolved } from '../job.js';
import { type ResultRow, type RunRow, resultRows, runRow, writeGroupResult } from '../store.js';

export type QueuedAdviseOptions = Pick<FleetAdviseOptions, 'advise' | 'from' | 'collect' | 'timeoutMs'>;

/** The run's schema groups, members in fleet order. */
export function groupsOf(found: RunRow, byName: ReadonlyMap<string, ResultRow>): SchemaGroup[] {
  return schemaGroups(found.members.map((name) => ({ name, fingerprint: byName.get(name)?.schema_fingerprint ?? null })));
}

/** After a member of an advise run: when none is left, one job per schema group. */
async function queueGroups(queue: Queue, run: string, options: QueuedAdviseOptions): Promise<void> {
  const found = await runRow(queue, run);
  if (found === undefined) return;
  const byName = await resultRows(queue, run);
  if (found.members.some((n) => !byName.has(n))) return;
  for (const group of groupsOf(found, byName)) {
    const job: GroupJob = { run, command: adviseGroupJob.command, group, options };
    await queue.send([job], { expireInSeconds: expiry(options.timeoutMs), singletonKey: `${run}/${group.name}` });
  }
}

export const adviseJob: MemberCommand<QueuedAdviseOptions> = {
  command: 'advise',
  runMember: (member, signal, options) => adviseMember(member, signal, options),
  afterMember: queueGroups,
};

/** advise's second step: the group's merged workload costed on its biggest member, written to group_results. */
export const adviseGroupJob: GroupCommand<QueuedAdviseOptions> = {
  command: 'advise-group',
  runGroup: async (queue, job, worker) => {
    const found = await runRow(queue, job.run);
    const byName = await resultRows(queue, job.run);
    const members = (found?.specs ?? []).map(resolved);
    const advised = new Map(
      job.group.members.map((name) => {
        const r = byName.get(name) as ResultRow;
        const member: AdvisedMember = {
          result: r.result as AdviceReport,
          schemaFingerprint: job.group.schemaFingerprint,
          workload: r.workload as AdvisedMember['workload'],
          bytes: Number(r.bytes),
        };
        return [name, member];
      }),
    );
    const [outcome] = await runFleet([job.group], (g, signal) => adviseGroup(g, advised, members, job.options, signal), {
      timeoutMs: job.options.timeoutMs,
    });
    if (outcome !== undefined) await writeGroupResult(queue, job.run, outcome, worker);
  },
};

export function enqueueAdvise(queue: Queue, members: readonly FleetMember[], options: QueuedAdviseOptions): Promise<string> {
  return enqueueFleet(queue, adviseJob, members, options);
}
