/**
 * One workload for a schema group: the members' workloads merged by query fingerprint
 * (the same shape on the same schema is the same query), calls, times and rows summed.
 */
import type { SkippedStatement, Workload, WorkloadQuery } from '../model/workload.js';

// as many as the collector keeps per query (WorkloadCollector maxSamples), so a merge equals one collection of every text
const MAX_SAMPLES = 3;

function mergeQuery(a: WorkloadQuery, b: WorkloadQuery): WorkloadQuery {
  const calls = a.calls + b.calls;
  const totalTimeMs = a.totalTimeMs + b.totalTimeMs;
  const name = a.name ?? b.name;
  return {
    fingerprint: a.fingerprint,
    sql: a.sql,
    samples: [...new Set([...a.samples, ...b.samples])].slice(0, MAX_SAMPLES),
    calls,
    totalTimeMs,
    meanTimeMs: calls > 0 ? totalTimeMs / calls : 0,
    rows: a.rows + b.rows,
    sources: [...new Set([...a.sources, ...b.sources])].sort(),
    ...(name === undefined ? {} : { name }),
  };
}

function mergeSkipped(lists: readonly (readonly SkippedStatement[])[]): SkippedStatement[] {
  const merged = new Map<string, SkippedStatement>();
  for (const s of lists.flat()) {
    const k = `${s.reason}\u0000${s.sql}`;
    const seen = merged.get(k);
    merged.set(k, seen ? { ...seen, count: seen.count + s.count } : s);
  }
  return [...merged.values()];
}

/** The workloads as one, ordered as the collector orders one (most total time, then calls, first). */
export function mergeWorkloads(workloads: readonly Workload[]): Workload {
  const queries = new Map<string, WorkloadQuery>();
  for (const q of workloads.flatMap((w) => w.queries)) {
    const seen = queries.get(q.fingerprint);
    queries.set(q.fingerprint, seen ? mergeQuery(seen, q) : q);
  }
  const utility: Record<string, number> = {};
  for (const [kind, count] of workloads.flatMap((w) => Object.entries(w.utility))) utility[kind] = (utility[kind] ?? 0) + count;
  return {
    queries: [...queries.values()].sort(
      (a, b) => b.totalTimeMs - a.totalTimeMs || b.calls - a.calls || a.fingerprint.localeCompare(b.fingerprint),
    ),
    skipped: mergeSkipped(workloads.map((w) => w.skipped)),
    utility,
    timed: workloads.some((w) => w.timed),
  };
}
