/**
 * `--from pg_stat_activity --sample 10s`: samples the queries running in the
 * current database every 100 ms. Each sighting counts as one call; the texts carry
 * real values. A text cut off at track_activity_query_size fails to parse and is
 * reported as skipped.
 */
import type { Engine } from '../../engines/engine.js';
import type { RawStatement } from '../../model/workload.js';

export interface ActivitySampleOptions {
  readonly durationMs: number;
  readonly intervalMs?: number;
  readonly onProgress?: (elapsedMs: number) => void;
}

export async function sampleActivity(engine: Engine, options: ActivitySampleOptions): Promise<RawStatement[]> {
  const interval = options.intervalMs ?? 100;
  const started = Date.now();
  const seen: RawStatement[] = [];
  // One sighting per (backend, query start): a long query seen ten times ran once.
  const sightings = new Set<string>();
  while (Date.now() - started < options.durationMs) {
    const rows = await engine.query<{ pid: number; query_start: string; query: string }>(
      `SELECT pid, query_start::text AS query_start, query FROM pg_stat_activity
       WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()
         AND backend_type = 'client backend' AND query <> ''`,
    );
    for (const row of rows) {
      const key = `${row.pid}/${row.query_start}`;
      if (sightings.has(key)) continue;
      sightings.add(key);
      seen.push({ sql: row.query, source: 'pg_stat_activity' });
    }
    options.onProgress?.(Date.now() - started);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  return seen;
}
