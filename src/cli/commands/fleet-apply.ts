/**
 * `apply --fleet F --group NAME`: a schema group's advice rolled out member by member,
 * resumable (see src/fleet/rollout.ts). The advice is a saved `advise --fleet --json`
 * (--input) or is worked out now over the fleet.
 */
import pc from 'picocolors';
import { renderDryRun } from '../../apply/report.js';
import { EXIT, InputError } from '../../errors.js';
import { type AdvisedGroups, fleetAdvise, pickGroupAdvice } from '../../fleet/advise.js';
import { type FleetMember } from '../../fleet/fleet-file.js';
import { groupPlan, newRollout, rollout, type RolloutResult } from '../../fleet/rollout.js';
import { readRolloutState, rolloutStatePath, type RolloutState, writeRolloutState } from '../../fleet/rollout-state.js';
import { readFleetAdvice } from '../input-files.js';
import type { ProgressFn } from '../progress.js';
import { collectOptions } from './analyze.js';
import { type FleetFlags, fleetMembers, openFleet, runOptions } from './fleet.js';
import type { PlanFlags } from './migrate.js';

export interface FleetApplyFlags extends PlanFlags, FleetFlags {
  group?: string;
  continue?: boolean;
  state?: string;
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
  lockTimeout: number;
  statementTimeout: number;
  concurrently: boolean;
  retries: number;
}

/** The groups of a saved `advise --fleet --json`, or of advice worked out now. */
async function fleetGroups(flags: FleetApplyFlags, members: readonly FleetMember[], log: ProgressFn): Promise<AdvisedGroups> {
  if (flags.input.length > 1) throw new InputError('apply --group takes one --input: a saved advise --fleet --json');
  const [input] = flags.input;
  if (input !== undefined) {
    return readFleetAdvice(input);
  }
  log('no --input: working out the fleet advice now');
  const result = await fleetAdvise(members, { from: flags.from, collect: collectOptions(flags), ...runOptions(flags, log) });
  return result.groups;
}

async function startRollout(flags: FleetApplyFlags, members: readonly FleetMember[], log: ProgressFn): Promise<RolloutState> {
  const { group, report } = pickGroupAdvice(await fleetGroups(flags, members, log), flags.group ?? '');
  return newRollout(flags.fleet ?? '', group, groupPlan(report, flags.only ?? null));
}

export async function applyOverFleet(flags: FleetApplyFlags, log: ProgressFn): Promise<void> {
  if (flags.group === undefined) throw new InputError('apply --fleet needs --group NAME: the schema group whose advice to roll out');
  if (flags.db !== undefined) throw new InputError('--fleet names the databases: leave out --db');
  const fleet = openFleet(flags);
  const statePath = flags.state ?? rolloutStatePath(flags.fleet ?? '', flags.group);
  const saved = readRolloutState(statePath);
  // --only-db / --exclude-db choose the databases live advice is worked out on; the rollout goes to every member of the group
  const state = saved ?? (await startRollout(flags, fleetMembers(flags, fleet), log));
  if (saved) log(`resuming the rollout of ${saved.group} from ${statePath}`);
  if (flags.dryRun) {
    process.stdout.write(
      `${renderDryRun(state.plan, { concurrently: flags.concurrently, lockTimeoutMs: flags.lockTimeout, statementTimeoutMs: flags.statementTimeout })}`,
    );
    process.stdout.write(`on ${state.members.map((m) => `${m.name} (${m.status})`).join(', ')}\n`);
    return;
  }
  if (!flags.yes) throw new InputError('a rollout changes every member of the group: pass --yes (or --dry-run to see the SQL)');
  if (!saved) writeRolloutState(statePath, state);
  const result = await rollout(state, fleet.members, {
    statePath,
    continueOnFailure: flags.continue,
    apply: {
      lockTimeoutMs: flags.lockTimeout,
      statementTimeoutMs: flags.statementTimeout,
      concurrently: flags.concurrently,
      retries: flags.retries,
    },
    onMember: (name, position, total) => log(`${position}/${total} ${name}`),
  });
  process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : renderRollout(result));
  if (!result.complete) process.exitCode = EXIT.findings;
}

function renderRollout(result: RolloutResult): string {
  const done = result.members.filter((m) => m.status === 'done' || m.status === 'done-before').length;
  const lines = result.members.map((m) => {
    const built = m.summary ? ` (built ${m.summary.built}, skipped ${m.summary.skipped})` : '';
    const status = m.status === 'failed' ? pc.red(`failed: ${m.error}`) : m.status === 'pending' ? pc.dim('pending') : pc.green(m.status);
    return `  ${m.name}  ${status}${built}`;
  });
  const next = result.complete ? '' : `\nRun the same command again to go on (state: ${result.statePath}).`;
  return `${pc.bold(`rollout of ${result.group}`)}: ${done}/${result.members.length} members done\n${lines.join('\n')}${next}\n`;
}
