/** `fleet status`: where a queued run stands, and its `{ databases, groups }` so far. */
import type { GroupAdvice } from '../advise.js';
import { schemaGroups } from '../groups.js';
import type { FleetResult } from '../result.js';
import type { Queue } from './connection.js';
import { groupsOf } from './jobs/advise.js';
import { type MemberStatus, memberStates } from './member-states.js';
import { groupRows, jobRows, type ResultRow, resultRows, retriedJobs, runRow } from './store.js';

export interface RunStatus {
  readonly run: string;
  readonly command: string;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  /** Members not done yet; for advise, then the schema groups whose advice is not done. */
  readonly pending: readonly string[];
  /** Jobs pg-boss retried (their worker died or they failed). */
  readonly retried: number;
  /** Every member's state, in the fleet file's order. */
  readonly members: readonly MemberStatus[];
  readonly result: FleetResult<unknown, GroupAdvice | { readonly error: string }>;
}

async function groupAdvice(queue: Queue, run: string): Promise<Map<string, GroupAdvice | { error: string }>> {
  const rows = await groupRows(queue, run);
  return new Map(rows.map((g) => [g.name, g.ok && g.advice ? (g.advice as GroupAdvice) : { error: g.error ?? 'failed' }]));
}

/** The run `run` names, or the latest; null when there is none. Databases in the fleet file's order. */
export async function runStatus(queue: Queue, run?: string): Promise<RunStatus | null> {
  const found = await runRow(queue, run ?? null);
  if (found === undefined) return null;
  // the jobs before the results: a job seen completed has written its result, so it is not taken for lost
  const jobs = await jobRows(queue, found.run);
  const byName = await resultRows(queue, found.run);
  const finished = found.members.filter((n) => byName.has(n));
  const databases = finished.map((name) => {
    const r = byName.get(name) as ResultRow;
    return r.ok ? { name, ok: true, result: r.result } : { name, ok: false, error: r.error ?? 'failed' };
  });
  const pending = found.members.filter((n) => !byName.has(n));
  let groups: RunStatus['result']['groups'] = schemaGroups(
    finished.map((name) => ({ name, fingerprint: byName.get(name)?.schema_fingerprint ?? null })),
  );
  if (found.command === 'advise' && pending.length === 0) {
    const advice = await groupAdvice(queue, found.run);
    groups = groupsOf(found, byName).map((g) => (advice.has(g.name) ? { ...g, advice: advice.get(g.name) } : g));
    pending.push(...groups.filter((g) => !advice.has(g.name)).map((g) => g.name));
  }
  return {
    run: found.run,
    command: found.command,
    total: found.members.length,
    done: finished.length,
    failed: databases.filter((d) => !d.ok).length,
    pending,
    retried: await retriedJobs(queue, found.run),
    members: memberStates(found.members, byName, jobs),
    result: { databases, groups },
  };
}
