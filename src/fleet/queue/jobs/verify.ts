/**
 * `verify --fleet F --queue URL`: a job per member, its `verify --json`. A comparison's
 * baseline and a trial's advice are files on the submitting machine, out of a worker's reach:
 * each member's part of them travels in its own job, in the central store.
 */
import type { FleetMember } from '../../fleet-file.js';
import { type FleetVerifyMode, type FleetVerifyOptions, verifyMember } from '../../verify.js';
import type { Measurement } from '../../../model/measurement.js';
import type { Recommendation } from '../../../model/recommendation.js';
import { oneLine } from '../../../errors.js';
import type { Queue } from '../connection.js';
import { enqueueFleet } from '../enqueue.js';
import type { MemberCommand } from '../job.js';

export type QueuedVerifyOptions = Pick<FleetVerifyOptions, 'verify' | 'from' | 'collect' | 'timeoutMs'>;

/** One member's share of the mode: its baseline, its advice, or why it has none. */
export type MemberVerifyInput =
  | { readonly kind: 'baseline' }
  | { readonly kind: 'compare'; readonly before: Measurement }
  | { readonly kind: 'trial'; readonly advice: readonly Recommendation[] }
  | { readonly kind: 'missing'; readonly error: string };

/** What the lookups of `mode` give `member` (evaluated where the files are). */
export function memberInput(mode: FleetVerifyMode, member: string): MemberVerifyInput {
  try {
    if (mode.kind === 'compare') return { kind: 'compare', before: mode.baselineOf(member) };
    if (mode.kind === 'trial') return { kind: 'trial', advice: mode.adviceFor(member) };
    return { kind: 'baseline' };
  } catch (error) {
    return { kind: 'missing', error: oneLine(error) };
  }
}

/** The mode again, on the worker, from one member's input. */
function modeOf(input: MemberVerifyInput): FleetVerifyMode {
  switch (input.kind) {
    case 'compare':
      return { kind: 'compare', baselineOf: () => input.before };
    case 'trial':
      return { kind: 'trial', adviceFor: () => input.advice };
    case 'missing':
      throw new Error(input.error);
    default:
      return { kind: 'baseline' };
  }
}

export const verifyJob: MemberCommand<QueuedVerifyOptions, MemberVerifyInput> = {
  command: 'verify',
  runMember: async (member, signal, options, input) => verifyMember(member, signal, modeOf(input), options),
};

export function enqueueVerify(
  queue: Queue,
  members: readonly FleetMember[],
  mode: FleetVerifyMode,
  options: QueuedVerifyOptions,
): Promise<string> {
  return enqueueFleet(queue, verifyJob, members, options, (member) => memberInput(mode, member.name));
}
