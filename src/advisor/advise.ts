/**
 * `advise`, orchestration only: analyzed workload → candidates → what-if costing →
 * selection → report. The pieces are in candidates.ts, what-if.ts, select.ts.
 */
import { analyzeWorkload } from '../analysis/analyze-workload.js';
import { loadParser } from '../analysis/parse.js';
import type { Engine, EngineInfo } from '../engines/engine.js';
import type { WhatIfMethod, WhatIfOptions } from '../engines/what-if.js';
import { InputError } from '../errors.js';
import type { Catalog } from '../model/catalog.js';
import type { AdviceReport, SkippedQuery } from '../model/recommendation.js';
import type { Workload } from '../model/workload.js';
import { withTriggerStatements } from '../workload/triggers.js';
import { generateCandidates, type IndexCandidate } from './candidates.js';
import { orBundles } from './or-bundles.js';
import { type AdvisorQuery, selectQueries } from './queries.js';
import { buildReport } from './report.js';
import { type SelectionCandidate, Selector } from './select.js';
import { tableKey, WhatIfCoster } from './what-if.js';
import { writePenalty, type WriteQuery } from './write-cost.js';

export interface AdviseOptions {
  readonly maxColumns?: number;
  readonly budgetBytes?: number | null;
  readonly maxIndexes?: number | null;
  readonly minImprovement?: number;
  readonly includeTables?: readonly string[] | null;
  readonly excludeTables?: readonly string[];
  readonly minCalls?: number;
  /** Leave out queries whose cost is already below this. */
  readonly minCost?: number;
  /** 'auto': HypoPG where installed, a rolled-back transaction on PGlite. */
  readonly whatIf?: 'auto' | WhatIfMethod;
  /** How the what-if backend works (sqlite-copy: whole copy or sampled copy). */
  readonly whatIfOptions?: WhatIfOptions;
  readonly onProgress?: (message: string) => void;
}

export async function chooseWhatIf(info: EngineInfo, requested: AdviseOptions['whatIf']): Promise<WhatIfMethod> {
  if (requested !== undefined && requested !== 'auto') return requested;
  if (info.capabilities.hypopg) return 'hypopg';
  if (info.kind === 'pglite') return 'transaction';
  if (info.family === 'sqlite') return 'sqlite-copy';
  throw new InputError(
    'HypoPG is not installed here: install it (CREATE EXTENSION hypopg), or pass --what-if transaction to build the candidates inside a rolled-back transaction (this takes locks: not on a busy production database)',
  );
}

export async function advise(engine: Engine, given: Workload, catalog: Catalog, options: AdviseOptions = {}): Promise<AdviceReport> {
  const started = performance.now();
  await loadParser();
  // a write also runs the statements of the triggers it fires (SQLite)
  const workload = withTriggerStatements(given, catalog);
  const info = await engine.info();
  const method = await chooseWhatIf(info, options.whatIf);
  const progress = options.onProgress ?? (() => {});
  const analysis = analyzeWorkload(workload, catalog);
  const { queries: selected, skipped: unusable } = selectQueries(analysis.queries, {
    includeTables: options.includeTables ?? null,
    excludeTables: options.excludeTables ?? [],
    minCalls: options.minCalls ?? 0,
  });
  // statements the collector could not parse come first: they never reached the analysis
  const skipped: SkippedQuery[] = [...workload.skipped.map((s) => ({ sql: s.sql, reason: s.reason })), ...unusable];
  const candidates = generateCandidates(
    selected.map((q) => ({ fingerprint: q.fingerprint, accesses: q.analysis.accesses })),
    catalog,
    {
      maxColumns: options.maxColumns ?? 3,
      includeColumns: info.capabilities.includeColumns,
      likePrefix: info.family === 'sqlite' ? 'nocase' : 'text_pattern_ops',
    },
  );
  progress(`${selected.length} queries to cost, ${candidates.length} candidate indexes, what-if by ${method}`);
  const backend = await engine.openWhatIf(method, options.whatIfOptions);
  try {
    const coster = new WhatIfCoster(backend, candidates);
    const { costed, baseline, rowsPerCall } = await costBaseline(coster, selected, options.minCost ?? 0, skipped);
    progress(`estimating sizes of ${candidates.length} candidates`);
    const sizes = new Map<string, number>();
    const usable: IndexCandidate[] = [];
    for (const candidate of candidates) {
      try {
        sizes.set(candidate.id, await coster.size(candidate));
        usable.push(candidate);
      } catch {
        // a candidate the database refuses (an operator class that does not fit the type): not offered
      }
    }
    const writers: WriteQuery[] = costed
      .filter((q) => q.writes.length > 0)
      .map((q) => ({ weight: q.weight, writes: q.writes, rowsPerCall: rowsPerCall.get(q.fingerprint) ?? 1 }));
    const selectionCandidates = usable.map((c): SelectionCandidate => ({
      id: c.id,
      table: tableKey(c.def.table),
      bytes: sizes.get(c.id) ?? 0,
      writePenalty: writePenalty(c.def, writers),
      widenings: widenings(c, usable),
      singleColumn: c.def.keys.length === 1 && c.def.include.length === 0 && c.def.where === null,
    }));
    const selectionQueries = costed
      .filter((q) => q.analysis.accesses.length > 0)
      .map((q) => ({ ...q, baseCost: baseline.get(q.fingerprint) ?? 0 }));
    progress('choosing indexes for the whole workload');
    const selector = new Selector(selectionQueries, selectionCandidates, async (q, config) => (await coster.cost(q, config)).cost, {
      budgetBytes: options.budgetBytes ?? null,
      maxIndexes: options.maxIndexes ?? null,
      minImprovement: options.minImprovement ?? 0.1,
      bundles: orBundles(
        selected.map((q) => ({ fingerprint: q.fingerprint, accesses: q.analysis.accesses })),
        usable,
      ),
    });
    const selection = await selector.select();
    return await buildReport({
      info,
      catalog,
      method,
      coster,
      selector,
      selection,
      queries: selectionQueries,
      candidates: usable,
      sizes,
      writePenalties: new Map(selectionCandidates.map((c) => [c.id, c.writePenalty])),
      workloadQueries: workload.queries.length,
      skipped,
      started,
    });
  } finally {
    await backend.close();
  }
}

/** Each query's cost with no candidate in place; queries that cannot be planned are skipped. */
async function costBaseline(coster: WhatIfCoster, queries: readonly AdvisorQuery[], minCost: number, skipped: SkippedQuery[]) {
  const costed: AdvisorQuery[] = [];
  const baseline = new Map<string, number>();
  const rowsPerCall = new Map<string, number>();
  for (const query of queries) {
    try {
      const { cost } = await coster.cost(query, new Set());
      if (cost < minCost) {
        skipped.push({ sql: query.sql, reason: `cost ${cost.toFixed(1)} is below --min-cost` });
        continue;
      }
      baseline.set(query.fingerprint, cost);
      if (query.writes.length > 0) rowsPerCall.set(query.fingerprint, await writtenRows(coster, query));
      costed.push(query);
    } catch (error) {
      skipped.push({ sql: query.sql, reason: `cannot plan: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return { costed, baseline, rowsPerCall };
}

/** Rows a write changes per call: the estimate under the ModifyTable node. */
async function writtenRows(coster: WhatIfCoster, query: AdvisorQuery): Promise<number> {
  const [text] = query.texts;
  if (text === undefined) return 1;
  const plan = await coster.backend.explain(text.sql, { generic: text.generic }, [], query.tables);
  const child = plan.plan.root.Plans?.[0];
  return Math.max(1, Number(child?.['Plan Rows'] ?? 1));
}

/** Candidates that extend this one: same table and predicate, its keys as their leading keys. */
function widenings(candidate: IndexCandidate, all: readonly IndexCandidate[]): string[] {
  const keys = candidate.def.keys;
  return all
    .filter((other) => {
      if (
        other.id === candidate.id ||
        tableKey(other.def.table) !== tableKey(candidate.def.table) ||
        other.def.where !== candidate.def.where
      )
        return false;
      if (other.def.keys.length < keys.length) return false;
      const leading = keys.every((k, i) => other.def.keys[i]?.column === k.column && other.def.keys[i]?.descending === k.descending);
      return leading && (other.def.keys.length > keys.length || other.def.include.length > candidate.def.include.length);
    })
    .map((other) => other.id);
}
