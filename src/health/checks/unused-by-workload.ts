/**
 * unused-by-workload (SQLite): SQLite keeps no index usage counters, so the workload
 * is the evidence. Every query of the workload given with `--from` (and every
 * statement of the triggers its writes fire) is planned with EXPLAIN QUERY PLAN on the
 * file; an index no plan reads serves none of them and only costs every write. Never
 * reported: unique and primary-key indexes, one enforcing a constraint, one serving a
 * foreign key (the same rule as unused-index). Without a workload it finds nothing.
 * The evidence keeps the definition, to build the index again.
 */
import { costTexts } from '../../advisor/queries.js';
import { analyzeWorkload } from '../../analysis/analyze-workload.js';
import { loadParser } from '../../analysis/parse.js';
import type { Engine } from '../../engines/engine.js';
import type { Catalog, Index } from '../../model/catalog.js';
import type { Finding } from '../../model/finding.js';
import { formatQualified } from '../../sql/names.js';
import { indexesUsed } from '../../model/plan.js';
import type { Workload } from '../../model/workload.js';
import { withTriggerStatements } from '../../workload/triggers.js';
import type { Check, CheckContext } from '../check.js';
import { dropIndexFix } from '../../sql/fix.js';
import { keepReason } from './unused-index.js';

export interface WorkloadUsage {
  /** Index names (lower-case) some plan reads. */
  readonly used: ReadonlySet<string>;
  /** Queries that were planned. */
  readonly planned: number;
}

/** Plans every query of the workload (and the trigger statements it fires) and collects the indexes they read. */
export async function workloadIndexUsage(engine: Engine, workload: Workload, catalog: Catalog): Promise<WorkloadUsage> {
  await loadParser();
  const analysis = analyzeWorkload(withTriggerStatements(workload, catalog), catalog);
  const used = new Set<string>();
  let planned = 0;
  for (const item of analysis.queries) {
    if (item.analysis === null || item.analysis.noUserTables || item.analysis.unknownTables.length > 0) continue;
    for (const text of costTexts(item)) {
      try {
        const plan = await engine.explain(text.sql, { generic: text.generic });
        for (const name of indexesUsed(plan)) used.add(name.toLowerCase());
        planned++;
      } catch {
        // a statement the planner refuses uses no index
      }
    }
  }
  return { used, planned };
}

/** The indexes no plan of the workload reads and that have no other reason to exist. A pure rule. */
export function findUnusedByWorkload(catalog: Catalog, usage: WorkloadUsage): Index[] {
  if (usage.planned === 0) return [];
  return catalog.indexes.filter((index) => keepReason(catalog, index) === null && !usage.used.has(index.name.toLowerCase()));
}

function toFinding(context: CheckContext, index: Index, usage: WorkloadUsage): Finding {
  const name = formatQualified(index);
  return {
    check: 'unused-by-workload',
    severity: 'warning',
    table: formatQualified(index.table),
    index: name,
    message: `no plan of the workload's ${usage.planned} statements reads ${name}: it serves none of them and costs every write`,
    evidence: { bytes: index.bytes, statementsPlanned: usage.planned, definition: index.definition, recreateSql: `${index.definition};` },
    fixSql: dropIndexFix(context.info, context.catalog, index),
  };
}

export const unusedByWorkload: Check = {
  id: 'unused-by-workload',
  family: 'runtime',
  description: 'SQLite: indexes no plan of the workload (--from) reads: SQLite has no usage counters, so the plans are the evidence',
  thresholds: [],
  engines: ['sqlite'],
  async run(context) {
    if (context.workload === undefined || context.workload.queries.length === 0) return [];
    const usage = await workloadIndexUsage(context.engine, context.workload, context.catalog);
    return findUnusedByWorkload(context.catalog, usage).map((index) => toFinding(context, index, usage));
  },
};
