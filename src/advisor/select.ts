/**
 * Choosing indexes for the whole workload under a budget.
 *
 * Objective (minimized): Σ weight(q) × cost(q | chosen) + Σ writePenalty(index).
 * A query's cost counts as changed only when it drops by at least minImprovement
 * (smaller changes are planner noise), and an index is taken only when it improves
 * the queries it changes by at least minImprovement together.
 *
 * 1. Greedy by benefit per byte, in the spirit of Extend (Schlosser et al. 2019):
 *    each step adds the candidate — or widens a chosen index into a candidate that
 *    extends its keys — with the best saving per byte, within budget and count.
 *    Lazy evaluation (CELF) re-rates only candidates that could still be best, and
 *    the cost cache, keyed by the candidates on each query's own tables, answers
 *    every question about queries a step did not touch.
 * 2. Drop pass: an index whose removal costs nothing (made redundant by later
 *    choices, or not paying for its writes) goes.
 * 3. Swap pass: a chosen index is replaced by an unchosen candidate on the same
 *    table when that lowers the objective within budget.
 * 4. Under a budget, a refill pass (each chosen index left out in turn, the budget
 *    filled again without it) and a split pass (one chosen index replaced by two
 *    smaller ones on its table); a better mix is kept.
 * 5. Under a budget, a second search that starts from single-column candidates only
 *    (then greedy over all, widening allowed, and the drop pass); the better of the
 *    two results wins.
 * Bundles (the indexes that serve each branch of an OR, which only pay together) are
 * tried whole after the greedy steps, then the greedy continues.
 */

export interface SelectionQuery {
  readonly fingerprint: string;
  readonly weight: number;
  readonly baseCost: number;
  readonly tables: ReadonlySet<string>;
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
  /** Candidates worth adding only together (one per branch of an OR). */
  readonly bundles?: readonly (readonly string[])[];
}

export type CostFn<Q extends SelectionQuery> = (query: Q, config: ReadonlySet<string>) => Promise<number>;

export interface Selection {
  readonly chosen: readonly string[];
  readonly costBefore: number;
  readonly costAfter: number;
}

/** How many of a table's best candidates the split pass pairs up. */
const SPLIT_CANDIDATES = 8;

interface Move {
  readonly remove: string | null;
  readonly add: string;
}

export class Selector<Q extends SelectionQuery = SelectionQuery> {
  private readonly byId: Map<string, SelectionCandidate>;
  private readonly queriesOf = new Map<string, Q[]>();
  /**
   * Each candidate's rating with nothing chosen (0 when it does not pay alone): an upper
   * bound on its rating later, so later greedy runs (refill, the second search) start
   * their lazy queue from it instead of rating every candidate again.
   */
  private firstRatings: Map<string, number> | null = null;

  constructor(
    private readonly queries: readonly Q[],
    candidates: readonly SelectionCandidate[],
    private readonly costOf: CostFn<Q>,
    private readonly options: SelectionOptions,
  ) {
    this.byId = new Map(candidates.map((c) => [c.id, c]));
    for (const c of candidates)
      this.queriesOf.set(
        c.id,
        queries.filter((q) => q.tables.has(c.table)),
      );
  }

  /** A query's cost under a configuration, with the per-query threshold applied. */
  async effective(query: Q, config: ReadonlySet<string>): Promise<number> {
    const cost = await this.costOf(query, config);
    return query.baseCost - cost >= this.options.minImprovement * query.baseCost ? cost : query.baseCost;
  }

  /** Objective difference of moving from `from` to `to` over the queries `ids` touch; negative is better. */
  private async change(
    from: ReadonlySet<string>,
    to: ReadonlySet<string>,
    ids: readonly string[],
  ): Promise<{ delta: number; before: number }> {
    const affected = new Set(ids.flatMap((id) => this.queriesOf.get(id) ?? []));
    let delta = 0;
    let before = 0;
    for (const q of affected) {
      const a = await this.effective(q, from);
      const b = await this.effective(q, to);
      if (a !== b) before += q.weight * a;
      delta += q.weight * (b - a);
    }
    const penalty = (set: ReadonlySet<string>) =>
      ids.reduce((sum, id) => sum + (set.has(id) ? (this.byId.get(id)?.writePenalty ?? 0) : 0), 0);
    return { delta: delta + penalty(to) - penalty(from), before };
  }

  private bytes(ids: Iterable<string>): number {
    let total = 0;
    for (const id of ids) total += this.byId.get(id)?.bytes ?? 0;
    return total;
  }

  private fits(config: ReadonlySet<string>): boolean {
    if (this.options.maxIndexes !== null && config.size > this.options.maxIndexes) return false;
    return this.options.budgetBytes === null || this.bytes(config) <= this.options.budgetBytes;
  }

  /** A move is worth it when it saves, and saves enough of what the changed queries cost. */
  private worth(result: { delta: number; before: number }): boolean {
    return result.delta < 0 && -result.delta >= this.options.minImprovement * result.before;
  }

  async select(): Promise<Selection> {
    let chosen = await this.search();
    let costAfter = await this.total(chosen);
    if (this.options.budgetBytes !== null) {
      const narrow = await this.narrowStart();
      const narrowCost = await this.total(narrow);
      if (narrowCost < costAfter - 1e-9) {
        chosen = narrow;
        costAfter = narrowCost;
      }
    }
    const costBefore = await this.total(new Set());
    return { chosen: [...chosen], costBefore, costAfter };
  }

  /** The main search: greedy, bundles, drop and swap passes; under a budget the refill and split passes. */
  private async search(): Promise<Set<string>> {
    const chosen = new Set<string>();
    await this.grow(chosen);
    await this.swapPass(chosen);
    if (this.options.budgetBytes !== null) {
      await this.refillPass(chosen);
      await this.splitPass(chosen);
    }
    return chosen;
  }

  /**
   * A second, cheap search under a budget: the greedy first among single-column
   * candidates only, then among all (widening what it chose), bundles, drop pass.
   * Under a tight budget several narrow indexes can serve more queries than the
   * composite one the main search starts from (TPC-H at 25%: (l_partkey) and
   * (l_suppkey) rather than (l_partkey, l_suppkey)); the better result is kept.
   */
  private async narrowStart(): Promise<Set<string>> {
    const chosen = new Set<string>();
    const wide = new Set([...this.byId.values()].filter((c) => c.singleColumn !== true).map((c) => c.id));
    await this.greedy(chosen, wide);
    await this.grow(chosen);
    return chosen;
  }

  /** Greedy over all candidates, the bundles (then greedy again), the drop pass. */
  private async grow(chosen: Set<string>): Promise<void> {
    await this.greedy(chosen);
    if (await this.bundlePass(chosen)) await this.greedy(chosen);
    await this.dropPass(chosen);
  }

  async total(config: ReadonlySet<string>): Promise<number> {
    let sum = 0;
    for (const q of this.queries) sum += q.weight * (await this.effective(q, config));
    return sum + this.bytesPenalty(config);
  }

  private bytesPenalty(config: ReadonlySet<string>): number {
    let sum = 0;
    for (const id of config) sum += this.byId.get(id)?.writePenalty ?? 0;
    return sum;
  }

  /** The saving per added byte of a move, or null when it does not fit or is not worth it. */
  private async rate(chosen: ReadonlySet<string>, move: Move): Promise<number | null> {
    const next = new Set(chosen);
    if (move.remove) next.delete(move.remove);
    next.add(move.add);
    if (!this.fits(next)) return null;
    const result = await this.change(chosen, next, move.remove ? [move.remove, move.add] : [move.add]);
    if (!this.worth(result)) return null;
    return -result.delta / Math.max(1, this.bytes(next) - this.bytes(chosen));
  }

  /**
   * Lazy greedy (CELF): a candidate's saving can only shrink as others are chosen,
   * so each step re-rates the best candidates by their stale rating until the best
   * one stays best. Widening moves of chosen indexes are rated fresh every step.
   */
  /**
   * Under a tight budget the first, biggest pick can crowd out a better mix (two
   * smaller indexes that together save more). For each chosen index: leave it out,
   * fill the budget again greedily without it, and keep the result if it is better.
   */
  private async refillPass(chosen: Set<string>): Promise<void> {
    let best = await this.total(chosen);
    for (const id of [...chosen]) {
      if (!chosen.has(id)) continue;
      const trial = new Set(chosen);
      trial.delete(id);
      await this.greedy(trial, new Set([id]));
      await this.dropPass(trial);
      const cost = await this.total(trial);
      if (cost < best - 1e-9) {
        best = cost;
        chosen.clear();
        for (const kept of trial) chosen.add(kept);
      }
    }
  }

  private async greedy(chosen: Set<string>, excluded: ReadonlySet<string> = new Set()): Promise<void> {
    const stale = new Map<string, number>();
    const bounds = this.firstRatings ?? (await this.rateAlone());
    for (const [id, bound] of bounds) if (!excluded.has(id) && !chosen.has(id)) stale.set(id, bound);
    for (;;) {
      let best: { rating: number; move: Move } | null = null;
      for (const id of chosen) {
        for (const wider of this.byId.get(id)?.widenings ?? []) {
          if (chosen.has(wider) || excluded.has(wider)) continue;
          const rating = await this.rate(chosen, { remove: id, add: wider });
          if (rating !== null && (best === null || rating > best.rating)) best = { rating, move: { remove: id, add: wider } };
        }
      }
      const queue = [...stale.entries()].sort((a, b) => b[1] - a[1]);
      for (const [id, bound] of queue) {
        if (best !== null && bound <= best.rating) break;
        const rating = await this.rate(chosen, { remove: null, add: id });
        if (rating === null) stale.delete(id);
        else {
          stale.set(id, rating);
          if (best === null || rating > best.rating) best = { rating, move: { remove: null, add: id } };
        }
      }
      if (best === null) return;
      if (best.move.remove) chosen.delete(best.move.remove);
      chosen.add(best.move.add);
      stale.delete(best.move.add);
    }
  }

  private async rateAlone(): Promise<Map<string, number>> {
    const ratings = new Map<string, number>();
    for (const id of this.byId.keys()) {
      // Not worth it alone: rated again once nothing else is (a join's second index pays only after the first).
      ratings.set(id, (await this.rate(new Set(), { remove: null, add: id })) ?? 0);
    }
    this.firstRatings = ratings;
    return ratings;
  }

  /** Adds each bundle that pays as a whole; true when one was added. */
  private async bundlePass(chosen: Set<string>): Promise<boolean> {
    let added = false;
    for (const bundle of this.options.bundles ?? []) {
      const missing = bundle.filter((id) => !chosen.has(id) && this.byId.has(id));
      if (missing.length < 2) continue;
      const next = new Set([...chosen, ...missing]);
      if (!this.fits(next) || !this.worth(await this.change(chosen, next, missing))) continue;
      for (const id of missing) chosen.add(id);
      added = true;
    }
    return added;
  }

  private async dropPass(chosen: Set<string>): Promise<void> {
    for (const id of [...chosen].reverse()) {
      const without = new Set(chosen);
      without.delete(id);
      const result = await this.change(chosen, without, [id]);
      if (result.delta <= 0) chosen.delete(id);
    }
  }

  /**
   * Under a budget: one chosen index replaced by two smaller ones on the same table
   * (a wide (a, b) by (a) and (b), each serving other queries), among the table's
   * SPLIT_CANDIDATES best-rated candidates.
   */
  private async splitPass(chosen: Set<string>): Promise<void> {
    for (const id of [...chosen]) {
      const table = this.byId.get(id)?.table;
      const ranked: { id: string; rating: number }[] = [];
      for (const c of this.byId.values()) {
        if (chosen.has(c.id) || c.table !== table) continue;
        const rating = await this.rate(new Set([...chosen].filter((x) => x !== id)), { remove: null, add: c.id });
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
          const next = new Set([...chosen].filter((x) => x !== id));
          for (const p of pair) next.add(p);
          if (!this.fits(next)) continue;
          const { delta } = await this.change(chosen, next, [id, ...pair]);
          if (delta < -1e-9 && (best === null || delta < best.delta)) best = { pair, delta };
        }
      }
      if (best !== null) {
        chosen.delete(id);
        for (const p of best.pair) chosen.add(p);
      }
    }
  }

  private async swapPass(chosen: Set<string>): Promise<void> {
    for (let round = 0; round < 2; round++) {
      let improved = false;
      for (const id of [...chosen]) {
        const table = this.byId.get(id)?.table;
        for (const other of this.byId.values()) {
          if (chosen.has(other.id) || other.table !== table || !chosen.has(id)) continue;
          const next = new Set(chosen);
          next.delete(id);
          next.add(other.id);
          if (!this.fits(next)) continue;
          const result = await this.change(chosen, next, [id, other.id]);
          if (result.delta < -1e-9) {
            chosen.delete(id);
            chosen.add(other.id);
            improved = true;
            break;
          }
        }
      }
      if (!improved) return;
    }
  }
}
