/**
 * A group's advice rolled out member by member (`apply --fleet F --group NAME`), each with
 * the single-database safeguards of `apply` (lock timeouts, retries, invalid indexes
 * cleaned up). It stops at the first failure unless told to go on; its state is saved
 * after every member, so a re-run picks up where it stopped.
 */
import { applyPlan } from '../apply/apply.js';
import type { ApplyOptions, ApplySummary } from '../apply/types.js';
import { connect } from '../engines/connect.js';
import { oneLine } from '../errors.js';
import { buildPlan, type MigrationPlan } from '../migrate/plan.js';
import { parsePlanInput } from '../migrate/inputs.js';
import type { AdviceReport } from '../model/recommendation.js';
import type { FleetMember } from './fleet-file.js';
import type { SchemaGroup } from './groups.js';
import { type RolloutState, withMemberStatus, writeRolloutState } from './rollout-state.js';

export interface RolloutOptions {
  /** Where the state is saved after each member. */
  readonly statePath: string;
  /** Go on with the next member after a failure (default: stop). */
  readonly continueOnFailure?: boolean;
  readonly apply?: Omit<ApplyOptions, 'reconnect' | 'signal'>;
  readonly signal?: AbortSignal;
  /** A member starts (position counts from 1 over the whole group). */
  readonly onMember?: (name: string, position: number, total: number) => void;
}

export interface MemberRollout {
  readonly name: string;
  /** done-before: finished by an earlier run, skipped now. */
  readonly status: 'done' | 'done-before' | 'failed' | 'pending';
  readonly error?: string;
  readonly summary?: ApplySummary;
}

export interface RolloutResult {
  readonly group: string;
  readonly statePath: string;
  readonly members: readonly MemberRollout[];
  readonly complete: boolean;
}

/** The plan of a group's advice: its recommendations, created in order. */
export function groupPlan(report: AdviceReport, only: readonly string[] | null = null): MigrationPlan {
  return buildPlan([parsePlanInput(JSON.stringify(report), 'the group advice')], { only }, { dialect: 'postgres' });
}

export function newRollout(fleetFile: string, group: SchemaGroup, plan: MigrationPlan): RolloutState {
  return {
    fleet: fleetFile,
    group: group.name,
    schemaFingerprint: group.schemaFingerprint,
    plan,
    members: group.members.map((name) => ({ name, status: 'pending' as const })),
    startedAt: new Date().toISOString(),
  };
}

async function applyToMember(member: FleetMember, plan: MigrationPlan, options: RolloutOptions): Promise<ApplySummary> {
  if (member.url.startsWith('env:')) throw new Error(`environment variable ${member.url.slice(4)} is not set`);
  const engine = await connect(member.url, { writable: true });
  try {
    const { capabilities } = await engine.info();
    return await applyPlan(engine, plan, {
      ...options.apply,
      reconnect: capabilities.secondConnection ? () => connect(member.url) : undefined,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } finally {
    await engine.close();
  }
}

const failure = (summary: ApplySummary) => summary.steps.find((s) => s.status === 'failed')?.message ?? 'a step failed';

export async function rollout(initial: RolloutState, fleet: readonly FleetMember[], options: RolloutOptions): Promise<RolloutResult> {
  let state = initial;
  const results: MemberRollout[] = [];
  let stopped = false;
  for (const [i, { name, status }] of initial.members.entries()) {
    if (status === 'done') {
      results.push({ name, status: 'done-before' });
      continue;
    }
    if (stopped || options.signal?.aborted) {
      results.push({ name, status: 'pending' });
      continue;
    }
    options.onMember?.(name, i + 1, initial.members.length);
    const member = fleet.find((m) => m.name === name);
    let result: MemberRollout;
    try {
      if (member === undefined) throw new Error(`${name} is no longer in the fleet file`);
      const summary = await applyToMember(member, state.plan, options);
      result = summary.failed > 0 ? { name, status: 'failed', error: failure(summary), summary } : { name, status: 'done', summary };
    } catch (error) {
      result = { name, status: 'failed', error: oneLine(error) };
    }
    results.push(result);
    state = withMemberStatus(state, name, result.status === 'done' ? 'done' : 'failed', result.error);
    writeRolloutState(options.statePath, state);
    if (result.status === 'failed' && !options.continueOnFailure) stopped = true;
  }
  return {
    group: state.group,
    statePath: options.statePath,
    members: results,
    complete: results.every((r) => r.status === 'done' || r.status === 'done-before'),
  };
}
