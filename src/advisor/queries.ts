/**
 * Which workload queries the advisor costs, and with which texts. A query is left
 * out with a reason when it cannot be helped by an index on a user table.
 */
import type { AnalyzedQuery } from '../analysis/analyze-workload.js';
import { scanTokens } from '../analysis/parse.js';
import type { QueryAnalysis, TableWrite } from '../model/analysis.js';
import type { SkippedQuery } from '../model/recommendation.js';
import { qualifiedKey } from '../model/catalog.js';
import type { CostText } from './what-if.js';

export interface AdvisorQuery {
  readonly fingerprint: string;
  readonly sql: string;
  readonly name?: string;
  readonly weight: number;
  readonly texts: readonly CostText[];
  readonly tables: ReadonlySet<string>;
  readonly analysis: QueryAnalysis;
  readonly writes: readonly TableWrite[];
}

export interface QueryFilter {
  readonly includeTables: readonly string[] | null;
  readonly excludeTables: readonly string[];
  readonly minCalls: number;
}

/** "users", "public.users" or "\"Bar\".\"Foo\"" style names match a table. */
export function matchesTable(table: { schema: string; name: string }, patterns: readonly string[]): boolean {
  return patterns.some((p) => {
    const plain = p.replaceAll('"', '');
    return plain === table.name || plain === qualifiedKey(table);
  });
}

export function selectQueries(
  analyzed: readonly AnalyzedQuery[],
  filter: QueryFilter,
): { queries: AdvisorQuery[]; skipped: SkippedQuery[] } {
  const queries: AdvisorQuery[] = [];
  const skipped: SkippedQuery[] = [];
  for (const item of analyzed) {
    const skip = (reason: string) => skipped.push({ sql: item.query.sql, reason });
    const analysis = item.analysis;
    if (analysis === null) {
      skip(`cannot analyze: ${item.error ?? 'unknown error'}`);
      continue;
    }
    if (analysis.unknownTables.length > 0) {
      skip(`not in the schema: ${analysis.unknownTables.join(', ')}`);
      continue;
    }
    if (analysis.noUserTables) {
      skip('reads no user table (a catalog or table-less query)');
      continue;
    }
    if (item.query.calls < filter.minCalls) {
      skip(`called ${item.query.calls} times, fewer than --min-calls`);
      continue;
    }
    const touched = [...analysis.accesses.map((a) => a.table), ...analysis.writes.map((w) => w.table)];
    const included = touched.filter(
      (t) => (filter.includeTables === null || matchesTable(t, filter.includeTables)) && !matchesTable(t, filter.excludeTables),
    );
    if (included.length === 0) {
      skip('its tables are excluded by --include/--exclude');
      continue;
    }
    queries.push({
      fingerprint: item.query.fingerprint,
      sql: item.query.sql,
      ...(item.query.name === undefined ? {} : { name: item.query.name }),
      weight: item.query.calls,
      texts: costTexts(item),
      tables: new Set(touched.map((t) => qualifiedKey(t))),
      analysis: {
        ...analysis,
        accesses: analysis.accesses.filter((a) => included.some((t) => t.schema === a.table.schema && t.name === a.table.name)),
      },
      writes: analysis.writes,
    });
  }
  return { queries, skipped };
}

/**
 * Texts to EXPLAIN: samples with real values when the workload has them (custom
 * plans), else the text with $n placeholders as a generic plan.
 */
export function costTexts(item: AnalyzedQuery): CostText[] {
  const literal = item.query.samples.filter((s) => !hasParams(s));
  if (literal.length > 0) return literal.slice(0, 3).map((sql) => ({ sql, generic: false }));
  const text = item.query.samples[0] ?? item.query.sql;
  return [{ sql: text, generic: hasParams(text) }];
}

/** The text has $n placeholders (a `$` outside them is rare enough to scan only then). */
function hasParams(text: string): boolean {
  return text.includes('$') && (scanTokens(text) ?? []).some((t) => t.kind === 'PARAM');
}
