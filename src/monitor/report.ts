/**
 * Snapshots over a window → usage rates. Pure. Counters only grow until statistics
 * are reset; a reset between two snapshots (stats_reset changed, or a counter went
 * down) is detected, and the later value then counts from zero.
 */
import { qualifiedKey } from '../model/catalog.js';
import type { IndexCounters, Snapshot, TableCounters } from './snapshot.js';

export interface IndexUsageOverTime {
  readonly schema: string;
  readonly table: string;
  readonly index: string;
  readonly scans: number;
  readonly scansPerDay: number;
  readonly bytes: number;
  readonly growthBytes: number;
  readonly essential: boolean;
  /** No scan over the whole window (and not unique / enforcing a constraint). */
  readonly unused: boolean;
  /** When it was last scanned, as well as the server or the snapshots tell; null with fewer than two snapshots and no server time. */
  readonly lastUsed: LastUsed | null;
}

/** When an index was last scanned. */
export type LastUsed =
  /** The server's own time (pg_stat_user_indexes.last_idx_scan, PostgreSQL 16+). */
  | { readonly kind: 'at'; readonly at: string }
  /** Its scan counter grew between these two consecutive snapshots, and not after them. */
  | { readonly kind: 'between'; readonly after: string; readonly before: string }
  /** No scan since then: the first snapshot that saw it, or (from the server) the statistics reset. */
  | { readonly kind: 'not-since'; readonly since: string }
  /** The server has recorded no scan since its statistics began (never reset). */
  | { readonly kind: 'never' };

export interface TableUsageOverTime {
  readonly schema: string;
  readonly table: string;
  readonly seqScansPerDay: number;
  readonly indexScansPerDay: number;
  readonly writesPerDay: number;
  readonly bytes: number;
  readonly growthBytes: number;
}

export interface MonitorReport {
  readonly database: string;
  readonly snapshots: number;
  readonly from: string | null;
  readonly to: string | null;
  readonly days: number;
  /** Statistics resets seen between snapshots. */
  readonly resets: number;
  readonly indexes: readonly IndexUsageOverTime[];
  readonly tables: readonly TableUsageOverTime[];
}

function wasReset(a: Snapshot, b: Snapshot): boolean {
  if (a.statsReset !== b.statsReset) return true;
  const before = new Map(a.indexes.map((i) => [qualifiedKey(i.schema, i.index), i.scans]));
  if (b.indexes.some((i) => (before.get(qualifiedKey(i.schema, i.index)) ?? 0) > i.scans)) return true;
  const tables = new Map(a.tables.map((t) => [qualifiedKey(t.schema, t.table), t.seqScans + t.indexScans]));
  return b.tables.some((t) => (tables.get(qualifiedKey(t.schema, t.table)) ?? 0) > t.seqScans + t.indexScans);
}

/** A counter's increase from each snapshot to the next (one fewer than the snapshots), resets accounted for. */
function steps<T>(
  snapshots: readonly Snapshot[],
  resets: readonly boolean[],
  find: (s: Snapshot) => T | undefined,
  value: (item: T) => number,
): number[] {
  return snapshots.slice(1).map((snapshot, i) => {
    const now = find(snapshot);
    if (now === undefined) return 0;
    const then = find(snapshots[i] as Snapshot);
    return resets[i] || then === undefined ? value(now) : Math.max(0, value(now) - value(then));
  });
}

/** Sum of a counter's increases over consecutive snapshots, resets accounted for. */
function increase<T>(
  snapshots: readonly Snapshot[],
  resets: readonly boolean[],
  find: (s: Snapshot) => T | undefined,
  value: (item: T) => number,
): number {
  return steps(snapshots, resets, find, value).reduce((sum, n) => sum + n, 0);
}

/**
 * The server's time of an index's last scan, where it records one (PostgreSQL 16+);
 * undefined where it does not, and the snapshots must tell.
 */
export function serverLastUsed(counters: IndexCounters, statsReset: string | null): LastUsed | undefined {
  if (counters.lastScan === undefined) return undefined;
  if (counters.lastScan !== null) return { kind: 'at', at: counters.lastScan };
  return statsReset === null ? { kind: 'never' } : { kind: 'not-since', since: statsReset };
}

/** The last step at which the scan counter grew; with none, the first snapshot that saw the index. */
function lastGrowth(snapshots: readonly Snapshot[], scanSteps: readonly number[], find: (s: Snapshot) => unknown): LastUsed | null {
  if (snapshots.length < 2) return null;
  const step = scanSteps.findLastIndex((n) => n > 0);
  if (step >= 0)
    return { kind: 'between', after: (snapshots[step] as Snapshot).takenAt, before: (snapshots[step + 1] as Snapshot).takenAt };
  const firstSeen = snapshots.find((s) => find(s) !== undefined) ?? (snapshots[0] as Snapshot);
  return { kind: 'not-since', since: firstSeen.takenAt };
}

const minute = (iso: string) => iso.replace('T', ' ').slice(0, 16);

/** One line for a person: "2026-05-01 10:20 UTC", "between 2026-05-01 10:00 and 10:10 UTC", "not used since …", "n/a". */
export function describeLastUsed(last: LastUsed | null): string {
  if (last === null) return 'n/a';
  switch (last.kind) {
    case 'at':
      return `${minute(last.at)} UTC`;
    case 'between':
      // the second time without its date when both fall on the same day
      return `between ${minute(last.after)} and ${minute(last.before).slice(last.after.slice(0, 10) === last.before.slice(0, 10) ? 11 : 0)} UTC`;
    case 'not-since':
      return `not used since ${minute(last.since)} UTC`;
    case 'never':
      return 'never (since the statistics began)';
  }
}

export function usageReport(database: string, snapshots: readonly Snapshot[]): MonitorReport {
  const first = snapshots[0];
  const last = snapshots[snapshots.length - 1];
  const days = first && last ? Math.max((Date.parse(last.takenAt) - Date.parse(first.takenAt)) / 86_400_000, 1 / 1440) : 0;
  const resets = snapshots.slice(1).map((s, i) => wasReset(snapshots[i] as Snapshot, s));
  const perDay = (n: number) => (days > 0 ? n / days : 0);
  const indexes = (last?.indexes ?? []).map((current): IndexUsageOverTime => {
    const find = (s: Snapshot): IndexCounters | undefined =>
      s.indexes.find((i) => i.schema === current.schema && i.index === current.index);
    const scanSteps = steps(snapshots, resets, find, (i) => i.scans);
    const scans = scanSteps.reduce((sum, n) => sum + n, 0);
    const firstSeen = snapshots.map(find).find((i) => i !== undefined) ?? current;
    return {
      schema: current.schema,
      table: current.table,
      index: current.index,
      scans,
      scansPerDay: perDay(scans),
      bytes: current.bytes,
      growthBytes: current.bytes - firstSeen.bytes,
      essential: current.essential,
      unused: snapshots.length >= 2 && scans === 0 && !current.essential,
      lastUsed: serverLastUsed(current, last?.statsReset ?? null) ?? lastGrowth(snapshots, scanSteps, find),
    };
  });
  const tables = (last?.tables ?? []).map((current): TableUsageOverTime => {
    const find = (s: Snapshot): TableCounters | undefined => s.tables.find((t) => t.schema === current.schema && t.table === current.table);
    const firstSeen = snapshots.map(find).find((t) => t !== undefined) ?? current;
    return {
      schema: current.schema,
      table: current.table,
      seqScansPerDay: perDay(increase(snapshots, resets, find, (t) => t.seqScans)),
      indexScansPerDay: perDay(increase(snapshots, resets, find, (t) => t.indexScans)),
      writesPerDay: perDay(increase(snapshots, resets, find, (t) => t.inserts + t.updates + t.deletes)),
      bytes: current.bytes,
      growthBytes: current.bytes - firstSeen.bytes,
    };
  });
  return {
    database,
    snapshots: snapshots.length,
    from: first?.takenAt ?? null,
    to: last?.takenAt ?? null,
    days,
    resets: resets.filter(Boolean).length,
    indexes: indexes.sort((a, b) => b.scans - a.scans || a.index.localeCompare(b.index)),
    tables,
  };
}

/** Per snapshot: each index's scans since the first snapshot, resets accounted for (for a usage chart). */
export function cumulativeScans(snapshots: readonly Snapshot[]): { takenAt: string; scans: Record<string, number> }[] {
  const totals: Record<string, number> = {};
  return snapshots.map((snapshot, i) => {
    const previous = snapshots[i - 1];
    const reset = previous !== undefined && wasReset(previous, snapshot);
    for (const index of snapshot.indexes) {
      const key = qualifiedKey(index.schema, index.index);
      const before = previous?.indexes.find((x) => x.schema === index.schema && x.index === index.index);
      const delta = previous === undefined ? 0 : reset || before === undefined ? index.scans : Math.max(0, index.scans - before.scans);
      totals[key] = (totals[key] ?? 0) + delta;
    }
    return { takenAt: snapshot.takenAt, scans: { ...totals } };
  });
}
