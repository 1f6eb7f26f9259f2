/**
 * Measuring a workload with as many runs as a query's duration allows: a probe of one
 * run (after verify's warm-up) per query, then each query again with the runs of its
 * tier. Sub-millisecond queries get many runs, so their median and minimum are
 * steady; queries of seconds keep the probe's single run. A query that hits the
 * statement timeout is kept as "> timeout", a lower bound. The values the probe drew for
 * $n placeholders are pinned (pin.ts): every later run, and the measurement after
 * the advice (given the pinned workload back), asks for the same rows.
 */
import type { Engine } from '../../src/engines/engine.js';
import type { Catalog } from '../../src/model/catalog.js';
import type { Measurement, QueryMeasurement } from '../../src/model/measurement.js';
import type { Workload } from '../../src/model/workload.js';
import { measureWorkload } from '../../src/verify/verify.js';
import { pinWorkload } from './pin.js';

export interface Tier {
  /** Applies to queries whose probe took less than this many milliseconds. */
  readonly belowMs: number;
  readonly runs: number;
}

/** Odd run counts, so the median is one real run. */
export const TIERS: readonly Tier[] = [
  { belowMs: 20, runs: 51 },
  { belowMs: 200, runs: 15 },
  { belowMs: 2_000, runs: 5 },
];

export interface MeasureSettings {
  readonly timeoutMs: number;
  /** 'rollback' for databases the benchmark owns (the demo's writes run and are undone). */
  readonly writes: 'rollback' | 'skip';
  readonly onProgress?: (message: string) => void;
}

/** The runs a query gets after its probe; 1 (the probe itself) for long, timed-out or skipped ones. */
export function runsFor(probe: QueryMeasurement, tiers: readonly Tier[] = TIERS): number {
  if (probe.timedOut || probe.medianMs === null) return 1;
  const ms = probe.medianMs;
  return tiers.find((t) => ms < t.belowMs)?.runs ?? 1;
}

export function subset(workload: Workload, fingerprints: ReadonlySet<string>): Workload {
  return { ...workload, queries: workload.queries.filter((q) => fingerprints.has(q.fingerprint)) };
}

/** Fingerprints grouped by the runs `runsOf` gives them (only groups of more than one run). */
export function groupByRuns(
  queries: readonly QueryMeasurement[],
  runsOf: (q: QueryMeasurement) => number = runsFor,
): Map<number, Set<string>> {
  const groups = new Map<number, Set<string>>();
  for (const query of queries) {
    const runs = runsOf(query);
    if (runs <= 1) continue;
    const group = groups.get(runs) ?? new Set<string>();
    group.add(query.fingerprint);
    groups.set(runs, group);
  }
  return groups;
}

export interface TieredMeasurement {
  readonly measurement: Measurement;
  /** The workload with the values of this measurement pinned: measure it again to compare. */
  readonly pinned: Workload;
}

export async function measureTiered(
  engine: Engine,
  workload: Workload,
  catalog: Catalog,
  settings: MeasureSettings,
): Promise<TieredMeasurement> {
  const options = { timeoutMs: settings.timeoutMs, writes: settings.writes, onProgress: settings.onProgress };
  const probe = await measureWorkload(engine, workload, catalog, { ...options, runs: 1 });
  const pinned = pinWorkload(workload, probe);
  const measured = new Map(probe.queries.map((q) => [q.fingerprint, q]));
  for (const [runs, fingerprints] of groupByRuns(probe.queries)) {
    settings.onProgress?.(`${fingerprints.size} queries × ${runs} runs`);
    const again = await measureWorkload(engine, subset(pinned, fingerprints), catalog, { ...options, runs });
    for (const query of again.queries) measured.set(query.fingerprint, query);
  }
  return { measurement: { ...probe, queries: probe.queries.map((q) => measured.get(q.fingerprint) ?? q) }, pinned };
}
