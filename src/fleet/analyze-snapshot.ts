/** `analyze --fleet` and `monitor snapshot --fleet`: the single-database command on every member. */
import { openStore, snapshot } from '../monitor/monitor.js';
import type { Snapshot } from '../monitor/snapshot.js';
import { type AnalyzeReport, analyzeDatabase } from '../workload/analyze.js';
import type { CollectOptions } from '../workload/collect.js';
import { parseSourceSpec } from '../workload/collect.js';
import type { FleetMember } from './fleet-file.js';
import { schemaGroups } from './groups.js';
import { withMember } from './member.js';
import { type FleetResult, type MemberRun, fingerprintsOf, fleetDatabases } from './result.js';
import { type RunOptions, runFleet } from './runner.js';
import { schemaFingerprint } from './schema-fingerprint.js';

export interface FleetAnalyzeOptions extends RunOptions {
  /** Workload sources for members whose fleet entry names none. */
  readonly from?: readonly string[];
  readonly collect?: Omit<CollectOptions, 'onProgress'>;
}

/** One member's `analyze --json` (in-process and queued alike). */
export function analyzeMember(
  member: FleetMember,
  signal: AbortSignal,
  options: Omit<FleetAnalyzeOptions, keyof RunOptions>,
): Promise<MemberRun<AnalyzeReport>> {
  return withMember(member, signal, { readOnly: true }, async (engine) => {
    const from = member.from.length > 0 ? member.from : (options.from ?? []);
    const { report, catalog } = await analyzeDatabase(engine, from.map(parseSourceSpec), options.collect);
    return { result: report, schemaFingerprint: schemaFingerprint(catalog) };
  });
}

export async function fleetAnalyze(
  members: readonly FleetMember[],
  options: FleetAnalyzeOptions = {},
): Promise<FleetResult<AnalyzeReport>> {
  const outcomes = await runFleet(members, (member, signal) => analyzeMember(member, signal, options), options);
  return { databases: fleetDatabases(outcomes), groups: schemaGroups(fingerprintsOf(outcomes)) };
}

/** Each member's usage counters into the store (`--store`, as for one database: a SQLite file, or table:… in each member). */
export async function fleetSnapshot(
  members: readonly FleetMember[],
  options: RunOptions & { readonly store?: string } = {},
): Promise<FleetResult<Snapshot>> {
  const outcomes = await runFleet(members, (member, signal) => snapshotMember(member, signal, options.store), options);
  return { databases: fleetDatabases(outcomes), groups: schemaGroups(fingerprintsOf(outcomes)) };
}

/**
 * One member's `monitor snapshot --json`, its counters written to `store` as opened where this
 * runs (a queued snapshot: on the worker's machine).
 */
export function snapshotMember(member: FleetMember, signal: AbortSignal, store: string | undefined): Promise<MemberRun<Snapshot>> {
  const readOnly = !(store?.startsWith('table:') ?? false);
  return withMember(member, signal, { readOnly }, async (engine) => {
    const opened = await openStore(store, engine);
    try {
      const taken = await snapshot(engine, opened);
      return { result: taken, schemaFingerprint: schemaFingerprint(await engine.catalog()) };
    } finally {
      await opened.close();
    }
  });
}
