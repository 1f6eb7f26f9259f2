/** What a fleet command returns: `{ databases, groups }`, each database's `result` the single-database JSON. */
import type { SchemaGroup } from './groups.js';
import type { MemberOutcome } from './runner.js';

export interface FleetDatabase<T> {
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly result?: T;
}

export interface FleetResult<T, G = never> {
  readonly databases: readonly FleetDatabase<T>[];
  readonly groups: readonly (SchemaGroup & { readonly advice?: G })[];
}

/** What each member's task hands back: its single-database result and its schema fingerprint. */
export interface MemberRun<T> {
  readonly result: T;
  readonly schemaFingerprint: string;
}

export function fleetDatabases<T>(outcomes: readonly MemberOutcome<MemberRun<T>>[]): FleetDatabase<T>[] {
  return outcomes.map((o) =>
    o.ok && o.result ? { name: o.name, ok: true, result: o.result.result } : { name: o.name, ok: false, error: o.error ?? 'failed' },
  );
}

export function fingerprintsOf<T>(outcomes: readonly MemberOutcome<MemberRun<T>>[]): { name: string; fingerprint: string | null }[] {
  return outcomes.map((o) => ({ name: o.name, fingerprint: o.ok && o.result ? o.result.schemaFingerprint : null }));
}

/** Whether any database failed (the fleet command then exits 1). */
export function anyFailed(result: FleetResult<unknown, unknown>): boolean {
  return result.databases.some((d) => !d.ok);
}
