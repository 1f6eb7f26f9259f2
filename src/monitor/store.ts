/**
 * Where snapshots are kept: a local SQLite file (the default, so snapshotting never
 * writes to the monitored database) or, when asked, a table in the monitored database.
 * Snapshots are stored whole, as JSON, one row each.
 */
import type { Snapshot } from './snapshot.js';

export interface SnapshotStore {
  save(snapshot: Snapshot): Promise<void>;
  /** Snapshots of one database taken at or after `since`, oldest first. */
  list(database: string, since: Date): Promise<Snapshot[]>;
  /** The databases that have snapshots. */
  databases(): Promise<string[]>;
  close(): Promise<void>;
}
