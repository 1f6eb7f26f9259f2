/**
 * A benchmark workload: statements read through the same path as `--from sql:FILE`
 * (sqlStatements → WorkloadCollector), then analyzed and turned into the advisor's
 * queries (texts to EXPLAIN, weights, tables). Every algorithm gets these.
 */
import { selectQueries, type AdvisorQuery } from '../../src/advisor/queries.js';
import { analyzeWorkload } from '../../src/analysis/analyze-workload.js';
import { loadParser } from '../../src/analysis/parse.js';
import type { Engine } from '../../src/engines/engine.js';
import type { Catalog } from '../../src/model/catalog.js';
import type { Workload } from '../../src/model/workload.js';
import { WorkloadCollector } from '../../src/workload/collector.js';
import { sqlStatements } from '../../src/workload/sources/sql-file.js';

export interface BenchWorkload {
  readonly name: string;
  readonly engine: Engine;
  readonly catalog: Catalog;
  readonly workload: Workload;
  readonly queries: readonly AdvisorQuery[];
  /** Queries costed by the evaluation only (not given to the advisors), e.g. TPC-H Q15 through a view. */
  readonly extraQueries: readonly AdvisorQuery[];
  /** Sum of the bytes of the workload's tables (heap only): the budgets are shares of it. */
  readonly dataBytes: number;
  /** Queries whose "cheaper by" is reported, by name. */
  readonly highlights: readonly string[];
  /** Closes the connection and drops the benchmark's database. */
  close(): Promise<void>;
}

/** Each part is one script (a file's text) with a source label; `name` names its statements when they have none. */
export interface ScriptPart {
  readonly text: string;
  readonly source: string;
  readonly name?: string;
}

export async function collectWorkload(parts: readonly ScriptPart[]): Promise<Workload> {
  await loadParser();
  const collector = new WorkloadCollector();
  for (const part of parts) {
    for (const statement of sqlStatements(part.text, part.source)) {
      collector.add(part.name === undefined || statement.name !== undefined ? statement : { ...statement, name: part.name });
    }
  }
  return collector.result();
}

/** The queries the advisor would cost, as `advise` selects them (no table filters). */
export function advisorQueries(workload: Workload, catalog: Catalog): AdvisorQuery[] {
  const analysis = analyzeWorkload(workload, catalog);
  const { queries, skipped } = selectQueries(analysis.queries, { includeTables: null, excludeTables: [], minCalls: 0 });
  for (const s of skipped) console.warn(`  skipped: ${s.reason}: ${s.sql.slice(0, 80)}`);
  return queries;
}

/** Heap bytes of the ordinary tables in `schema`. */
export function dataBytes(catalog: Catalog, schema: string): number {
  return catalog.tables.filter((t) => t.schema === schema && t.kind !== 'partition').reduce((sum, t) => sum + t.tableBytes, 0);
}

export function queryLabel(query: AdvisorQuery): string {
  return query.name ?? query.fingerprint;
}
