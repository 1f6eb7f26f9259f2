/** The advice as data: recommendations with their evidence, per-query costs, statistics. */
import type { EngineInfo } from '../engines/engine.js';
import type { WhatIfMethod } from '../engines/what-if.js';
import { createIndexSql, indexName, keySql } from '../sql/ddl.js';
import { formatQualified, quoteIdent } from '../sql/names.js';
import type { AdviceReport, CostedQueryReport, Recommendation, SkippedQuery } from '../model/recommendation.js';
import type { Catalog } from '../model/catalog.js';
import type { IndexCandidate } from './candidates.js';
import { plannedIndex, replacedIndexes } from './replaces.js';
import type { AdvisorQuery } from './queries.js';
import type { Selection, Selector } from './select.js';
import type { WhatIfCoster } from './what-if.js';

export interface ReportInput {
  readonly info: EngineInfo;
  readonly catalog: Catalog;
  readonly method: WhatIfMethod;
  readonly coster: WhatIfCoster;
  readonly selector: Selector<AdvisorQuery & { readonly baseCost: number }>;
  readonly selection: Selection;
  readonly queries: readonly (AdvisorQuery & { readonly baseCost: number })[];
  readonly candidates: readonly IndexCandidate[];
  readonly sizes: ReadonlyMap<string, number>;
  readonly writePenalties: ReadonlyMap<string, number>;
  readonly workloadQueries: number;
  readonly skipped: readonly SkippedQuery[];
  readonly started: number;
}

export async function buildReport(input: ReportInput): Promise<AdviceReport> {
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
  for (const query of input.queries) {
    const after = await input.selector.effective(query, chosen);
    const used = after < query.baseCost ? (await input.coster.cost(query, chosen)).used.filter((id) => chosen.has(id)) : [];
    queries.push({
      fingerprint: query.fingerprint,
      sql: query.sql,
      ...(query.name === undefined ? {} : { name: query.name }),
      weight: query.weight,
      costBefore: query.baseCost,
      costAfter: after,
      uses: used.map(sqlOf),
    });
    for (const id of used) {
      const entry = helped.get(id) ?? { before: 0, after: 0, fingerprints: [] };
      entry.before += query.weight * query.baseCost;
      entry.after += query.weight * after;
      entry.fingerprints.push(query.fingerprint);
      helped.set(id, entry);
    }
  }
  const total = input.selection.costBefore || 1;
  const recommendations: Recommendation[] = [...chosen].map((id) => {
    const def = (byId.get(id) as IndexCandidate).def;
    const evidence = helped.get(id) ?? { before: 0, after: 0, fingerprints: [] };
    return {
      table: formatQualified(def.table),
      columns: def.keys.map((k) => keySql(k, input.info.family)),
      include: def.include.map(quoteIdent),
      where: def.where,
      method: 'btree',
      name: indexName(def),
      sql: sqlOf(id),
      estimatedBytes: input.sizes.get(id) ?? 0,
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
  const notes = [
    ...(input.method === 'transaction'
      ? ['No HypoPG here: each candidate index was really built inside a transaction that was rolled back (sizes are exact).']
      : []),
    ...(input.coster.backend.notes ?? []),
  ];
  return {
    engine: input.info.kind,
    serverVersion: input.info.serverVersion,
    whatIf: input.method,
    notes,
    workload: { queries: input.workloadQueries, costed: input.queries.length, skipped: input.skipped },
    cost: { before: input.selection.costBefore, after: input.selection.costAfter },
    recommendations,
    replaces,
    queries,
    stats: {
      candidates: input.candidates.length,
      whatIfCalls: input.coster.stats.whatIfCalls,
      cacheHitRate: input.coster.cacheHitRate(),
      seconds: (performance.now() - input.started) / 1000,
    },
  };
}
