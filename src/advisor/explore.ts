/**
 * The planner calls of `advise`, and only these: a few per query, whatever the size of
 * the workload. What the planner says becomes atoms of the cost model (cost-model.ts).
 *
 * Per query, with only the candidates that can matter to it offered (relevance.ts):
 * 1. All of them at once (as Dexter does): the plan uses the best ones, U1.
 * 2. For a join, elimination: the same without U1 — the plan then uses the next best,
 *    U2 — and so on for a few rounds: the alternative plans ranked by the planner itself.
 * 3. Candidates alone: the query's own (generated for it), those generated for several
 *    queries, and the narrowest of the others per (table, leading column, predicate); a
 *    wider one stands in for these.
 * 4. For a join, the cheap path: from nothing, the narrow index whose addition saves most
 *    per byte, step by step — indexes that pay only together (the inner side of a join
 *    reached through an index on the outer side) are found this way.
 * 5. Each OR bundle of the query (one index per branch), which only pays whole.
 * After a selection, `verify` asks about the configuration it chose, per query, and
 * about that configuration without each index its plan uses: the next selection then
 * knows what the chosen mix really costs and what each query falls back to.
 *
 * Queries are spread over the coster's lanes (what-if connections); each lane serves
 * one query at a time.
 */
import type { IndexDef } from '../model/index-def.js';
import { representatives } from './relevance.js';
import type { CostModel } from './cost-model.js';
import type { CostableQuery, QueryCost, WhatIfCoster } from './what-if.js';

export interface ExplorationQuery extends CostableQuery {
  /** Candidates that can change its plan (sorted ids): what verification offers of a chosen configuration. */
  readonly relevant: readonly string[];
  /** Those the exploration asks about (all of them, or fewer where each costs a build). */
  readonly explored: readonly string[];
  /** Table accesses in the query (a self-join counts its table twice). */
  readonly accesses: number;
  /** OR bundles of its candidates, one per OR group. */
  readonly bundles: readonly (readonly string[])[];
}

export interface LaneOptions {
  /** performance.now() after which no new query is started. */
  readonly deadline?: number;
  /** Called after each query with how many are done. */
  readonly onDone?: (done: number, total: number) => void;
}

/**
 * Runs `work` for every item, `lanes` at a time, each worker on its own lane. Returns how
 * many items were done (fewer than all when the deadline came first).
 */
export async function forEachOnLanes<T>(
  items: readonly T[],
  lanes: number,
  work: (item: T, lane: number) => Promise<void>,
  options: LaneOptions = {},
): Promise<number> {
  let next = 0;
  let done = 0;
  const worker = async (lane: number) => {
    while (next < items.length) {
      if (options.deadline !== undefined && performance.now() > options.deadline) return;
      const item = items[next++] as T;
      await work(item, lane);
      options.onDone?.(++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, (_, lane) => worker(lane)));
  return done;
}

/** How many elimination rounds rank a query's alternatives (step 2). */
export const ELIMINATION_ROUNDS = 3;
/** Verification tries each used index widened into at most this many of its extensions. */
const VERIFY_WIDENINGS = 2;
/** At most this many candidates are costed alone per query (step 3). */
export const MAX_SINGLES = 60;
/** The cheap path considers at most this many representatives (step 4). */
const MAX_REPRESENTATIVES = 12;
/** … and stops when no step saves this share of the cost so far. */
const PATH_MIN_SAVING = 0.01;

/** What the planner calls go through and where their answers go. */
export interface Explorer {
  readonly coster: WhatIfCoster;
  readonly model: CostModel;
  readonly byId: CandidateLookup;
  /** For each candidate, the candidates that extend it. */
  readonly wider: ReadonlyMap<string, readonly string[]>;
}

/** Asks the planner about `offered` (through the cache) and keeps the answer as an atom. */
async function ask(ex: Explorer, query: ExplorationQuery, offered: readonly string[], lane: number): Promise<QueryCost> {
  const result = await ex.coster.costOffered(query, offered, lane);
  ex.model.record(query.fingerprint, result.used, result.cost);
  return result;
}

export async function exploreQuery(ex: Explorer, query: ExplorationQuery, lane: number): Promise<void> {
  let offered = query.explored;
  let first: readonly string[] = [];
  // On one table the singles below rank the alternatives anyway: one round tells whether any helps.
  const rounds = query.accesses > 1 ? ELIMINATION_ROUNDS : 1;
  for (let round = 0; round < rounds && offered.length > 0; round++) {
    const result = await ask(ex, query, offered, lane);
    if (result.used.length === 0) break;
    if (round === 0) first = result.used;
    const used = new Set(result.used);
    offered = offered.filter((id) => !used.has(id));
  }
  if (first.length === 0) return;
  // Candidates alone: for a query on one table the cost under a configuration is then the
  // cheapest of these it holds; for a join, what each index does without the others.
  for (const id of singleCandidates(query, ex.byId).slice(0, MAX_SINGLES)) await ask(ex, query, [id], lane);
  if (query.accesses > 1) await cheapPath(ex, query, lane);
  for (const bundle of query.bundles) await ask(ex, query, [...bundle].sort(), lane);
}

/**
 * Asks the planner about the chosen configuration for one query, and about it without
 * each index that plan uses.
 */
export async function verifyQuery(ex: Explorer, query: ExplorationQuery, chosen: ReadonlySet<string>, lane: number): Promise<void> {
  const offered = query.relevant.filter((id) => chosen.has(id));
  if (offered.length === 0) return;
  const result = await ask(ex, query, offered, lane);
  const mine = new Set(query.explored);
  for (const id of result.used) {
    const others = offered.filter((other) => other !== id);
    await ask(ex, query, others, lane);
    // and with it widened: a wider index in its place may serve this query better (a join's inner side)
    for (const w of (ex.wider.get(id) ?? []).filter((x) => mine.has(x) && !chosen.has(x)).slice(0, VERIFY_WIDENINGS)) {
      await ask(ex, query, [...others, w].sort(), lane);
    }
  }
}

/**
 * For a join, the narrow indexes that pay most per byte together. The candidates are
 * represented by the smallest one per (table, leading column, predicate): from nothing,
 * each step adds the representative whose addition saves most per byte, while one
 * saves anything — so an index that only pays with another (the inner side of a join
 * reached through an index on the outer side) is found too. The elimination rounds
 * find the biggest savings, this the cheapest; a tight budget picks from here.
 */
async function cheapPath(ex: Explorer, query: ExplorationQuery, lane: number): Promise<void> {
  const reps = representatives(query.explored, ex.byId).slice(0, MAX_REPRESENTATIVES);
  const bytes = (id: string) => Math.max(1, ex.coster.knownSize(id) ?? 1);
  let path: string[] = [];
  let cost = ex.model.baseCost(query.fingerprint);
  for (let step = 0; step < query.accesses; step++) {
    let best: { path: string[]; cost: number; rating: number } | null = null;
    for (const id of reps.filter((r) => !path.includes(r))) {
      const next = [...path, id].sort();
      const result = await ask(ex, query, next, lane);
      const rating = (cost - result.cost) / bytes(id);
      if (cost - result.cost > PATH_MIN_SAVING * cost && (best === null || rating > best.rating))
        best = { path: next, cost: result.cost, rating };
    }
    if (best === null) return;
    path = best.path;
    cost = best.cost;
  }
}

export type CandidateLookup = ReadonlyMap<string, { readonly def: IndexDef; readonly queries: readonly string[] }>;

/**
 * The candidates costed alone for a query: those generated for it (its own shapes), those
 * generated for several queries (the ones that can serve many: what it would get from
 * sharing them), and the narrowest one per (table, leading column, predicate) of the rest
 * — a wider one then stands in for it at its cost (cost-model.ts), and the verification
 * rounds cost it exactly once chosen.
 */
function singleCandidates(query: ExplorationQuery, byId: CandidateLookup): string[] {
  const own = query.explored.filter((id) => byId.get(id)?.queries.includes(query.fingerprint));
  const shared = query.explored.filter((id) => (byId.get(id)?.queries.length ?? 0) >= 2);
  return [...new Set([...own, ...shared, ...representatives(query.explored, byId)])].sort();
}
