/** `fleet status --wait [--timeout]`: polls until nothing is pending, or the time is up. */

export interface WaitOptions {
  /** Give up after this long; undefined: wait as long as it takes. */
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** For tests of the clock: the current time and a pause. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface Waited<S> {
  readonly status: S;
  /** Whether the time ran out with work still pending. */
  readonly timedOut: boolean;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `poll` again every `intervalMs` while `pending(status)`; the last status, and whether the time ran out. */
export async function waitUntilDone<S>(
  poll: () => Promise<S>,
  pending: (status: S) => boolean,
  options: WaitOptions = {},
): Promise<Waited<S>> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? pause;
  const interval = options.intervalMs ?? 1000;
  const deadline = options.timeoutMs === undefined ? Infinity : now() + options.timeoutMs;
  let status = await poll();
  while (pending(status)) {
    const left = deadline - now();
    if (left <= 0) return { status, timedOut: true };
    await sleep(Math.min(interval, left));
    status = await poll();
  }
  return { status, timedOut: false };
}
