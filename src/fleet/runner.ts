/**
 * Runs one task per fleet member, at most `concurrency` at a time, each within its own
 * time limit. A member's failure is its own: it is recorded and the others go on.
 */
import { oneLine } from '../errors.js';

export const FLEET_DEFAULTS = { concurrency: 4, timeoutMs: 300_000 } as const;

export interface MemberOutcome<T> {
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly result?: T;
  readonly seconds: number;
}

export interface RunOptions {
  readonly concurrency?: number;
  /** Per member; 0 or undefined: the default. */
  readonly timeoutMs?: number;
  /** Called as each member finishes (progress). */
  readonly onDone?: (outcome: MemberOutcome<unknown>, done: number, total: number) => void;
}

/**
 * A member's task gets a signal that fires at its timeout: it closes what it opened
 * (its connections), so a stuck query does not outlive the member.
 */
export type MemberTask<M, T> = (member: M, signal: AbortSignal) => Promise<T>;

/** Anything run per name: a fleet member, a schema group. */
interface Named {
  readonly name: string;
}

async function runOne<M extends Named, T>(member: M, task: MemberTask<M, T>, timeoutMs: number): Promise<MemberOutcome<T>> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`timed out after ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`));
    }, timeoutMs);
  });
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const result = await Promise.race([task(member, controller.signal), timeout]);
    return { name: member.name, ok: true, result, seconds: seconds() };
  } catch (error) {
    return { name: member.name, ok: false, error: oneLine(error), seconds: seconds() };
  } finally {
    clearTimeout(timer);
  }
}

/** Outcomes in the members' order, whatever order they finished in. */
export async function runFleet<M extends Named, T>(
  members: readonly M[],
  task: MemberTask<M, T>,
  options: RunOptions = {},
): Promise<MemberOutcome<T>[]> {
  const concurrency = Math.max(1, options.concurrency ?? FLEET_DEFAULTS.concurrency);
  const timeoutMs = options.timeoutMs || FLEET_DEFAULTS.timeoutMs;
  const outcomes: MemberOutcome<T>[] = new Array(members.length);
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < members.length) {
      const i = next++;
      const outcome = await runOne(members[i] as M, task, timeoutMs);
      outcomes[i] = outcome;
      options.onDone?.(outcome, ++done, members.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, members.length) }, lane));
  return outcomes;
}
