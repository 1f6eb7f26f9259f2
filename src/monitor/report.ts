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
}

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

/** Sum of a counter's increases over consecutive snapshots, resets accounted for. */
function increase<T>(
  snapshots: readonly Snapshot[],
  resets: readonly boolean[],
  find: (s: Snapshot) => T | undefined,
  value: (item: T) => number,
): number {
  let total = 0;
  for (let i = 1; i < snapshots.length; i++) {
    const now = find(snapshots[i] as Snapshot);
    if (now === undefined) continue;
    const then = find(snapshots[i - 1] as Snapshot);
    total += resets[i - 1] || then === undefined ? value(now) : Math.max(0, value(now) - value(then));
  }
  return total;
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
    const scans = increase(snapshots, resets, find, (i) => i.scans);
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
