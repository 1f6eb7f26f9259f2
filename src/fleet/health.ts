/** `health --fleet`: the check catalogue on every member, and the members grouped by schema. */
import { runHealth, type HealthOptions } from '../health/run.js';
import type { Finding } from '../model/finding.js';
import { collectWorkload, parseSourceSpec } from '../workload/collect.js';
import type { FleetMember } from './fleet-file.js';
import { withMember } from './member.js';
import { type FleetResult, type MemberRun, fingerprintsOf, fleetDatabases } from './result.js';
import { type RunOptions, runFleet } from './runner.js';
import { schemaFingerprint } from './schema-fingerprint.js';
import { schemaGroups } from './groups.js';

/** The single-database `health --json`. */
export interface HealthJson {
  readonly checks: readonly string[];
  readonly findings: readonly Finding[];
}

export type FleetHealthOptions = Omit<HealthOptions, 'replicas' | 'workload'> & RunOptions;

export async function healthOfMember(
  member: FleetMember,
  signal: AbortSignal,
  options: FleetHealthOptions,
): Promise<MemberRun<HealthJson>> {
  return withMember(member, signal, { readOnly: true }, async (engine) => {
    const workload = member.from.length > 0 ? await collectWorkload(engine, member.from.map(parseSourceSpec)) : undefined;
    const report = await runHealth(engine, {
      checks: options.checks,
      skipChecks: options.skipChecks,
      // the fleet file's thresholds for this database over the command line's
      thresholds: { ...options.thresholds, ...member.thresholds },
      ...(workload === undefined ? {} : { workload }),
    });
    return { result: { checks: report.checks, findings: report.findings }, schemaFingerprint: schemaFingerprint(await engine.catalog()) };
  });
}

export async function fleetHealth(members: readonly FleetMember[], options: FleetHealthOptions = {}): Promise<FleetResult<HealthJson>> {
  const outcomes = await runFleet(members, (member, signal) => healthOfMember(member, signal, options), options);
  return { databases: fleetDatabases(outcomes), groups: schemaGroups(fingerprintsOf(outcomes)) };
}
