/**
 * Triggers' statements as part of the workload. A write that fires a trigger also runs
 * the trigger's statements (NEW.x and OLD.x as parameters), as often as the write runs:
 * their reads may want an index, and their writes make the indexes of the tables they
 * touch cost more. Triggers that fire triggers are followed a few levels deep. Pure:
 * the catalog says which triggers exist (SQLite reads them from sqlite_schema).
 */
import { analyzeWorkload } from '../analysis/analyze-workload.js';
import type { TableWrite } from '../model/analysis.js';
import { type Catalog, sameName, type Trigger } from '../model/catalog.js';
import type { Workload, WorkloadQuery } from '../model/workload.js';
import { WorkloadCollector } from './collector.js';

const MAX_DEPTH = 8;

export function fires(trigger: Trigger, write: TableWrite): boolean {
  if (!sameName(trigger.table, write.table)) return false;
  if (write.kind === 'merge') return trigger.event !== 'delete';
  if (write.kind !== trigger.event) return false;
  return trigger.event !== 'update' || trigger.columns.length === 0 || write.updatedColumns.some((c) => trigger.columns.includes(c));
}

/** The writes a set of queries makes, with the calls behind each. */
function writesOf(queries: readonly WorkloadQuery[], catalog: Catalog): { write: TableWrite; calls: number }[] {
  const analysis = analyzeWorkload({ queries, skipped: [], utility: {}, timed: false }, catalog);
  return analysis.queries.flatMap((item) => (item.analysis?.writes ?? []).map((write) => ({ write, calls: item.query.calls })));
}

/** The statements of the triggers these writes fire, as workload queries. */
function fired(triggers: readonly Trigger[], writes: readonly { write: TableWrite; calls: number }[]): WorkloadQuery[] {
  const collector = new WorkloadCollector();
  for (const trigger of triggers) {
    const calls = writes.filter((w) => fires(trigger, w.write)).reduce((sum, w) => sum + w.calls, 0);
    if (calls === 0) continue;
    for (const sql of trigger.statements) collector.add({ sql, calls, name: `trigger ${trigger.name}`, source: `trigger:${trigger.name}` });
  }
  return [...collector.result().queries];
}

/** Adds up two lists of queries by fingerprint. */
function merge(into: Map<string, WorkloadQuery>, queries: readonly WorkloadQuery[]): void {
  for (const query of queries) {
    const known = into.get(query.fingerprint);
    into.set(
      query.fingerprint,
      known === undefined
        ? query
        : { ...known, calls: known.calls + query.calls, sources: [...new Set([...known.sources, ...query.sources])].sort() },
    );
  }
}

/** The workload with the statements of the triggers it fires; the same workload when there are none. */
export function withTriggerStatements(workload: Workload, catalog: Catalog): Workload {
  const triggers = catalog.triggers ?? [];
  if (triggers.length === 0) return workload;
  const all = new Map<string, WorkloadQuery>();
  merge(all, workload.queries);
  let level: readonly WorkloadQuery[] = workload.queries;
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0; depth++) {
    level = fired(triggers, writesOf(level, catalog));
    merge(all, level);
  }
  return { ...workload, queries: [...all.values()] };
}
