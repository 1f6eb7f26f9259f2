/**
 * Scores a configuration the same way for every algorithm: its indexes created as
 * HypoPG hypothetical indexes (nothing else hypothetical in the session), every
 * query EXPLAINed (generic plans for $n texts, literal texts as they are), Σ
 * weight × cost, the geometric mean of after/before, and which indexes each plan uses.
 */
import type { AdvisorQuery } from '../../src/advisor/queries.js';
import type { Engine } from '../../src/engines/engine.js';
import { quoteIdentAlways } from '../../src/sql/names.js';
import { indexesUsed } from '../../src/model/plan.js';
import type { ChosenIndex, Evaluation, QueryEvaluation } from './types.js';
import { type BenchWorkload, queryLabel } from './workload.js';

/** Mean plan cost over the query's texts, and the hypothetical index OIDs the plans read. */
export async function explainQuery(engine: Engine, query: AdvisorQuery): Promise<{ cost: number; oids: number[] }> {
  let total = 0;
  const oids = new Set<number>();
  for (const text of query.texts) {
    const plan = await engine.explain(text.sql, { generic: text.generic });
    total += plan.totalCost;
    for (const name of indexesUsed(plan)) {
      const oid = /^<(\d+)>/.exec(name)?.[1];
      if (oid !== undefined) oids.add(Number(oid));
    }
  }
  return { cost: total / Math.max(1, query.texts.length), oids: [...oids] };
}

export class HypotheticalSession {
  private readonly fn: (name: string) => string;

  constructor(
    private readonly engine: Engine,
    schema: string,
  ) {
    this.fn = (name) => `${quoteIdentAlways(schema)}.${name}`;
  }

  reset(): Promise<unknown> {
    return this.engine.query(`SELECT ${this.fn('hypopg_reset')}()`);
  }

  /** Creates the indexes; returns label by OID and each one's size. */
  async create(indexes: readonly ChosenIndex[]): Promise<{ labels: Map<number, string>; sizes: Record<string, number> }> {
    const labels = new Map<number, string>();
    const sizes: Record<string, number> = {};
    for (const index of indexes) {
      const [row] = await this.engine.query<{ oid: number; bytes: number }>(
        `SELECT indexrelid::int8::float8 AS oid, ${this.fn('hypopg_relation_size')}(indexrelid)::float8 AS bytes FROM ${this.fn('hypopg_create_index')}($1)`,
        [index.sql],
      );
      labels.set(Number(row?.oid), index.label);
      sizes[index.label] = Number(row?.bytes ?? 0);
    }
    return { labels, sizes };
  }
}

export async function hypopgSchema(engine: Engine): Promise<string> {
  const [row] = await engine.query<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'hypopg'`,
  );
  if (row === undefined) throw new Error('HypoPG is not installed in the benchmark database');
  return row.schema;
}

/** Costs of every query with no hypothetical index: the "before" of every evaluation. */
export async function baselineCosts(bench: BenchWorkload): Promise<Map<string, number>> {
  const session = new HypotheticalSession(bench.engine, await hypopgSchema(bench.engine));
  await session.reset();
  const costs = new Map<string, number>();
  for (const q of [...bench.queries, ...bench.extraQueries]) costs.set(q.fingerprint, (await explainQuery(bench.engine, q)).cost);
  return costs;
}

export async function evaluate(
  bench: BenchWorkload,
  before: ReadonlyMap<string, number>,
  indexes: readonly ChosenIndex[],
): Promise<Evaluation> {
  const session = new HypotheticalSession(bench.engine, await hypopgSchema(bench.engine));
  await session.reset();
  try {
    const { labels, sizes } = await session.create(indexes);
    const queries: QueryEvaluation[] = [];
    for (const [list, extra] of [
      [bench.queries, false],
      [bench.extraQueries, true],
    ] as const) {
      for (const q of list) {
        const after = await explainQuery(bench.engine, q);
        const uses = after.oids.map((oid) => labels.get(oid) ?? `oid ${oid}`);
        queries.push({
          name: queryLabel(q),
          weight: q.weight,
          before: before.get(q.fingerprint) ?? Number.NaN,
          after: after.cost,
          uses,
          extra,
        });
      }
    }
    return summarize(bench, queries, sizes);
  } finally {
    await session.reset();
  }
}

function geomean(queries: readonly QueryEvaluation[]): number {
  const logs = queries.filter((q) => q.before > 0).map((q) => Math.log(q.after / q.before));
  return Math.exp(logs.reduce((a, b) => a + b, 0) / Math.max(1, logs.length));
}

function summarize(bench: BenchWorkload, queries: readonly QueryEvaluation[], sizes: Record<string, number>): Evaluation {
  const workload = queries.filter((q) => !q.extra);
  const cheaperBy: Record<string, number> = {};
  for (const name of bench.highlights) {
    const q = queries.find((x) => x.name === name);
    if (q !== undefined) cheaperBy[name] = q.before / q.after;
  }
  return {
    costBefore: workload.reduce((s, q) => s + q.weight * q.before, 0),
    costAfter: workload.reduce((s, q) => s + q.weight * q.after, 0),
    geomean: geomean(workload),
    geomeanWithExtra: bench.extraQueries.length > 0 ? geomean(queries) : null,
    indexBytes: Object.values(sizes).reduce((a, b) => a + b, 0),
    cheaperBy,
    queries,
    indexSizes: sizes,
  };
}
