/**
 * Choosing indexes for the whole workload under a budget. Pure and synchronous: the
 * costs come from a cost function over cached numbers (cost-model.ts), so no pass
 * here waits for the planner.
 *
 * Objective (minimized): Σ weight(q) × cost(q | chosen) + Σ writePenalty(index).
 * A query's cost counts as changed only when it drops by at least minImprovement
 * (smaller changes are planner noise), and an index is taken only when it improves
 * the queries it changes by at least minImprovement together.
 *
 * 1. Greedy by saving per byte, in the spirit of Extend (Schlosser et al. 2019): each
 *    step adds the candidate — or widens a chosen index into a candidate that extends
 *    its keys, or adds the missing members of a group — with the best saving per byte,
 *    within budget and count. Groups are indexes that pay only together: one per branch
 *    of an OR, or the indexes of a join plan (each alone may change little). Ratings
 *    are kept in a queue and only the moves whose queries the last step changed are
 *    rated again, so a step costs what it touches, not the size of the workload.
 * 3. Drop pass: an index whose removal costs nothing (made redundant by later choices,
 *    or not paying for its writes) goes.
 * 4. Swap pass: a chosen index is replaced by an unchosen candidate on the same table
 *    when that lowers the objective within budget.
 * 5. Under a budget, a refill pass (each of the largest chosen indexes left out in
 *    turn, the budget filled again without it) and a split pass (one chosen index
 *    replaced by two smaller ones on its table); a better mix is kept.
 * 6. Under a budget, two more searches: one that starts from single-column candidates
 *    only (then greedy over all, widening allowed, and the drop pass), one that starts
 *    from the index with the largest saving on its own; the best result wins.
 * 7. With at most EXACT_LIMIT candidates, every subset that fits is tried as well (a few
 *    thousand sums over cached numbers), so small workloads get the exact optimum.
 * Past the deadline every pass stops where it is: the result is the best found so far.
 */
import type { Config } from './cost-model.js';
import { MaxHeap } from './heap.js';

export interface SelectionQuery {
  readonly fingerprint: string;
  readonly weight: number;
  readonly baseCost: number;
}

export interface SelectionCandidate {
  readonly id: string;
  readonly table: string;
  readonly bytes: number;
  readonly writePenalty: number;
  /** Ids of candidates that extend this one (same leading keys and predicate, more columns). */
  readonly widenings: readonly string[];
  /** One key column, no INCLUDE, no predicate: where the second search under a budget starts. */
  readonly singleColumn?: boolean;
}

export interface SelectionOptions {
  readonly budgetBytes: number | null;
  readonly maxIndexes: number | null;
  readonly minImprovement: number;
  /** Candidates that may pay only together (one per branch of an OR; the indexes of a join plan). */
  readonly groups?: readonly (readonly string[])[];
  /** performance.now() after which every pass stops and the best result so far is returned. */
  readonly deadline?: number;
  readonly costAdding?: AddingCostFn<SelectionQuery>;
  /** Try every subset when there are at most this many candidates (default EXACT_LIMIT; 0: never). */
  readonly exactLimit?: number;
}

/** A query's cost under a configuration (before the per-query threshold). */
export type CostFn<Q extends SelectionQuery> = (query: Q, config: Config) => number;

/**
 * The same after adding indexes to a configuration whose cost was `current` (optional:
 * a faster way to the same number, when the cost model knows which atoms they complete).
 */
export type AddingCostFn<Q extends SelectionQuery> = (query: Q, config: Config, added: readonly string[], current: number) => number;

/** The queries whose cost a candidate can change. */
export type AffectsFn<Q extends SelectionQuery> = (id: string) => readonly Q[];

export interface Selection {
  readonly chosen: readonly string[];
  readonly costBefore: number;
  readonly costAfter: number;
  /** The deadline stopped the search before it finished. */
  readonly cut: boolean;
}

/** How many of a table's best candidates the split pass pairs up. */
const SPLIT_CANDIDATES = 8;
/** The refill pass leaves out each of at most this many chosen indexes, the largest first. */
const REFILL_LIMIT = 24;

/** Up to this many candidates, every subset is tried (2^12 = 4,096 configurations). */
const EXACT_LIMIT = 12;

/** Remove one chosen index (or none) and add one or more. */
interface Move {
  readonly remove: string | null;
  readonly add: readonly string[];
}

/** A configuration with a few changes on top of another, without copying it. */
class Overlay implements Config {
  constructor(
    private readonly base: Config,
    private readonly added: readonly string[],
    private readonly removed: readonly string[],
  ) {}

  has(id: string): boolean {
    return this.added.includes(id) || (!this.removed.includes(id) && this.base.has(id));
  }
}

export class Selector<Q extends SelectionQuery = SelectionQuery> {
  private readonly byId: Map<string, SelectionCandidate>;
  private readonly byTable = new Map<string, SelectionCandidate[]>();
  /** Candidates that can change each query's cost (the reverse of `affects`). */
  private readonly affecting = new Map<Q, string[]>();
  /** Candidates whose widenings include each candidate. */
  private readonly narrower = new Map<string, string[]>();
  /** Groups whose members are all candidates, and the groups each candidate belongs to. */
  private readonly groups: (readonly string[])[] = [];
  private readonly groupsOf = new Map<string, (readonly string[])[]>();
  /** Each candidate's rating with nothing chosen (null: not worth it alone). */
  private firstRatings: Map<string, number | null> | null = null;
  private cut = false;

  constructor(
    private readonly queries: readonly Q[],
    candidates: readonly SelectionCandidate[],
    private readonly costOf: CostFn<Q>,
    private readonly affects: AffectsFn<Q>,
    private readonly options: SelectionOptions,
  ) {
    this.byId = new Map(candidates.map((c) => [c.id, c]));
    for (const c of candidates) {
      append(this.byTable, c.table, c);
      for (const q of affects(c.id)) append(this.affecting, q, c.id);
      for (const wider of c.widenings) append(this.narrower, wider, c.id);
    }
    for (const group of options.groups ?? []) {
      if (group.length < 2 || !group.every((id) => this.byId.has(id))) continue;
      this.groups.push(group);
      for (const id of group) append(this.groupsOf, id, group);
    }
  }

  /** A query's cost under a configuration, with the per-query threshold applied. */
  effective(query: Q, config: Config): number {
    return this.threshold(query, this.costOf(query, config));
  }

  private threshold(query: Q, cost: number): number {
    return query.baseCost - cost >= this.options.minImprovement * query.baseCost ? cost : query.baseCost;
  }

  /**
   * @param start a configuration to start from (the previous round's choice, costed again by
   *   the planner): the search continues from it instead of from nothing
   */
  select(start: readonly string[] = []): Selection {
    let chosen = this.search(start.filter((id) => this.byId.has(id)));
    let costAfter = this.total(chosen);
    if (this.options.budgetBytes !== null) {
      for (const start of [() => this.narrowStart(), () => this.bigStart()]) {
        if (this.pastDeadline()) break;
        const other = start();
        const otherCost = this.total(other);
        if (otherCost < costAfter - 1e-9) {
          chosen = other;
          costAfter = otherCost;
        }
      }
    }
    if (this.byId.size <= (this.options.exactLimit ?? EXACT_LIMIT) && !this.pastDeadline()) {
      const exact = this.exactSearch(costAfter);
      if (exact !== null) {
        chosen = exact.chosen;
        costAfter = exact.cost;
      }
    }
    return { chosen: [...chosen], costBefore: this.total(new Set()), costAfter, cut: this.cut };
  }

  /**
   * Every subset of the candidates that fits, in increasing order of its bit mask (a subset
   * comes before its supersets, so a tie keeps the smaller set); null when none beats `bound`.
   */
  private exactSearch(bound: number): { chosen: Set<string>; cost: number } | null {
    const all = [...this.byId.values()];
    let best: { chosen: Set<string>; cost: number } | null = null;
    let bestCost = bound - 1e-9;
    for (let mask = 1; mask < 1 << all.length; mask++) {
      if ((mask & 0xff) === 0 && this.pastDeadline()) break;
      const members = all.filter((_, i) => (mask & (1 << i)) !== 0);
      if (
        !this.fits(
          members.length,
          members.reduce((sum, c) => sum + c.bytes, 0),
        )
      )
        continue;
      const config = new Set(members.map((c) => c.id));
      const cost = this.total(config);
      if (cost < bestCost) {
        best = { chosen: config, cost };
        bestCost = cost;
      }
    }
    return best;
  }

  total(config: ReadonlySet<string>): number {
    let sum = 0;
    for (const q of this.queries) sum += q.weight * this.effective(q, config);
    for (const id of config) sum += this.byId.get(id)?.writePenalty ?? 0;
    return sum;
  }

  private pastDeadline(): boolean {
    if (this.options.deadline !== undefined && performance.now() > this.options.deadline) this.cut = true;
    return this.cut;
  }

  /** The main search: greedy, bundles, drop and swap passes; under a budget the refill and split passes. */
  private search(start: readonly string[]): Set<string> {
    const chosen = new Set<string>(start);
    if (!this.fits(chosen.size, this.bytes(chosen))) chosen.clear();
    this.grow(chosen);
    this.swapPass(chosen);
    if (this.options.budgetBytes !== null) {
      this.refillPass(chosen);
      this.splitPass(chosen);
    }
    return chosen;
  }

  /**
   * A second, cheap search under a budget: the greedy first among single-column
   * candidates only, then among all (widening what it chose, groups), drop pass.
   * Under a tight budget several narrow indexes can serve more queries than the
   * composite one the main search starts from (TPC-H at 25%: (l_partkey) and
   * (l_suppkey) rather than (l_partkey, l_suppkey)); the better result is kept.
   */
  private narrowStart(): Set<string> {
    const chosen = new Set<string>();
    const wide = new Set([...this.byId.values()].filter((c) => c.singleColumn !== true).map((c) => c.id));
    this.greedy(chosen, wide);
    this.grow(chosen);
    return chosen;
  }

  /**
   * A third search under a budget: the index that saves most on its own first, then the
   * greedy. Saving per byte can fill a budget with small indexes where one big index
   * saves more than all of them (the knapsack greedy's known blind spot).
   */
  private bigStart(): Set<string> {
    const none = new Set<string>();
    let best: { id: string; delta: number } | null = null;
    for (const c of this.byId.values()) {
      if (!this.fits(1, c.bytes)) continue;
      const { delta } = this.change(none, new Overlay(none, [c.id], []), [c.id]);
      if (delta < 0 && (best === null || delta < best.delta)) best = { id: c.id, delta };
    }
    const chosen = new Set(best === null ? [] : [best.id]);
    this.grow(chosen);
    return chosen;
  }

  /** Greedy over all candidates and groups, then the drop pass. */
  private grow(chosen: Set<string>): void {
    this.greedy(chosen);
    this.dropPass(chosen);
  }

  private bytes(ids: Iterable<string>): number {
    let total = 0;
    for (const id of ids) total += this.byId.get(id)?.bytes ?? 0;
    return total;
  }

  private fits(count: number, bytes: number): boolean {
    if (this.options.maxIndexes !== null && count > this.options.maxIndexes) return false;
    return this.options.budgetBytes === null || bytes <= this.options.budgetBytes;
  }

  /** Queries whose cost any of `ids` can change. */
  private affected(ids: readonly string[]): Iterable<Q> {
    if (ids.length === 1) return this.affects(ids[0] as string);
    return new Set(ids.flatMap((id) => [...this.affects(id)]));
  }

  /**
   * Objective difference of moving from `from` to `to` over the queries `ids` touch;
   * negative is better. `fromRaw` may give the queries' costs under `from` (memoized);
   * `added`, when the move only adds, lets the cost model look at what those complete.
   */
  private change(
    from: Config,
    to: Config,
    ids: readonly string[],
    fromRaw?: (q: Q) => number,
    added?: readonly string[],
  ): { delta: number; before: number } {
    let delta = 0;
    let before = 0;
    const adding = added === undefined ? undefined : this.options.costAdding;
    for (const q of this.affected(ids)) {
      const rawA = fromRaw === undefined ? this.costOf(q, from) : fromRaw(q);
      const rawB = adding === undefined || added === undefined ? this.costOf(q, to) : adding(q, to, added, rawA);
      const a = this.threshold(q, rawA);
      const b = this.threshold(q, rawB);
      if (a !== b) before += q.weight * a;
      delta += q.weight * (b - a);
    }
    for (const id of ids) {
      const penalty = this.byId.get(id)?.writePenalty ?? 0;
      delta += (to.has(id) ? penalty : 0) - (from.has(id) ? penalty : 0);
    }
    return { delta, before };
  }

  /** A move is worth it when it saves, and saves enough of what the changed queries cost. */
  private worth(result: { delta: number; before: number }): boolean {
    return result.delta < 0 && -result.delta >= this.options.minImprovement * result.before;
  }

  /** The saving per added byte of a move, or null when it does not fit or is not worth it. */
  private rate(chosen: ReadonlySet<string>, chosenBytes: number, move: Move, chosenRaw?: (q: Q) => number): number | null {
    const removed = move.remove === null ? [] : [move.remove];
    const added = this.bytes(move.add);
    const freed = move.remove === null ? 0 : (this.byId.get(move.remove)?.bytes ?? 0);
    if (!this.fits(chosen.size + move.add.length - removed.length, chosenBytes + added - freed)) return null;
    const result = this.change(
      chosen,
      new Overlay(chosen, move.add, removed),
      [...removed, ...move.add],
      chosenRaw,
      move.remove === null ? move.add : undefined,
    );
    if (!this.worth(result)) return null;
    return -result.delta / Math.max(1, added - freed);
  }

  private ratingsAlone(): Map<string, number | null> {
    if (this.firstRatings === null) {
      const none = new Set<string>();
      // with nothing chosen every query costs its base cost
      const base = (q: Q) => q.baseCost;
      this.firstRatings = new Map([...this.byId.keys()].map((id) => [id, this.rate(none, 0, { remove: null, add: [id] }, base)]));
    }
    return this.firstRatings;
  }

  /**
   * The greedy. Every move (add a candidate, widen a chosen index, complete a group) sits
   * in a queue by its rating; after a step, only the moves that involve a candidate
   * affecting a query whose cost that step changed are rated again (the others' ratings
   * are still exact). A queued move that no longer applies or no longer fits is dropped.
   */
  private greedy(chosen: Set<string>, excluded: ReadonlySet<string> = new Set()): void {
    const queue = new MaxHeap<{ move: Move; version: number }>();
    const versions = new Map<string, number>();
    let chosenBytes = this.bytes(chosen);
    const key = (move: Move) =>
      move.remove === null && move.add.length === 1 ? (move.add[0] as string) : `${move.remove ?? ''}\u0000${move.add.join('\u0001')}`;
    const push = (move: Move, rating: number | null) => {
      const k = key(move);
      const version = (versions.get(k) ?? 0) + 1;
      versions.set(k, version);
      if (rating !== null) queue.push(rating, { move, version });
    };
    // each query's cost under `chosen`, kept until a step changes it
    const current = new Map<Q, number>();
    const chosenRaw = (q: Q) => {
      let cost = current.get(q);
      if (cost === undefined) {
        cost = this.costOf(q, chosen);
        current.set(q, cost);
      }
      return cost;
    };
    const rateMove = (move: Move) => push(move, this.rate(chosen, chosenBytes, move, chosenRaw));
    const addable = (id: string) => this.byId.has(id) && !chosen.has(id) && !excluded.has(id);
    const rateWidenings = (id: string) => {
      for (const wider of this.byId.get(id)?.widenings ?? []) if (addable(wider)) rateMove({ remove: id, add: [wider] });
    };
    const rateGroup = (group: readonly string[]) => {
      const missing = group.filter((member) => !chosen.has(member));
      if (missing.length >= 2 && missing.every(addable)) rateMove({ remove: null, add: missing });
    };
    const applies = (move: Move) => move.add.every(addable) && (move.remove === null || chosen.has(move.remove));

    const alone = chosen.size === 0 ? this.ratingsAlone() : null;
    for (const id of this.byId.keys()) {
      if (!addable(id)) continue;
      if (alone !== null) push({ remove: null, add: [id] }, alone.get(id) ?? null);
      else rateMove({ remove: null, add: [id] });
    }
    for (const group of this.groups) rateGroup(group);
    for (const id of chosen) rateWidenings(id);

    while (!this.pastDeadline()) {
      const top = queue.pop();
      if (top === undefined) return;
      const { move, version } = top.value;
      if (versions.get(key(move)) !== version || !applies(move)) continue;
      const added = this.bytes(move.add);
      const freed = move.remove === null ? 0 : (this.byId.get(move.remove)?.bytes ?? 0);
      if (!this.fits(chosen.size + move.add.length - (move.remove === null ? 0 : 1), chosenBytes + added - freed)) continue;
      if (move.remove !== null) chosen.delete(move.remove);
      for (const id of move.add) chosen.add(id);
      chosenBytes += added - freed;
      // Re-rate the moves whose queries this step changed.
      const touched = new Set<string>();
      for (const q of this.affected(move.remove === null ? move.add : [move.remove, ...move.add])) {
        current.delete(q);
        for (const id of this.affecting.get(q) ?? []) touched.add(id);
      }
      const groups = new Set<readonly string[]>();
      for (const id of touched) {
        if (addable(id)) rateMove({ remove: null, add: [id] });
        if (chosen.has(id)) rateWidenings(id);
        for (const narrow of this.narrower.get(id) ?? []) if (chosen.has(narrow) && addable(id)) rateMove({ remove: narrow, add: [id] });
        for (const group of this.groupsOf.get(id) ?? []) groups.add(group);
      }
      for (const group of groups) rateGroup(group);
    }
  }

  /**
   * Under a tight budget the first, biggest pick can crowd out a better mix (two
   * smaller indexes that together save more). For each of the largest chosen
   * indexes: leave it out, fill the budget again greedily without it, and keep the
   * result if it is better.
   */
  private refillPass(chosen: Set<string>): void {
    let best = this.total(chosen);
    const largest = [...chosen].sort((a, b) => this.bytes([b]) - this.bytes([a])).slice(0, REFILL_LIMIT);
    for (const id of largest) {
      if (!chosen.has(id) || this.pastDeadline()) continue;
      const trial = new Set(chosen);
      trial.delete(id);
      this.greedy(trial, new Set([id]));
      this.dropPass(trial);
      const cost = this.total(trial);
      if (cost < best - 1e-9) {
        best = cost;
        chosen.clear();
        for (const kept of trial) chosen.add(kept);
      }
    }
  }

  private dropPass(chosen: Set<string>): void {
    const current = this.memoRaw(chosen);
    for (const id of [...chosen].reverse()) {
      const result = this.change(chosen, new Overlay(chosen, [], [id]), [id], current.raw);
      if (result.delta <= 0) {
        chosen.delete(id);
        current.forget();
      }
    }
  }

  /**
   * Under a budget: one chosen index replaced by two smaller ones on the same table
   * (a wide (a, b) by (a) and (b), each serving other queries), among the table's
   * SPLIT_CANDIDATES best-rated candidates.
   */
  private splitPass(chosen: Set<string>): void {
    for (const id of [...chosen]) {
      if (this.pastDeadline()) return;
      const rest = new Set([...chosen].filter((x) => x !== id));
      const restBytes = this.bytes(rest);
      const ranked: { id: string; rating: number }[] = [];
      for (const c of this.byTable.get(this.byId.get(id)?.table ?? '') ?? []) {
        if (chosen.has(c.id)) continue;
        const rating = this.rate(rest, restBytes, { remove: null, add: [c.id] });
        if (rating !== null) ranked.push({ id: c.id, rating });
      }
      const top = ranked
        .sort((a, b) => b.rating - a.rating)
        .slice(0, SPLIT_CANDIDATES)
        .map((r) => r.id);
      let best: { pair: [string, string]; delta: number } | null = null;
      for (let i = 0; i < top.length; i++) {
        for (let j = i + 1; j < top.length; j++) {
          const pair: [string, string] = [top[i] as string, top[j] as string];
          if (!this.fits(rest.size + 2, restBytes + this.bytes(pair))) continue;
          const { delta } = this.change(chosen, new Overlay(rest, pair, []), [id, ...pair]);
          if (delta < -1e-9 && (best === null || delta < best.delta)) best = { pair, delta };
        }
      }
      if (best !== null) {
        chosen.delete(id);
        for (const p of best.pair) chosen.add(p);
      }
    }
  }

  /** A query's raw cost under `config`, remembered until `forget`. */
  private memoRaw(config: Config): { raw: (q: Q) => number; forget: () => void } {
    const memo = new Map<Q, number>();
    return {
      raw: (q) => {
        let cost = memo.get(q);
        if (cost === undefined) {
          cost = this.costOf(q, config);
          memo.set(q, cost);
        }
        return cost;
      },
      forget: () => memo.clear(),
    };
  }

  private swapPass(chosen: Set<string>): void {
    const current = this.memoRaw(chosen);
    for (let round = 0; round < 2; round++) {
      let improved = false;
      let chosenBytes = this.bytes(chosen);
      for (const id of [...chosen]) {
        if (this.pastDeadline()) return;
        const freed = this.byId.get(id)?.bytes ?? 0;
        // a swap for an index that serves none of the same queries is a drop plus an add: other passes do those
        const serves = new Set(this.affects(id));
        for (const other of this.byTable.get(this.byId.get(id)?.table ?? '') ?? []) {
          if (chosen.has(other.id) || !chosen.has(id) || !this.affects(other.id).some((q) => serves.has(q))) continue;
          if (!this.fits(chosen.size, chosenBytes - freed + other.bytes)) continue;
          const result = this.change(chosen, new Overlay(chosen, [other.id], [id]), [id, other.id], current.raw);
          if (result.delta < -1e-9) {
            chosen.delete(id);
            chosen.add(other.id);
            current.forget();
            chosenBytes += other.bytes - freed;
            improved = true;
            break;
          }
        }
      }
      if (!improved) return;
    }
  }
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
