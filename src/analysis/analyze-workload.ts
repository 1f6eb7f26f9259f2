/**
 * A whole workload against a catalog: each query analyzed, then per table the
 * columns by role with the share of the workload that uses them, and the mix of
 * reads and writes. Pure.
 */
import type { ColumnRole, QueryAnalysis } from '../model/analysis.js';
import { type Catalog, type QualifiedName, qualifiedKey } from '../model/catalog.js';
import type { Workload, WorkloadQuery } from '../model/workload.js';
import { type AnalyzeOptions, analyzeStatement } from './analyze-query.js';
import { type AstNode, LITERAL_TOKENS, scanTokens } from './parse.js';
import { parseEitherFlavour } from './sqlite-flavour.js';

export interface AnalyzedQuery {
  readonly query: WorkloadQuery;
  /** The text that was analyzed: a sample with real values, or the normalized text. */
  readonly text: string;
  readonly analysis: QueryAnalysis | null;
  readonly error?: string;
}

export interface ColumnRoleUsage {
  readonly column: string;
  readonly role: ColumnRole;
  readonly detail?: string;
  readonly queries: number;
  /** Share of the workload's weight (time, or calls) in queries that use the column this way. */
  readonly share: number;
}

export interface TableUsage {
  readonly table: QualifiedName;
  readonly readQueries: number;
  readonly writeQueries: number;
  /** Shares of the workload's weight. */
  readonly readShare: number;
  readonly writeShare: number;
  readonly readCalls: number;
  readonly writeCalls: number;
  readonly columns: readonly ColumnRoleUsage[];
}

export interface WorkloadAnalysis {
  readonly queries: readonly AnalyzedQuery[];
  readonly tables: readonly TableUsage[];
  readonly unknownTables: readonly { readonly name: string; readonly queries: number }[];
  /** What shares are measured in: total time when the sources measured it, else calls. */
  readonly weightBasis: 'time' | 'calls';
}

export function queryWeight(query: WorkloadQuery, basis: 'time' | 'calls'): number {
  return basis === 'time' ? query.totalTimeMs : query.calls;
}

export function analyzeWorkload(workload: Workload, catalog: Catalog): WorkloadAnalysis {
  const viewCache = new Map<string, AstNode | null>();
  const queries = workload.queries.map((query) => analyzeOne(query, catalog, viewCache));
  const basis = workload.timed ? 'time' : 'calls';
  return { queries, tables: tableUsage(queries, basis), unknownTables: unknown(queries), weightBasis: basis };
}

function analyzeOne(query: WorkloadQuery, catalog: Catalog, viewCache: Map<string, AstNode | null>): AnalyzedQuery {
  const representative = representativeText(query);
  let text = representative.text;
  try {
    const parsed = parseEitherFlavour(text);
    if (!parsed.ok) throw parsed.error;
    text = parsed.text;
    // literal positions were read on the text as written: after a rewrite they no longer line up
    const constantLiterals =
      parsed.rewritten && typeof representative.constantLiterals === 'function' ? 'none' : representative.constantLiterals;
    const [statement] = parsed.statements;
    if (statement === undefined) return { query, text, analysis: null, error: 'empty statement' };
    return { query, text, analysis: analyzeStatement(statement.stmt, catalog, { constantLiterals, viewCache }) };
  } catch (error) {
    return { query, text, analysis: null, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Which text to analyze and which of its literals are constants. A text written
 * with $n placeholders (an ORM's, a SQL file's) keeps its literals on purpose;
 * otherwise a literal counts as constant only when every sample has the same one.
 */
export function representativeText(query: WorkloadQuery): { text: string; constantLiterals: AnalyzeOptions['constantLiterals'] } {
  const authored = query.samples.find((s) => scanTokens(s)?.some((t) => t.kind === 'PARAM'));
  if (authored !== undefined) return { text: authored, constantLiterals: 'all' };
  const [first] = query.samples;
  if (first !== undefined && query.sources.some((s) => s.startsWith('sql:'))) return { text: first, constantLiterals: 'all' };
  if (first !== undefined && query.samples.length >= 2) return { text: first, constantLiterals: stableLiterals(query.samples) };
  return { text: query.sql, constantLiterals: 'none' };
}

/** Literal positions whose value is the same in every sample, as a test on byte offsets of the first. */
function stableLiterals(samples: readonly string[]): (location: number) => boolean {
  const literals = samples.map((s) => (scanTokens(s) ?? []).filter((t) => LITERAL_TOKENS.has(t.kind)));
  const first = literals[0] ?? [];
  if (literals.some((l) => l.length !== first.length)) return () => false;
  const stable = new Set(first.filter((token, i) => literals.every((l) => l[i]?.text === token.text)).map((t) => t.byteStart));
  return (location) => stable.has(location);
}

const key = (table: QualifiedName): string => qualifiedKey(table);

function tableUsage(queries: readonly AnalyzedQuery[], basis: 'time' | 'calls'): TableUsage[] {
  const total = queries.reduce((sum, q) => sum + queryWeight(q.query, basis), 0) || 1;
  const tables = new Map<
    string,
    { table: QualifiedName; reads: AnalyzedQuery[]; writes: AnalyzedQuery[]; roles: Map<string, ColumnRoleUsage> }
  >();
  const entry = (table: QualifiedName) => {
    const k = key(table);
    if (!tables.has(k)) tables.set(k, { table, reads: [], writes: [], roles: new Map() });
    return tables.get(k) as NonNullable<ReturnType<typeof tables.get>>;
  };
  for (const q of queries) {
    if (q.analysis === null) continue;
    const weight = queryWeight(q.query, basis);
    const written = new Set(q.analysis.writes.map((w) => key(w.table)));
    for (const write of q.analysis.writes) if (!entry(write.table).writes.includes(q)) entry(write.table).writes.push(q);
    for (const access of q.analysis.accesses) {
      if (!written.has(key(access.table)) && !entry(access.table).reads.includes(q)) entry(access.table).reads.push(q);
    }
    const seen = new Set<string>();
    for (const use of q.analysis.uses) {
      const roleKey = `${use.column}\u0000${use.role}\u0000${use.detail ?? ''}`;
      const tableEntry = entry(use.table);
      if (seen.has(`${key(use.table)}\u0000${roleKey}`)) continue;
      seen.add(`${key(use.table)}\u0000${roleKey}`);
      const previous = tableEntry.roles.get(roleKey);
      tableEntry.roles.set(roleKey, {
        column: use.column,
        role: use.role,
        ...(use.detail === undefined ? {} : { detail: use.detail }),
        queries: (previous?.queries ?? 0) + 1,
        share: (previous?.share ?? 0) + weight / total,
      });
    }
  }
  const sum = (list: AnalyzedQuery[], f: (q: AnalyzedQuery) => number) => list.reduce((s, q) => s + f(q), 0);
  return [...tables.values()]
    .map((t) => ({
      table: t.table,
      readQueries: t.reads.length,
      writeQueries: t.writes.length,
      readShare: sum(t.reads, (q) => queryWeight(q.query, basis)) / total,
      writeShare: sum(t.writes, (q) => queryWeight(q.query, basis)) / total,
      readCalls: sum(t.reads, (q) => q.query.calls),
      writeCalls: sum(t.writes, (q) => q.query.calls),
      columns: [...t.roles.values()].sort((a, b) => b.share - a.share || a.column.localeCompare(b.column)),
    }))
    .sort((a, b) => b.readShare + b.writeShare - (a.readShare + a.writeShare));
}

function unknown(queries: readonly AnalyzedQuery[]): { name: string; queries: number }[] {
  const counts = new Map<string, number>();
  for (const q of queries) for (const name of q.analysis?.unknownTables ?? []) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts.entries()].map(([name, n]) => ({ name, queries: n })).sort((a, b) => b.queries - a.queries);
}
