/** The advice as data: recommendations with their evidence, per-query costs, statistics. */
import type { EngineInfo } from '../engines/engine.js';
import type { WhatIfMethod } from '../model/what-if.js';
import { createIndexSql, indexName, keySql } from '../sql/ddl.js';
import { formatQualified, quoteIdent } from '../sql/names.js';
import type { AdviceReport, CostedQueryReport, ExtensionStatus, Recommendation, SkippedQuery } from '../model/recommendation.js';
import { extensionsFor } from '../model/index-def.js';
import { extensionNotes, uncostedIndex } from './uncosted.js';
import type { Catalog } from '../model/catalog.js';
import type { PlanScan } from '../model/plan.js';
import type { IndexCandidate } from './candidates.js';
import { plannedIndex, replacedIndexes } from './replaces.js';
import type { AdvisorQuery } from './queries.js';
import type { CostModel } from './cost-model.js';
import type { ExplorationQuery } from './explore.js';
import type { PhaseClock } from './phases.js';
import type { Selection } from './select.js';
import type { WhatIfCoster } from './what-if.js';

export interface ReportInput {
  readonly info: EngineInfo;
  readonly catalog: Catalog;
  readonly method: WhatIfMethod;
  readonly coster: WhatIfCoster;
  readonly model: CostModel;
  readonly selection: Selection;
  readonly minImprovement: number;
  readonly queries: readonly (AdvisorQuery & ExplorationQuery & { readonly baseCost: number; readonly baseScans: readonly PlanScan[] })[];
  readonly candidates: readonly IndexCandidate[];
  /** Candidates the method could not cost, with why. */
  readonly uncosted: readonly { readonly candidate: IndexCandidate; readonly reason: string }[];
  readonly extensions: readonly ExtensionStatus[];
  readonly writePenalties: ReadonlyMap<string, number>;
  readonly workloadQueries: number;
  readonly skipped: readonly SkippedQuery[];
  readonly clock: PhaseClock;
  /** Selections made (each after the planner checked the one before). */
  readonly rounds: number;
}

/** A query's cost under the chosen indexes: the planner's own answer when it was asked, else the model's. */
function finalCost(
  input: ReportInput,
  query: ReportInput['queries'][number],
  chosen: ReadonlySet<string>,
): { cost: number; used: readonly string[] } {
  const offered = query.relevant.filter((id) => chosen.has(id));
  const known = offered.length === 0 ? { cost: query.baseCost, used: [] } : input.coster.cached(query, offered);
  const { cost, used } = known ?? input.model.estimate(query.fingerprint, chosen);
  // a change smaller than --min-improvement counts as none, as in the selection
  return query.baseCost - cost >= input.minImprovement * query.baseCost ? { cost, used } : { cost: query.baseCost, used: [] };
}

export function buildReport(input: ReportInput): AdviceReport {
  const chosen = new Set(input.selection.chosen);
  const byId = new Map(input.candidates.map((c) => [c.id, c]));
  const partitionedTables = new Set(input.catalog.tables.filter((t) => t.kind === 'partitioned').map((t) => formatQualified(t)));
  const isPartitioned = (def: IndexCandidate['def']) => partitionedTables.has(formatQualified(def.table));
  const sqlOf = (id: string) => {
    const def = (byId.get(id) as IndexCandidate).def;
    return createIndexSql(def, { concurrently: input.info.capabilities.concurrently && !isPartitioned(def), dialect: input.info.family });
  };
  const queries: CostedQueryReport[] = [];
  const helped = new Map<string, { before: number; after: number; fingerprints: string[] }>();
  let costBefore = 0;
  let costAfter = 0;
  for (const query of input.queries) {
    const { cost: after, used: planned } = finalCost(input, query, chosen);
    const used = planned.filter((id) => chosen.has(id));
    costBefore += query.weight * query.baseCost;
    costAfter += query.weight * after;
    queries.push({
      fingerprint: query.fingerprint,
      sql: query.sql,
      ...(query.name === undefined ? {} : { name: query.name }),
      weight: query.weight,
      costBefore: query.baseCost,
      costAfter: after,
      uses: used.map(sqlOf),
      scans: query.baseScans,
    });
    for (const id of used) {
      const entry = helped.get(id) ?? { before: 0, after: 0, fingerprints: [] };
      entry.before += query.weight * query.baseCost;
      entry.after += query.weight * after;
      entry.fingerprints.push(query.fingerprint);
      helped.set(id, entry);
    }
  }
  for (const id of chosen) costAfter += input.writePenalties.get(id) ?? 0;
  const total = costBefore || 1;
  const recommendations: Recommendation[] = [...chosen].map((id) => {
    const def = (byId.get(id) as IndexCandidate).def;
    const evidence = helped.get(id) ?? { before: 0, after: 0, fingerprints: [] };
    return {
      table: formatQualified(def.table),
      columns: def.keys.map((k) => keySql(k, input.info.family)),
      include: def.include.map(quoteIdent),
      where: def.where,
      method: def.method,
      extensions: extensionsFor(def),
      name: indexName(def),
      sql: sqlOf(id),
      estimatedBytes: input.coster.knownSize(id) ?? 0,
      queries: evidence.fingerprints,
      costBefore: evidence.before,
      costAfter: evidence.after,
      workloadShareSaved: (evidence.before - evidence.after) / total,
      writePenalty: input.writePenalties.get(id) ?? 0,
      index: def,
      partitioned: isPartitioned(def),
    };
  });
  recommendations.sort((a, b) => b.workloadShareSaved - a.workloadShareSaved);
  const replaces = replacedIndexes(
    input.info,
    input.catalog,
    recommendations.map((r) => plannedIndex(r.index, r.name, r.estimatedBytes)),
  );
  const uncosted = input.uncosted.map((u) => uncostedIndex(u.candidate, u.reason, input.info.capabilities.concurrently));
  const needed = new Set([...recommendations, ...uncosted].flatMap((r) => r.extensions));
  const notes = [
    ...(input.method === 'transaction'
      ? ['No HypoPG here: each candidate index was really built inside a transaction that was rolled back (sizes are exact).']
      : []),
    ...(input.coster.backend.notes ?? []),
    ...refusalNotes(input.coster),
    ...extensionNotes(needed, input.extensions),
    ...(input.clock.cuts.length > 0
      ? [`The search was cut at the time limit (--max-time): ${input.clock.cuts.join('; ')}. This is the best advice found until then.`]
      : []),
  ];
  input.clock.end('report');
  const costedQueries = input.queries.length;
  return {
    engine: input.info.kind,
    serverVersion: input.info.serverVersion,
    whatIf: input.method,
    notes,
    workload: { queries: input.workloadQueries, costed: input.queries.length, skipped: input.skipped },
    cost: { before: costBefore, after: costAfter },
    recommendations,
    uncosted,
    replaces,
    queries,
    stats: {
      candidates: input.candidates.length,
      whatIfCalls: input.coster.stats.whatIfCalls,
      whatIfCallsPerQuery: costedQueries === 0 ? 0 : input.coster.stats.whatIfCalls / costedQueries,
      cacheHitRate: input.coster.cacheHitRate(),
      connections: input.coster.laneCount,
      atoms: input.model.atomCount(),
      rounds: input.rounds,
      cut: input.clock.cuts.length > 0,
      seconds: input.clock.elapsedSeconds(),
      phases: { ...input.clock.seconds },
    },
  };
}

/** Candidates the database would not create are left out, and said so (one note, a few named). */
function refusalNotes(coster: WhatIfCoster): string[] {
  if (coster.refused.size === 0) return [];
  const named = [...coster.refused].slice(0, 3).map(([id, reason]) => `${id} (${reason})`);
  const more = coster.refused.size > named.length ? ` and ${coster.refused.size - named.length} more` : '';
  return [`Left out ${coster.refused.size} candidate index(es) the database would not create: ${named.join('; ')}${more}.`];
}
