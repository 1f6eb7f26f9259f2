/**
 * Index usage for library users (the seed's IndexMonitor): the most scanned indexes,
 * and the unused ones with their sizes — the same counters and rules as the
 * unused-index health check.
 */
import type { Engine } from '../engines/engine.js';
import {
  DEFAULT_MIN_SCANS,
  DEFAULT_MIN_STATS_AGE_DAYS,
  findUnused,
  type IndexUsage,
  readIndexUsage,
  type StatsAge,
  type UnusedIndex,
} from './checks/unused-index.js';

export type { IndexUsage, StatsAge, UnusedIndex };

export interface TopIndexes {
  readonly indexes: readonly IndexUsage[];
  readonly age: StatsAge;
}

/** The `limit` indexes scanned most often since the statistics were reset, most scanned first. */
export async function topIndexesByScans(engine: Engine, limit = 10): Promise<TopIndexes> {
  const usage = await readIndexUsage(engine);
  const sorted = [...usage.indexes].sort((a, b) => b.scans - a.scans || b.bytes - a.bytes || a.index.name.localeCompare(b.index.name));
  return { indexes: sorted.slice(0, Math.max(0, limit)), age: usage.age };
}

export interface UnusedIndexesOptions {
  /** Fewer scans than this is unused (default 50, as `health --min-scans`). */
  readonly minScans?: number;
  /** Statistics younger than this give `verdict: false` (default 7, as `health --min-stats-age-days`). */
  readonly minStatsAgeDays?: number;
  /** Replicas whose scans count too, matched by schema and index name. */
  readonly replicas?: readonly Engine[];
}

/**
 * Indexes scanned fewer than `minScans` times on the engine and its replicas, largest
 * first; never a unique, primary-key, constraint or foreign-key index.
 */
export async function unusedIndexes(engine: Engine, options: UnusedIndexesOptions = {}): Promise<UnusedIndex[]> {
  const catalog = await engine.catalog();
  const primary = await readIndexUsage(engine);
  const replicas = await Promise.all((options.replicas ?? []).map((replica) => readIndexUsage(replica)));
  const unused = findUnused(catalog, primary, replicas, {
    minScans: options.minScans ?? DEFAULT_MIN_SCANS,
    minStatsAgeDays: options.minStatsAgeDays ?? DEFAULT_MIN_STATS_AGE_DAYS,
  });
  return unused.sort((a, b) => b.bytes - a.bytes || a.index.name.localeCompare(b.index.name));
}
