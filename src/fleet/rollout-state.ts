/**
 * Where a rollout (`apply --fleet … --group NAME`) keeps its progress: one JSON file per
 * fleet file and group, next to the monitor's store. A re-run reads it, skips the members
 * already done and goes on with the same plan and the same members.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { MigrationPlan } from '../migrate/plan.js';
import { defaultStorePath } from '../monitor/sqlite-store.js';

export const MEMBER_STATUSES = ['pending', 'done', 'failed'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export interface RolloutMember {
  readonly name: string;
  readonly status: MemberStatus;
  readonly error?: string;
}

export interface RolloutState {
  readonly fleet: string;
  readonly group: string;
  readonly schemaFingerprint: string;
  readonly plan: MigrationPlan;
  /** In rollout order. */
  readonly members: readonly RolloutMember[];
  readonly startedAt: string;
}

/** `<monitor store's folder>/rollouts/<group>-<hash of the fleet file's path>.json`. */
export function rolloutStatePath(fleetFile: string, group: string): string {
  const hash = createHash('sha256').update(resolve(fleetFile)).digest('hex').slice(0, 8);
  return join(dirname(defaultStorePath()), 'rollouts', `${group.replace(/[^\w.-]/g, '_')}-${hash}.json`);
}

export function readRolloutState(path: string): RolloutState | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw new InputError(`cannot read the rollout state ${path}: ${String(error)}`);
  }
  try {
    return JSON.parse(text) as RolloutState;
  } catch {
    throw new InputError(`the rollout state ${path} is not valid JSON: remove it to start the rollout again`);
  }
}

/** Written to a temporary file and renamed: a kill mid-write leaves the previous state whole. */
export function writeRolloutState(path: string, state: RolloutState): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, path);
}

export function withMemberStatus(state: RolloutState, name: string, status: MemberStatus, error?: string): RolloutState {
  return {
    ...state,
    members: state.members.map((m) => (m.name === name ? { name, status, ...(error === undefined ? {} : { error }) } : m)),
  };
}
