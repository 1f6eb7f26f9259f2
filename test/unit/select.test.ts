/**
 * The selection on fixed cost tables (no database): each query's cost under a
 * configuration comes from a CostModel whose atoms are written here by hand.
 */
import { describe, expect, it } from 'vitest';
import { type Config, CostModel } from '../../src/advisor/cost-model.js';
import { Selector, type SelectionCandidate, type SelectionOptions } from '../../src/advisor/select.js';

interface Query {
  readonly fingerprint: string;
  readonly weight: number;
  readonly baseCost: number;
}

interface Case {
  readonly queries: readonly Query[];
  readonly candidates: readonly SelectionCandidate[];
  /** query → atoms: the indexes a plan used and its cost */
  readonly atoms: Readonly<Record<string, readonly (readonly [readonly string[], number])[]>>;
  readonly wider?: ReadonlyMap<string, readonly string[]>;
}

function candidate(id: string, bytes: number, extra: Partial<SelectionCandidate> = {}): SelectionCandidate {
  return { id, table: id.split('(')[0] ?? id, bytes, writePenalty: 0, widenings: [], singleColumn: !id.includes(','), ...extra };
}

function model(c: Case): CostModel {
  const m = new CostModel(new Map(c.queries.map((q) => [q.fingerprint, q.baseCost])), c.wider ?? new Map());
  for (const [query, atoms] of Object.entries(c.atoms)) for (const [ids, cost] of atoms) m.record(query, ids, cost);
  return m;
}

function selector(c: Case, options: Partial<SelectionOptions> = {}): Selector<Query> {
  const m = model(c);
  const byFingerprint = new Map(c.queries.map((q) => [q.fingerprint, q]));
  return new Selector(
    c.queries,
    c.candidates,
    (q, config) => m.estimate(q.fingerprint, config).cost,
    (id) => [...m.queriesAffectedBy(id)].flatMap((fp) => byFingerprint.get(fp) ?? []),
    // the heuristic passes on their own unless a test asks for the exact search of small sets
    { budgetBytes: null, maxIndexes: null, minImprovement: 0.1, exactLimit: 0, ...options },
  );
}

const select = (c: Case, options: Partial<SelectionOptions> = {}) => [...selector(c, options).select().chosen].sort();

describe('selection on a cost model', () => {
  const twoQueries: Case = {
    queries: [
      { fingerprint: 'q1', weight: 10, baseCost: 1000 },
      { fingerprint: 'q2', weight: 1, baseCost: 1000 },
    ],
    candidates: [candidate('t(a)', 100), candidate('t(b)', 100), candidate('t(c)', 100)],
    atoms: { q1: [[['t(a)'], 10]], q2: [[['t(b)'], 10]] },
  };

  it('picks each index that pays, and only those', () => {
    expect(select(twoQueries)).toEqual(['t(a)', 't(b)']);
  });

  it('honours --max-indexes by taking the bigger saving first', () => {
    expect(select(twoQueries, { maxIndexes: 1 })).toEqual(['t(a)']);
  });

  it('a change under --min-improvement counts as none', () => {
    const c: Case = { ...twoQueries, atoms: { q1: [[['t(a)'], 950]], q2: [[['t(b)'], 10]] } };
    expect(select(c)).toEqual(['t(b)']);
    expect(select(c, { minImprovement: 0.01 })).toEqual(['t(a)', 't(b)']);
  });

  it('an index whose write penalty is larger than its saving is not chosen', () => {
    const c: Case = {
      ...twoQueries,
      candidates: [candidate('t(a)', 100), candidate('t(b)', 100, { writePenalty: 5000 })],
    };
    // t(b) saves 1 × 990 but costs the writes 5000
    expect(select(c)).toEqual(['t(a)']);
  });

  it('under a tight budget, two small indexes beat one big one that saves more alone', () => {
    const c: Case = {
      queries: [
        { fingerprint: 'q1', weight: 1, baseCost: 1000 },
        { fingerprint: 'q2', weight: 1, baseCost: 1000 },
      ],
      candidates: [candidate('t(a,b)', 300), candidate('t(a)', 100), candidate('t(b)', 100)],
      atoms: {
        q1: [
          [['t(a,b)'], 1],
          [['t(a)'], 50],
        ],
        q2: [
          [['t(a,b)'], 10],
          [['t(b)'], 60],
        ],
      },
    };
    expect(select(c, { budgetBytes: 250 })).toEqual(['t(a)', 't(b)']);
    // by saving per byte the two small ones come first and fill the budget; the big one alone saves more
    expect(select(c, { budgetBytes: 300 })).toEqual(['t(a,b)']);
  });

  it('widens a chosen index when a wider one serves more queries', () => {
    const c: Case = {
      queries: [
        { fingerprint: 'q1', weight: 5, baseCost: 1000 },
        { fingerprint: 'q2', weight: 5, baseCost: 1000 },
      ],
      candidates: [candidate('t(a)', 100, { widenings: ['t(a,b)'] }), candidate('t(a,b)', 150)],
      atoms: {
        q1: [[['t(a)'], 10]],
        q2: [
          [['t(a,b)'], 10],
          [['t(a)'], 600],
        ],
      },
      // (a, b) stands in for (a) in q1's atom
      wider: new Map([['t(a)', ['t(a,b)']]]),
    };
    expect(select(c)).toEqual(['t(a,b)']);
  });

  it('indexes that pay only together (a join) are added as a group', () => {
    const c: Case = {
      queries: [{ fingerprint: 'q1', weight: 1, baseCost: 1000 }],
      candidates: [candidate('s(x)', 100), candidate('t(y)', 100)],
      atoms: {
        q1: [
          [['s(x)', 't(y)'], 10],
          [['s(x)'], 980],
          [['t(y)'], 990],
        ],
      },
    };
    const s = selector(c, { groups: [['s(x)', 't(y)']] }).select();
    expect([...s.chosen].sort()).toEqual(['s(x)', 't(y)']);
    expect(s.costAfter).toBe(10);
    // without the group, neither alone is worth it
    expect(select(c)).toEqual([]);
  });

  it('drops an index that a later choice made redundant', () => {
    const c: Case = {
      queries: [
        { fingerprint: 'q1', weight: 10, baseCost: 1000 },
        { fingerprint: 'q2', weight: 1, baseCost: 1000 },
      ],
      candidates: [candidate('t(a)', 10), candidate('t(a,b)', 1000)],
      atoms: {
        q1: [
          [['t(a)'], 100],
          [['t(a,b)'], 90],
        ],
        q2: [[['t(a,b)'], 1]],
      },
    };
    // t(a) first (best per byte), then t(a,b) for q2, which also serves q1 better: t(a) goes
    expect(select(c)).toEqual(['t(a,b)']);
  });

  it('stops at the deadline with what it has', () => {
    const s = selector(twoQueries, { deadline: performance.now() - 1 }).select();
    expect(s.cut).toBe(true);
    expect(s.chosen).toEqual([]);
  });
});

describe('against the exhaustive optimum on small workloads', () => {
  /** A seeded generator (mulberry32). */
  function random(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** Tables with narrow and composite candidates; queries with single-index and join atoms. */
  function instance(seed: number): Case {
    const r = random(seed);
    const candidates: SelectionCandidate[] = [];
    const wider = new Map<string, string[]>();
    for (const table of ['s', 't', 'u']) {
      for (const col of ['a', 'b']) {
        const narrow = `${table}(${col})`;
        const wide = `${table}(${col},c)`;
        candidates.push(candidate(narrow, 50 + Math.floor(r() * 100), { widenings: [wide] }));
        candidates.push(candidate(wide, 120 + Math.floor(r() * 200), { writePenalty: Math.floor(r() * 200) }));
        wider.set(narrow, [wide]);
      }
    }
    const ids = candidates.map((c) => c.id);
    const pick = () => ids[Math.floor(r() * ids.length)] as string;
    const queries: Query[] = [];
    const atoms: Record<string, [string[], number][]> = {};
    for (let i = 0; i < 8; i++) {
      const fingerprint = `q${i}`;
      const baseCost = 500 + Math.floor(r() * 5000);
      queries.push({ fingerprint, weight: 1 + Math.floor(r() * 20), baseCost });
      const list: [string[], number][] = [];
      for (let k = 0; k < 3; k++) list.push([[pick()], Math.floor(baseCost * (0.05 + r() * 0.9))]);
      list.push([[pick(), pick()], Math.floor(baseCost * r() * 0.1)]);
      atoms[fingerprint] = list;
    }
    return { queries, candidates, atoms, wider };
  }

  /** The best objective over every subset of the candidates that fits. */
  function optimum(c: Case, s: Selector<Query>, options: { budgetBytes: number | null }): number {
    const ids = c.candidates.map((x) => x.id);
    let best = Number.POSITIVE_INFINITY;
    for (let mask = 0; mask < 1 << ids.length; mask++) {
      const config = new Set(ids.filter((_, i) => mask & (1 << i)));
      const bytes = c.candidates.filter((x) => config.has(x.id)).reduce((sum, x) => sum + x.bytes, 0);
      if (options.budgetBytes !== null && bytes > options.budgetBytes) continue;
      best = Math.min(best, s.total(config));
    }
    return best;
  }

  /** Each instance's share of the best possible saving that the selection reaches. */
  function shares(options: Partial<SelectionOptions>): number[] {
    const result: number[] = [];
    for (let seed = 1; seed <= 60; seed++) {
      const c = instance(seed);
      const groups = Object.values(c.atoms).flatMap((list) => list.map(([ids]) => ids).filter((ids) => new Set(ids).size > 1));
      for (const budgetBytes of [null, 400, 800]) {
        const s = selector(c, { budgetBytes, groups, ...options });
        const chosen = s.select();
        const before = s.total(new Set());
        const best = optimum(c, s, { budgetBytes });
        result.push(before - best <= 0 ? 1 : (before - chosen.costAfter) / (before - best));
      }
    }
    return result;
  }

  it('the heuristic passes alone reach 98% of the best possible saving on average (12 candidates, 8 queries, 60 workloads × 3 budgets)', () => {
    const all = shares({ exactLimit: 0 });
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    expect(mean).toBeGreaterThanOrEqual(0.98);
    expect(Math.min(...all)).toBeGreaterThan(0.8);
  });

  it('with at most 12 candidates the selection is exact: the optimum on every workload and budget', () => {
    const all = shares({ exactLimit: 12 });
    expect(all.length).toBe(180);
    for (const share of all) expect(share).toBeCloseTo(1, 9);
  });

  it('the exact search respects the budget and the count limit', () => {
    const c = instance(7);
    const s = selector(c, { budgetBytes: 300, maxIndexes: 2, exactLimit: 12 });
    const chosen = s.select().chosen;
    expect(chosen.length).toBeLessThanOrEqual(2);
    const bytes = c.candidates.filter((x) => chosen.includes(x.id)).reduce((sum, x) => sum + x.bytes, 0);
    expect(bytes).toBeLessThanOrEqual(300);
  });
});

describe('the cost model', () => {
  it('a configuration costs its cheapest atom; an extending index stands in', () => {
    const m = new CostModel(new Map([['q', 100]]), new Map([['t(a)', ['t(a,b)']]]));
    m.record('q', ['t(a)'], 40);
    m.record('q', ['t(a)', 's(x)'], 10);
    const config = (ids: string[]): Config => new Set(ids);
    expect(m.estimate('q', config([])).cost).toBe(100);
    expect(m.estimate('q', config(['t(a)'])).cost).toBe(40);
    expect(m.estimate('q', config(['t(a,b)'])).cost).toBe(40);
    expect(m.estimate('q', config(['t(a,b)', 's(x)'])).cost).toBe(10);
    expect([...m.queriesAffectedBy('t(a,b)')]).toEqual(['q']);
    expect(m.groups()).toEqual([['s(x)', 't(a)']]);
  });

  it('keeps the lower of two answers for the same indexes', () => {
    const m = new CostModel(new Map([['q', 100]]));
    m.record('q', ['t(a)'], 50);
    m.record('q', ['t(a)'], 45);
    m.record('q', ['t(a)'], 60);
    expect(m.atomsOf('q')).toEqual([{ ids: ['t(a)'], cost: 45 }]);
  });
});
