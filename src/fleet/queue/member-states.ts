/** Each member's state in a queued run, from its result and its job's state in pg-boss (pure). */
export const MEMBER_STATES = ['queued', 'active', 'retrying', 'done', 'failed', 'lost'] as const;
export type MemberState = (typeof MEMBER_STATES)[number];

export interface MemberStatus {
  readonly name: string;
  readonly state: MemberState;
  /** Times pg-boss retried its job. */
  readonly retries: number;
  /** The worker (pid@host) that wrote its result. */
  readonly worker?: string;
}

/** pg-boss's job states, as a member's. */
function fromJob(state: string | undefined): MemberState {
  switch (state) {
    case 'active':
      return 'active';
    case 'retry':
      return 'retrying';
    // the job ended without writing a result: its retries used up, or cancelled
    case 'failed':
    case 'cancelled':
    case 'completed':
      return 'lost';
    default:
      return 'queued';
  }
}

/**
 * A member with a result is done (or failed, if its database failed); one without is as its
 * job is. A job can have two rows (queued and archived): the most advanced counts.
 */
export function memberStates(
  names: readonly string[],
  results: ReadonlyMap<string, { readonly ok: boolean; readonly worker: string }>,
  jobs: readonly { readonly name: string; readonly state: string; readonly retry_count: number }[],
): MemberStatus[] {
  return names.map((name) => {
    const own = jobs.filter((j) => j.name === name);
    const retries = Math.max(0, ...own.map((j) => j.retry_count));
    const result = results.get(name);
    if (result !== undefined) return { name, state: result.ok ? 'done' : 'failed', retries, worker: result.worker };
    const states = own.map((j) => fromJob(j.state));
    const state = (['active', 'retrying', 'queued', 'lost'] as const).find((s) => states.includes(s)) ?? 'queued';
    return { name, state, retries };
  });
}
