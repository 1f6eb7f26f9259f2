/**
 * Pinning the values a measurement drew for $n placeholders: verify draws them from
 * the data with `OFFSET k LIMIT 1` and no ORDER BY, and once an index exists the
 * planner may read that row through the index, in another order, so a second
 * measurement could look up another tenant or conversation. The benchmark measures
 * each query's first draw every time instead: the values are inlined as literals
 * (quoted, of unknown type, so PostgreSQL types them as it types a parameter) into
 * the query's only sample, which verify then runs as it is.
 */
import { scanTokens } from '../../src/analysis/parse.js';
import type { Measurement, QueryMeasurement } from '../../src/model/measurement.js';
import type { Workload } from '../../src/model/workload.js';

export function literal(value: string | null): string {
  return value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`;
}

/** `sql` with each $n replaced by the literal of params[n - 1]; null if it does not scan or a value is missing. */
export function inlineParams(sql: string, params: readonly (string | null)[]): string | null {
  if (params.length === 0) return sql;
  const tokens = scanTokens(sql);
  if (tokens === null) return null;
  let text = sql;
  for (const token of [...tokens].reverse()) {
    if (token.kind !== 'PARAM') continue;
    const index = Number(token.text.slice(1)) - 1;
    if (index < 0 || index >= params.length) return null;
    text = text.slice(0, token.start) + literal(params[index] ?? null) + text.slice(token.end);
  }
  return text;
}

/** What a measurement ran, values inlined: equal texts mean the same rows were asked for. */
export function executedText(query: QueryMeasurement): string | null {
  return query.executed === null ? null : inlineParams(query.executed.sql, query.executed.params);
}

/** The workload with each measured query's executed text as its only sample. */
export function pinWorkload(workload: Workload, measured: Measurement): Workload {
  const texts = new Map(measured.queries.map((q) => [q.fingerprint, executedText(q)]));
  return {
    ...workload,
    queries: workload.queries.map((q) => {
      const text = texts.get(q.fingerprint);
      return text === null || text === undefined ? q : { ...q, samples: [text] };
    }),
  };
}
