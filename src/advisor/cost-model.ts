/**
 * The workload's costs as numbers, so the selection needs no planner call of its own.
 *
 * Atomic configurations (after CoPhy, Dash et al. 2011): for each query, the planner
 * was asked about a few small sets of candidates, and each answer is kept as an
 * atom — the indexes its plan used, and its cost. A plan that uses the indexes U out
 * of those offered is also the plan with only U offered, so the atom is U alone. The
 * cost of a query under any configuration is then estimated as the cheapest atom the
 * configuration contains (no atom: the cost with no candidate). An index that extends
 * an atom's index (its keys, then more keys or INCLUDE columns, same predicate) stands
 * in for it: a b-tree serves whatever its leading part serves, at about the same cost.
 * Interactions the planner was not asked about are missed, not invented; the
 * verification rounds in advise.ts ask about the configurations the selection
 * actually lands on, so the advice's own figures are the planner's. Pure.
 */

/** Anything that says whether an index is in a configuration (a Set is one). */
export interface Config {
  has(id: string): boolean;
}

export interface Atom {
  /** The candidates the plan used, sorted. */
  readonly ids: readonly string[];
  readonly cost: number;
}

export interface QueryEstimate {
  readonly cost: number;
  /** The candidates of the cheapest atom (empty: the cost without candidates). */
  readonly used: readonly string[];
}

export class CostModel {
  private readonly atoms = new Map<string, Atom[]>();
  private readonly affecting = new Map<string, Set<string>>();
  private readonly narrower = new Map<string, string[]>();
  /** Per query, per candidate: the atoms it can complete (it is a member, or extends one). */
  private readonly completing = new Map<string, Map<string, Atom[]>>();
  private readonly known = new Map<string, Set<string>>();

  /**
   * @param base each query's cost with no candidate
   * @param wider for each candidate, the candidates that extend it (they stand in for it)
   */
  constructor(
    private readonly base: ReadonlyMap<string, number>,
    private readonly wider: ReadonlyMap<string, readonly string[]> = new Map(),
  ) {
    for (const [id, list] of wider) for (const w of list) this.narrower.set(w, [...(this.narrower.get(w) ?? []), id]);
  }

  /**
   * The configuration holds the index, or one that extends it and of which the planner
   * said nothing for this query (what it did say about a wider index is its own atom:
   * a bigger index can cost more than the narrow one it would stand in for).
   */
  private holds(config: Config, id: string, known: ReadonlySet<string>): boolean {
    return config.has(id) || (this.wider.get(id) ?? []).some((w) => config.has(w) && !known.has(w));
  }

  /** Candidates some atom of the query holds. */
  private knownFor(query: string): ReadonlySet<string> {
    let known = this.known.get(query);
    if (known === undefined) {
      known = new Set((this.atoms.get(query) ?? []).flatMap((a) => a.ids));
      this.known.set(query, known);
    }
    return known;
  }

  baseCost(query: string): number {
    return this.base.get(query) ?? 0;
  }

  /** Keeps what the planner said about `query` with `used` in its plan. */
  record(query: string, used: readonly string[], cost: number): void {
    if (used.length === 0) return;
    const ids = [...new Set(used)].sort();
    const list = this.atoms.get(query) ?? [];
    const same = list.find((a) => a.ids.length === ids.length && a.ids.every((id, i) => id === ids[i]));
    if (same !== undefined) {
      if (cost >= same.cost) return;
      list.splice(list.indexOf(same), 1);
    }
    this.completing.delete(query);
    this.known.delete(query);
    // cheapest first: the first atom a configuration holds is its estimate
    const at = list.findIndex((a) => a.cost > cost);
    list.splice(at < 0 ? list.length : at, 0, { ids, cost });
    this.atoms.set(query, list);
    for (const id of ids) {
      const queries = this.affecting.get(id) ?? new Set<string>();
      queries.add(query);
      this.affecting.set(id, queries);
    }
  }

  estimate(query: string, config: Config): QueryEstimate {
    const known = this.knownFor(query);
    const base = this.baseCost(query);
    for (const atom of this.atoms.get(query) ?? []) {
      if (atom.cost >= base) break;
      if (atom.ids.every((id) => this.holds(config, id, known))) return { cost: atom.cost, used: atom.ids };
    }
    return { cost: base, used: [] };
  }

  /**
   * The estimate after adding `added` to a configuration whose estimate was `current`:
   * only the atoms an added index can complete can lower it (much cheaper than
   * `estimate` when a query has many atoms).
   */
  estimateAdding(query: string, config: Config, added: readonly string[], current: number): number {
    const known = this.knownFor(query);
    let best = current;
    for (const id of added) {
      for (const atom of this.atomsCompletedBy(query, id)) {
        if (atom.cost >= best) break;
        if (atom.ids.every((member) => this.holds(config, member, known))) best = atom.cost;
      }
    }
    return best;
  }

  private atomsCompletedBy(query: string, id: string): readonly Atom[] {
    let byId = this.completing.get(query);
    if (byId === undefined) {
      byId = new Map();
      this.completing.set(query, byId);
    }
    let atoms = byId.get(id);
    if (atoms === undefined) {
      const stands = new Set([id, ...(this.narrower.get(id) ?? [])]);
      atoms = (this.atoms.get(query) ?? []).filter((a) => a.ids.some((member) => stands.has(member)));
      byId.set(id, atoms);
    }
    return atoms;
  }

  /** Queries some atom of which holds the candidate or one it extends: the only costs it can change. */
  queriesAffectedBy(id: string): ReadonlySet<string> {
    const own = this.affecting.get(id);
    const narrower = (this.narrower.get(id) ?? []).filter((n) => this.affecting.has(n));
    if (narrower.length === 0) return own ?? new Set();
    return new Set([...(own ?? []), ...narrower.flatMap((n) => [...(this.affecting.get(n) ?? [])])]);
  }

  /** Candidates that appear in an atom, or extend one that does (the only ones worth choosing). */
  candidatesInUse(): string[] {
    const ids = new Set(this.affecting.keys());
    for (const id of this.affecting.keys()) for (const w of this.wider.get(id) ?? []) ids.add(w);
    return [...ids].sort();
  }

  /** The distinct sets of two or more candidates some plan used together (they may pay only together). */
  groups(): string[][] {
    const seen = new Map<string, string[]>();
    for (const list of this.atoms.values())
      for (const atom of list) if (atom.ids.length > 1) seen.set(atom.ids.join('\u0000'), [...atom.ids]);
    return [...seen.values()];
  }

  atomsOf(query: string): readonly Atom[] {
    return this.atoms.get(query) ?? [];
  }

  atomCount(): number {
    let n = 0;
    for (const list of this.atoms.values()) n += list.length;
    return n;
  }
}
