/**
 * `verify --fleet`: measured execution on every member, each on its own workload — a
 * baseline, a comparison with that member's earlier baseline, or a trial of the advice
 * meant for it (its schema group's): built in a transaction, measured, rolled back.
 */
import type { Comparison, Measurement } from '../model/measurement.js';
import type { Recommendation } from '../model/recommendation.js';
import { compareMeasurements } from '../verify/compare.js';
import { measureWorkload, type TrialResult, trialAdvice, type VerifyOptions } from '../verify/verify.js';
import type { CollectOptions } from '../workload/collect.js';
import { memberWorkload } from './advise.js';
import type { FleetMember } from './fleet-file.js';
import { schemaGroups } from './groups.js';
import { withMember } from './member.js';
import { type FleetResult, type MemberRun, fingerprintsOf, fleetDatabases } from './result.js';
import { type RunOptions, runFleet } from './runner.js';
import { schemaFingerprint } from './schema-fingerprint.js';

/**
 * What is measured on each member. The lookups throw for a member they have nothing for
 * (no baseline, no advice): that member fails, the others go on.
 */
export type FleetVerifyMode =
  | { readonly kind: 'baseline' }
  | { readonly kind: 'compare'; readonly baselineOf: (member: string) => Measurement }
  | { readonly kind: 'trial'; readonly adviceFor: (member: string) => readonly Recommendation[] };

/** Each member's result: the single-database `verify --json` of that mode. */
export type VerifyJson = Measurement | Comparison | TrialResult;

export interface FleetVerifyOptions extends RunOptions {
  readonly verify?: Omit<VerifyOptions, 'onProgress' | 'pinned'>;
  /** Workload sources for members whose fleet entry names none (default: pg_stat_statements). */
  readonly from?: readonly string[];
  readonly collect?: Omit<CollectOptions, 'onProgress'>;
}

/** One member's `verify --json` in `mode` (in-process and queued alike). */
export async function verifyMember(
  member: FleetMember,
  signal: AbortSignal,
  mode: FleetVerifyMode,
  options: Omit<FleetVerifyOptions, keyof RunOptions>,
): Promise<MemberRun<VerifyJson>> {
  // the lookup first: a member with nothing to compare or try is not connected to
  const before = mode.kind === 'compare' ? mode.baselineOf(member.name) : undefined;
  const advice = mode.kind === 'trial' ? mode.adviceFor(member.name) : undefined;
  return withMember(member, signal, { readOnly: true }, async (engine) => {
    const workload = await memberWorkload(engine, member, options);
    const catalog = await engine.catalog();
    const fingerprint = schemaFingerprint(catalog);
    if (advice !== undefined) {
      return { result: await trialAdvice(engine, workload, catalog, advice, options.verify), schemaFingerprint: fingerprint };
    }
    // compare runs the baseline's own statements and values again, as for one database
    const now = await measureWorkload(engine, workload, catalog, { ...options.verify, pinned: before });
    return { result: before === undefined ? now : compareMeasurements(before, now), schemaFingerprint: fingerprint };
  });
}

export async function fleetVerify(
  members: readonly FleetMember[],
  mode: FleetVerifyMode,
  options: FleetVerifyOptions = {},
): Promise<FleetResult<VerifyJson>> {
  const outcomes = await runFleet(members, (member, signal) => verifyMember(member, signal, mode, options), options);
  return { databases: fleetDatabases(outcomes), groups: schemaGroups(fingerprintsOf(outcomes)) };
}
