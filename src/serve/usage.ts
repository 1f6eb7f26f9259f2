/** Usage over time from the monitor store: the report's own functions (usageReport, cumulativeScans) over the served database's snapshots. */
import { qualifiedKey } from '../model/catalog.js';
import { type LastUsed, type MonitorReport, cumulativeScans, serverLastUsed, usageReport } from '../monitor/report.js';
import type { Snapshot } from '../monitor/snapshot.js';
import type { ServedDatabase } from './database.js';

/** The window of snapshots the pages read. */
export const USAGE_WINDOW_MS = 30 * 86_400_000;

export interface Usage {
  readonly snapshots: readonly Snapshot[];
  readonly report: MonitorReport | null;
  readonly series: ReturnType<typeof cumulativeScans>;
}

export async function readUsage(db: ServedDatabase): Promise<Usage> {
  const snapshots = db.store === null ? [] : await db.store.list(db.target, new Date(Date.now() - USAGE_WINDOW_MS));
  return {
    snapshots,
    report: snapshots.length > 0 ? usageReport(db.target, snapshots) : null,
    series: cumulativeScans(snapshots),
  };
}

/**
 * Each index's last use (schema.index keys): the server's own time from the live counters
 * where it records one (PostgreSQL 16+), else what the monitor report made of the snapshots.
 */
export function lastUses(live: Snapshot | null, report: MonitorReport | null): Map<string, LastUsed | null> {
  const uses = new Map<string, LastUsed | null>((report?.indexes ?? []).map((u) => [qualifiedKey(u.schema, u.index), u.lastUsed]));
  for (const counters of live?.indexes ?? []) {
    const server = serverLastUsed(counters, live?.statsReset ?? null);
    if (server !== undefined) uses.set(qualifiedKey(counters.schema, counters.index), server);
  }
  return uses;
}

/** The time a last use sorts by: its latest possible moment; never used sorts first, unknown before that. */
export function lastUsedSort(last: LastUsed | null | undefined): number {
  if (last === null || last === undefined) return -1;
  if (last.kind === 'at') return Date.parse(last.at);
  if (last.kind === 'between') return Date.parse(last.before);
  return 0;
}

const PALETTE = ['#2d6cdf', '#d9534f', '#5cb85c', '#f0ad4e', '#6f42c1', '#20c997', '#e83e8c', '#6c757d', '#17a2b8', '#343a40'];

/** A Chart.js line chart of cumulative scans for the given indexes (schema.index keys). */
export function scansChart(series: Usage['series'], keys: readonly string[]): object {
  return {
    type: 'line',
    data: {
      labels: series.map((pt) => pt.takenAt.replace('T', ' ').slice(0, 16)),
      datasets: keys.map((key, i) => ({
        label: key,
        data: series.map((pt) => pt.scans[key] ?? 0),
        borderColor: PALETTE[i % PALETTE.length],
        fill: false,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, title: { display: true, text: 'scans since the first snapshot' } } },
    },
  };
}
