/**
 * `advise`, orchestration only: analyzed workload → candidates → baseline costs →
 * exploration (a few planner calls per query, kept as a cost model) → selection on the
 * model → verification of the chosen configuration (and selection again, until the
 * planner has nothing new to say) → report. The pieces are in candidates.ts,
 * relevance.ts, explore.ts, cost-model.ts, select.ts, report.ts.
 */
import { analyzeWorkload } from '../analysis/analyze-workload.js';
import { loadParser } from '../analysis/parse.js';
import type { Engine, EngineInfo } from '../engines/engine.js';
import type { WhatIfOptions } from '../engines/what-if.js';
import type { WhatIfMethod } from '../model/what-if.js';
import { qualifiedKey } from '../model/catalog.js';
import { InputError } from '../errors.js';
import { ADVISE_DEFAULTS } from '../model/advise-defaults.js';
import type { Catalog } from '../model/catalog.js';
import { extensionsFor } from '../model/index-def.js';
import type { AdviceReport, SkippedQuery } from '../model/recommendation.js';
import type { PlanScan } from '../model/plan.js';
import type { Workload } from '../model/workload.js';
import { withTriggerStatements } from '../workload/triggers.js';
import { generateCandidates, type IndexCandidate, wideningsOf } from './candidates.js';
import { CostModel } from './cost-model.js';
import { type ExplorationQuery, exploreQuery, forEachOnLanes, verifyQuery } from './explore.js';
import { DEFAULT_WHAT_IF_CONNECTIONS, openLanes } from './lanes.js';
import { orBundles } from './or-bundles.js';
import { PhaseClock, type AdvisePhase } from './phases.js';
import { type AdvisorQuery, selectQueries } from './queries.js';
import { candidatesByTable, frugalCandidates, relevantCandidates } from './relevance.js';
import { buildReport } from './report.js';
import { type Selection, type SelectionCandidate, Selector } from './select.js';
import { splitCostable } from './uncosted.js';
import { WhatIfCoster } from './what-if.js';
import { writePenalty, type WriteQuery } from './write-cost.js';

/** With a transaction what-if, a covering candidate holds at most this share of the row's width. */
const FRUGAL_ROW_SHARE = 0.5;
/** Selections and verifications at most (the planner usually has nothing new to say after two). */
const MAX_ROUNDS = 4;
/** Under --max-time, the share of the time the baseline and exploration may take. */
const EXPLORE_SHARE = 0.7;
/** … and the share after which no new verification round starts. */
const VERIFY_SHARE = 0.9;

export interface AdviseStep {
  readonly phase: AdvisePhase;
  readonly done: number;
  readonly total: number;
}

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
  /**
   * 'auto': HypoPG where installed, a rolled-back transaction on PGlite, a copy on SQLite.
   * 'hybrid' (a server with HypoPG): HypoPG, and a rolled-back build for GIN, GiST, SP-GiST.
   */
  readonly whatIf?: 'auto' | WhatIfMethod;
  /** How the what-if backend works (sqlite-copy: whole copy or sampled copy). */
  readonly whatIfOptions?: WhatIfOptions;
  /** Connections that plan in parallel (HypoPG on a server; default 4). */
  readonly whatIfConnections?: number;
  /** Stop searching after this many milliseconds and return the best advice found so far. */
  readonly maxTimeMs?: number;
  readonly onProgress?: (message: string) => void;
  /** Progress within the long phases (baseline, explore, verify), for a bar with an ETA. */
  readonly onStep?: (step: AdviseStep) => void;
}

export async function chooseWhatIf(info: EngineInfo, requested: AdviseOptions['whatIf']): Promise<WhatIfMethod> {
  const methods = info.capabilities.whatIfMethods;
  if (requested !== undefined && requested !== 'auto') {
    if (methods.includes(requested)) return requested;
    const needsHypoPg = (requested === 'hypopg' || requested === 'hybrid') && info.kind === 'postgres';
    const hint = needsHypoPg ? ' (HypoPG is not installed here: CREATE EXTENSION hypopg)' : '';
    throw new InputError(`--what-if ${requested} is not available on ${info.kind}${hint}: it has ${methods.join(', ')}`);
  }
  // the least disturbing method first; a build in a transaction (hybrid or transaction) only where it disturbs no other session
  const [best] = methods;
  if (best !== undefined && ((best !== 'transaction' && best !== 'hybrid') || info.capabilities.isolatedWrites)) return best;
  throw new InputError(
    'HypoPG is not installed here: install it (CREATE EXTENSION hypopg), or pass --what-if transaction to build the candidates inside a rolled-back transaction (this takes locks: not on a busy production database)',
  );
}

export async function advise(engine: Engine, given: Workload, catalog: Catalog, options: AdviseOptions = {}): Promise<AdviceReport> {
  const clock = new PhaseClock(options.maxTimeMs);
  const progress = options.onProgress ?? (() => {});
  await loadParser();
  // a write also runs the statements of the triggers it fires (SQLite)
  const workload = withTriggerStatements(given, catalog);
  const info = await engine.info();
  const method = await chooseWhatIf(info, options.whatIf);
  const analysis = analyzeWorkload(workload, catalog);
  const { queries: selected, skipped: unusable } = selectQueries(analysis.queries, {
    includeTables: options.includeTables ?? null,
    excludeTables: options.excludeTables ?? [],
    minCalls: options.minCalls ?? 0,
  });
  // statements the collector could not parse come first: they never reached the analysis
  const skipped: SkippedQuery[] = [...workload.skipped.map((s) => ({ sql: s.sql, reason: s.reason })), ...unusable];
  clock.end('analysis');
  const candidateQueries = selected.map((q) => ({ fingerprint: q.fingerprint, accesses: q.analysis.accesses }));
  const generated = generateCandidates(candidateQueries, catalog, {
    maxColumns: options.maxColumns ?? ADVISE_DEFAULTS.maxColumns,
    includeColumns: info.capabilities.includeColumns,
    likePrefix: info.capabilities.operatorClasses ? 'text_pattern_ops' : 'nocase',
    // where each candidate is a real build, no covering index that would copy most of the row
    ...(method === 'transaction' ? { maxRowShare: FRUGAL_ROW_SHARE } : {}),
    methods: info.capabilities.indexMethods,
  });
  // GIN and GiST under HypoPG: listed apart as not costed, never recommended
  const { costable: candidates, uncosted } = splitCostable(generated, method);
  const extensions = await (engine.extensionStatus?.([...new Set(generated.flatMap((c) => extensionsFor(c.def)))]) ?? []);
  // a transaction builds each candidate it costs: there, fewer of them
  const exploration = explorationQueries(selected, candidates, method === 'transaction');
  clock.end('candidates');
  const lanes = await openLanes(engine, method, options.whatIfConnections ?? DEFAULT_WHAT_IF_CONNECTIONS, options.whatIfOptions);
  progress(
    `${selected.length} queries to cost, ${candidates.length} candidate indexes, what-if by ${method}` +
      (lanes.backends.length > 1 ? ` on ${lanes.backends.length} connections` : ''),
  );
  try {
    const coster = new WhatIfCoster(lanes.backends, candidates);
    const step = (phase: AdvisePhase) => (done: number, total: number) => options.onStep?.({ phase, done, total });
    const exploreDeadline = clock.deadlineAt(EXPLORE_SHARE);
    const { costed, baseline, baseScans, rowsPerCall } = await costBaseline(coster, exploration, options.minCost ?? 0, skipped, {
      deadline: exploreDeadline,
      onDone: step('baseline'),
    });
    clock.end('baseline');
    const wider = wideningsOf(candidates);
    const model = new CostModel(baseline, wider);
    const explorer = { coster, model, byId: new Map(candidates.map((c) => [c.id, c])), wider };
    const explorable = costed.filter((q) => q.explored.length > 0);
    progress(`exploring ${explorable.length} queries that a candidate can help`);
    const explored = await forEachOnLanes(explorable, coster.laneCount, (q, lane) => exploreQuery(explorer, q, lane), {
      deadline: exploreDeadline,
      onDone: step('explore'),
    });
    clock.end('explore');
    if (explored < explorable.length) clock.cutShort(`explored ${explored} of ${explorable.length} queries`);
    const writers: WriteQuery[] = costed
      .filter((q) => q.writes.length > 0)
      .map((q) => ({ weight: q.weight, writes: q.writes, rowsPerCall: rowsPerCall.get(q.fingerprint) ?? 1 }));
    const writePenalties = writePenaltiesOf(candidates, writers);
    const selectionQueries = costed
      .filter((q) => q.analysis.accesses.length > 0)
      .map((q) => ({ ...q, baseCost: baseline.get(q.fingerprint) ?? 0, baseScans: baseScans.get(q.fingerprint) ?? [] }));
    const byFingerprint = new Map(selectionQueries.map((q) => [q.fingerprint, q]));
    const byId = new Map(candidates.map((c) => [c.id, c]));
    const bundles = orBundles(candidateQueries, candidates);
    let selection: Selection | undefined;
    let rounds = 0;
    for (;;) {
      rounds++;
      progress(rounds === 1 ? 'choosing indexes for the whole workload' : `choosing again with what the planner said (round ${rounds})`);
      const usable = model.candidatesInUse().flatMap((id) => {
        const candidate = byId.get(id);
        const bytes = coster.knownSize(id);
        return candidate === undefined || bytes === undefined || coster.refused.has(id) ? [] : [{ candidate, bytes }];
      });
      const selector = new Selector(
        selectionQueries,
        selectionCandidates(usable, writePenalties, wider),
        (q, config) => model.estimate(q.fingerprint, config).cost,
        affectsFrom(model, byFingerprint),
        {
          budgetBytes: options.budgetBytes ?? null,
          maxIndexes: options.maxIndexes ?? null,
          minImprovement: options.minImprovement ?? ADVISE_DEFAULTS.minImprovement,
          groups: [...bundles, ...model.groups()],
          deadline: clock.deadlineAt(1),
          costAdding: (q, config, added, current) => model.estimateAdding(q.fingerprint, config, added, current),
        },
      );
      // later rounds continue from the configuration the planner just checked
      selection = selector.select(selection?.chosen ?? []);
      clock.end('select');
      if (selection.cut) clock.cutShort('the selection stopped at the time limit');
      const chosen = new Set(selection.chosen);
      const callsBefore = coster.stats.whatIfCalls;
      const touched = costed.filter((q) => q.relevant.some((id) => chosen.has(id)));
      const verified = await forEachOnLanes(touched, coster.laneCount, (q, lane) => verifyQuery(explorer, q, chosen, lane), {
        deadline: clock.deadlineAt(1),
        onDone: step('verify'),
      });
      clock.end('verify');
      if (verified < touched.length) clock.cutShort(`verified ${verified} of ${touched.length} queries of the chosen configuration`);
      const learned = coster.stats.whatIfCalls > callsBefore;
      if (!learned || rounds >= MAX_ROUNDS || clock.pastShare(VERIFY_SHARE)) break;
    }
    return buildReport({
      info,
      catalog,
      method,
      coster,
      model,
      selection,
      minImprovement: options.minImprovement ?? ADVISE_DEFAULTS.minImprovement,
      queries: selectionQueries,
      candidates,
      uncosted,
      extensions,
      writePenalties,
      workloadQueries: workload.queries.length,
      skipped,
      clock,
      rounds,
    });
  } finally {
    await lanes.close();
  }
}

/** The advisor's queries with the candidates that can change their plans, and their OR bundles. */
function explorationQueries(
  queries: readonly AdvisorQuery[],
  candidates: readonly IndexCandidate[],
  frugal: boolean,
): (AdvisorQuery & ExplorationQuery)[] {
  const byTable = candidatesByTable(candidates);
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const wider = wideningsOf(candidates);
  return queries.map((q) => {
    const query = { fingerprint: q.fingerprint, accesses: q.analysis.accesses };
    const relevant = relevantCandidates(query, byTable);
    const explored = frugal ? frugalCandidates(query, relevant, byId, wider) : relevant;
    const mine = new Set(relevant);
    const bundles = orBundles([{ fingerprint: q.fingerprint, accesses: q.analysis.accesses }], candidates).filter((b) =>
      b.every((id) => mine.has(id)),
    );
    return { ...q, relevant, explored, bundles, accesses: q.analysis.accesses.length };
  });
}

/** What each candidate would cost its table's writes (the writers looked up per table). */
function writePenaltiesOf(candidates: readonly IndexCandidate[], writers: readonly WriteQuery[]): Map<string, number> {
  const byTable = new Map<string, WriteQuery[]>();
  for (const w of writers)
    for (const t of new Set(w.writes.map((x) => qualifiedKey(x.table)))) byTable.set(t, [...(byTable.get(t) ?? []), w]);
  return new Map(candidates.map((c) => [c.id, writePenalty(c.def, byTable.get(qualifiedKey(c.def.table)) ?? [])]));
}

/** The queries each candidate can change, looked up once per candidate. */
function affectsFrom<Q>(model: CostModel, byFingerprint: ReadonlyMap<string, Q>): (id: string) => readonly Q[] {
  const memo = new Map<string, readonly Q[]>();
  return (id) => {
    let queries = memo.get(id);
    if (queries === undefined) {
      queries = [...model.queriesAffectedBy(id)].flatMap((fp) => {
        const q = byFingerprint.get(fp);
        return q === undefined ? [] : [q];
      });
      memo.set(id, queries);
    }
    return queries;
  };
}

/** Selection candidates with their sizes, write penalties and widenings (within each table). */
function selectionCandidates(
  usable: readonly { candidate: IndexCandidate; bytes: number }[],
  penalties: ReadonlyMap<string, number>,
  wider: ReadonlyMap<string, readonly string[]>,
): SelectionCandidate[] {
  const inUse = new Set(usable.map((u) => u.candidate.id));
  return usable.map(({ candidate: c, bytes }) => ({
    id: c.id,
    table: qualifiedKey(c.def.table),
    bytes,
    writePenalty: penalties.get(c.id) ?? 0,
    widenings: (wider.get(c.id) ?? []).filter((id) => inUse.has(id)),
    singleColumn: c.def.keys.length === 1 && c.def.include.length === 0 && c.def.where === null,
  }));
}

/** Each query's cost with no candidate in place; queries that cannot be planned are skipped. */
async function costBaseline<Q extends AdvisorQuery & ExplorationQuery>(
  coster: WhatIfCoster,
  queries: readonly Q[],
  minCost: number,
  skipped: SkippedQuery[],
  lanes: { deadline?: number; onDone?: (done: number, total: number) => void },
) {
  const costed: Q[] = [];
  const baseline = new Map<string, number>();
  const baseScans = new Map<string, readonly PlanScan[]>();
  const rowsPerCall = new Map<string, number>();
  const done = await forEachOnLanes(
    queries,
    coster.laneCount,
    async (query, lane) => {
      try {
        const { cost, writtenRows, scans } = await coster.costOffered(query, [], lane);
        if (cost < minCost) {
          skipped.push({ sql: query.sql, reason: `cost ${cost.toFixed(1)} is below --min-cost` });
          return;
        }
        baseline.set(query.fingerprint, cost);
        baseScans.set(query.fingerprint, scans);
        if (query.writes.length > 0) rowsPerCall.set(query.fingerprint, writtenRows);
        costed.push(query);
      } catch (error) {
        skipped.push({ sql: query.sql, reason: `cannot plan: ${error instanceof Error ? error.message : String(error)}` });
      }
    },
    lanes,
  );
  for (const query of queries.slice(done)) skipped.push({ sql: query.sql, reason: 'not costed: the time limit came first' });
  // the workers finish in any order: keep the workload's order
  const order = new Map(queries.map((q, i) => [q.fingerprint, i]));
  costed.sort((a, b) => (order.get(a.fingerprint) ?? 0) - (order.get(b.fingerprint) ?? 0));
  return { costed, baseline, baseScans, rowsPerCall };
}
