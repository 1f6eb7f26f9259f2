/** `monitor`: take a snapshot into a store; report usage over a window. */
import { describeTarget, parseConnectionString } from '../engines/connection-string.js';
import type { Engine } from '../engines/engine.js';
import { InputError } from '../errors.js';
import { type MonitorReport, usageReport } from './report.js';
import { type Snapshot, takeSnapshot } from './snapshot.js';
import { defaultStorePath, openSqliteStore } from './sqlite-store.js';
import type { SnapshotStore } from './store.js';
import { openTableStore } from './table-store.js';

export interface StoreOptions {
  /**
   * Only read the store (`monitor report`): a store that does not exist yet is not
   * created — a missing file reads as empty, a missing table is an error.
   */
  readonly readOnly?: boolean;
}

/** `PATH` (a SQLite file of indexwise's) or `table:SCHEMA.NAME` (in the monitored database, only when asked). */
export async function openStore(spec: string | undefined, engine: Engine | null, options: StoreOptions = {}): Promise<SnapshotStore> {
  const text = spec ?? defaultStorePath();
  const table = /^table:(?:("?)([^".]+)\1\.)?("?)([^".]+)\3$/.exec(text);
  if (table) {
    if (engine === null) throw new InputError('--store table:… keeps snapshots in the monitored database: pass --db');
    return openTableStore(engine, table[2] ?? 'public', table[4] as string, options);
  }
  if (/^table:/i.test(text)) throw new InputError('--store table: needs a table, as table:NAME or table:SCHEMA.NAME');
  return openSqliteStore(text, options);
}

export async function snapshot(engine: Engine, store: SnapshotStore): Promise<Snapshot> {
  const taken = await takeSnapshot(engine);
  await store.save(taken);
  return taken;
}

export async function report(store: SnapshotStore, database: string | undefined, since: Date): Promise<MonitorReport> {
  const known = await store.databases();
  const chosen = database ?? (known.length === 1 ? known[0] : undefined);
  if (chosen === undefined) {
    throw new InputError(
      known.length === 0
        ? 'the store has no snapshots yet: run indexwise monitor snapshot'
        : `the store has several databases, pass --db: ${known.join(', ')}`,
    );
  }
  return usageReport(chosen, await store.list(chosen, since));
}

/** The key a database's snapshots are stored under, from its connection string. */
export function databaseKey(url: string): string {
  return describeTarget(parseConnectionString(url));
}
