/**
 * `advise --fleet`: advice for every member on its own workload, then one advice per schema
 * group on the members' merged workload, costed on a representative member (the one with the
 * most data: its plans are the ones that matter most), naming the members whose own advice differs.
 */
import { advise, type AdviseOptions } from '../advisor/advise.js';
import { InputError } from '../errors.js';
import type { Catalog } from '../model/catalog.js';
import type { AdviceReport } from '../model/recommendation.js';
import type { Workload } from '../model/workload.js';
import { type CollectOptions, collectFrom, parseSourceSpec } from '../workload/collect.js';
import type { FleetMember } from './fleet-file.js';
import { findGroup, type SchemaGroup, schemaGroups } from './groups.js';
import { withMember } from './member.js';
import { type FleetResult, type MemberRun, fingerprintsOf, fleetDatabases } from './result.js';
import { type MemberOutcome, type RunOptions, runFleet } from './runner.js';
import { schemaFingerprint } from './schema-fingerprint.js';
import { mergeWorkloads } from './workload-merge.js';

export interface FleetAdviseOptions extends RunOptions {
  readonly advise?: Omit<AdviseOptions, 'onProgress' | 'onStep'>;
  /** Workload sources for members whose fleet entry names none (default: pg_stat_statements). */
  readonly from?: readonly string[];
  readonly collect?: Omit<CollectOptions, 'onProgress'>;
}

export interface GroupAdvice {
  /** The member the group's advice was costed on. */
  readonly representative: string;
  /** Members whose own advice names other indexes than the group's. */
  readonly differing: readonly {
    readonly member: string;
    readonly onlyInOwn: readonly string[];
    readonly onlyInGroup: readonly string[];
  }[];
  readonly report: AdviceReport;
}

export interface AdvisedMember extends MemberRun<AdviceReport> {
  readonly workload: Workload;
  /** Bytes of all its tables: the representative is the biggest member. */
  readonly bytes: number;
}

const tableBytes = (catalog: Catalog) => catalog.tables.reduce((sum, t) => sum + t.tableBytes, 0);

export async function memberWorkload(engine: Parameters<typeof collectFrom>[0], member: FleetMember, options: FleetAdviseOptions) {
  const from = member.from.length > 0 ? member.from : (options.from ?? []);
  return (await collectFrom(engine, from.map(parseSourceSpec), options.collect)).workload;
}

export async function adviseMember(member: FleetMember, signal: AbortSignal, options: FleetAdviseOptions): Promise<AdvisedMember> {
  return withMember(member, signal, { readOnly: true }, async (engine) => {
    const workload = await memberWorkload(engine, member, options);
    const catalog = await engine.catalog();
    const result = await advise(engine, workload, catalog, options.advise);
    return { result, workload, schemaFingerprint: schemaFingerprint(catalog), bytes: tableBytes(catalog) };
  });
}

const indexKey = (r: AdviceReport['recommendations'][number]) => r.sql;

function differing(group: readonly AdvisedMember[], names: readonly string[], report: AdviceReport): GroupAdvice['differing'] {
  const groupSet = new Set(report.recommendations.map(indexKey));
  return group.flatMap((m, i) => {
    const own = new Set(m.result.recommendations.map(indexKey));
    const onlyInOwn = [...own].filter((k) => !groupSet.has(k));
    const onlyInGroup = [...groupSet].filter((k) => !own.has(k));
    return onlyInOwn.length + onlyInGroup.length === 0 ? [] : [{ member: names[i] as string, onlyInOwn, onlyInGroup }];
  });
}

/** One group's advice: the merged workload costed on its biggest member. */
export async function adviseGroup(
  group: SchemaGroup,
  advised: ReadonlyMap<string, AdvisedMember>,
  members: readonly FleetMember[],
  options: FleetAdviseOptions,
  signal: AbortSignal,
): Promise<GroupAdvice> {
  const runs = group.members.map((name) => advised.get(name) as AdvisedMember);
  const best = runs.reduce((a, b, i) => (b.bytes > (runs[a] as AdvisedMember).bytes ? i : a), 0);
  const representative = members.find((m) => m.name === group.members[best]) as FleetMember;
  const workload = mergeWorkloads(runs.map((r) => r.workload));
  const report = await withMember(representative, signal, { readOnly: true }, async (engine) =>
    advise(engine, workload, await engine.catalog(), options.advise),
  );
  return { representative: representative.name, differing: differing(runs, group.members, report), report };
}

export async function fleetAdvise(
  members: readonly FleetMember[],
  options: FleetAdviseOptions = {},
): Promise<FleetResult<AdviceReport, GroupAdvice | { readonly error: string }>> {
  const outcomes: MemberOutcome<AdvisedMember>[] = await runFleet(
    members,
    (member, signal) => adviseMember(member, signal, options),
    options,
  );
  const advised = new Map(outcomes.flatMap((o) => (o.ok && o.result ? [[o.name, o.result] as const] : [])));
  const groups = schemaGroups(fingerprintsOf(outcomes));
  const groupOutcomes = await runFleet(groups, (group, signal) => adviseGroup(group, advised, members, options, signal), {
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
  });
  return {
    databases: fleetDatabases(outcomes),
    groups: groups.map((g, i) => {
      const o = groupOutcomes[i] as MemberOutcome<GroupAdvice>;
      return { ...g, advice: o.ok && o.result ? o.result : { error: o.error ?? 'failed' } };
    }),
  };
}

/** The groups of an `advise --fleet` result (or its saved `--json`), each with its advice or why it has none. */
export type AdvisedGroups = FleetResult<unknown, GroupAdvice | { readonly error: string }>['groups'];

/**
 * The group `name` names (a group's name, or one of its members) and that group's advice:
 * what `apply --fleet --group` rolls out and `verify --fleet --trial` builds on each member.
 */
export function pickGroupAdvice(groups: AdvisedGroups, name: string): { readonly group: SchemaGroup; readonly report: AdviceReport } {
  const group = findGroup(groups, name) as AdvisedGroups[number] | undefined;
  if (group === undefined)
    throw new InputError(
      `no schema group "${name}": the groups are ${groups.map((g) => `${g.name} (${g.members.join(', ')})`).join('; ')}`,
    );
  if (group.advice === undefined || 'error' in group.advice)
    throw new InputError(`group ${group.name} has no advice${group.advice ? `: ${group.advice.error}` : ''}`);
  return { group, report: group.advice.report };
}
