/**
 * The collector: every source adds RawStatements; it parses them with the real
 * PostgreSQL parser, keys (workload-key.ts: libpg-query's fingerprint refined by the
 * relations named) and normalizes them, and aggregates per key, the `fingerprint` of
 * each workload query. Statements the parser rejects are kept in `skipped` with its message.
 *
 * Parsing and fingerprinting are the expensive steps, so results are cached by the
 * statement's shape (its text with literal values blanked out, see shape-key.ts): a
 * log that repeats one query with a million different values parses it once.
 */
import { normalizeSql, SqlParseError } from '../analysis/parse.js';
import { parseEitherFlavour } from '../analysis/sqlite-flavour.js';
import { workloadKey } from '../analysis/workload-key.js';
import type { RawStatement, SkippedStatement, Workload, WorkloadQuery } from '../model/workload.js';
import { shapeKey } from './shape-key.js';
import { bindParams } from './sql-text.js';

const QUERY_STATEMENTS = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);
const MAX_SKIPPED = 1000;
const MAX_CACHE = 100_000;
const MAX_SKIPPED_TEXT = 2000;

type Shape =
  | { readonly kind: 'query'; readonly fingerprint: string; readonly sql: string }
  | { readonly kind: 'utility'; readonly type: string }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'multi' };

interface Entry {
  fingerprint: string;
  sql: string;
  samples: string[];
  calls: number;
  totalTimeMs: number;
  rows: number;
  sources: Set<string>;
  name?: string;
}

export interface CollectorOptions {
  /** Sample texts kept per fingerprint (default 3). */
  readonly maxSamples?: number;
}

export class WorkloadCollector {
  private readonly entries = new Map<string, Entry>();
  private readonly skipped = new Map<string, { -readonly [K in keyof SkippedStatement]: SkippedStatement[K] }>();
  private readonly utility: Record<string, number> = {};
  private readonly shapes = new Map<string, Shape>();
  private readonly maxSamples: number;
  private timed = false;
  /** Cache statistics, for the ingest benchmark. */
  readonly stats = { statements: 0, parses: 0, cacheHits: 0 };

  constructor(options: CollectorOptions = {}) {
    this.maxSamples = options.maxSamples ?? 3;
  }

  add(raw: RawStatement): void {
    const text = raw.sql.trim();
    if (text === '' || text === ';') return;
    this.stats.statements++;
    const key = shapeKey(text);
    const shape = key === null ? undefined : this.shapes.get(key);
    if (shape !== undefined && shape.kind !== 'multi') {
      this.stats.cacheHits++;
      this.record(shape, text, raw);
      return;
    }
    const shapes = this.parse(text);
    if (key !== null && this.shapes.size < MAX_CACHE) {
      this.shapes.set(key, shapes.length === 1 ? (shapes[0] as { shape: Shape }).shape : { kind: 'multi' });
    }
    for (const { shape, sql } of shapes) this.record(shape, shapes.length === 1 ? text : sql, raw);
  }

  private parse(text: string): { shape: Shape; sql: string }[] {
    this.stats.parses++;
    // The parser is C code: it would stop reading at a NUL and parse only what came before.
    if (text.includes('\u0000'))
      return [{ shape: { kind: 'skip', reason: 'parse error: the text contains a NUL byte, which PostgreSQL never accepts' }, sql: text }];
    const parsed = parseEitherFlavour(text);
    if (!parsed.ok) return [{ shape: { kind: 'skip', reason: parseReason(parsed.error, text) }, sql: text }];
    const { statements } = parsed;
    if (statements.length === 0) return [];
    return statements.map(({ stmt, sql }) => {
      const type = Object.keys(stmt)[0] ?? 'unknown';
      if (!QUERY_STATEMENTS.has(type)) return { shape: { kind: 'utility', type: type.replace(/Stmt$/, '') }, sql };
      try {
        return { shape: { kind: 'query', fingerprint: workloadKey({ stmt, sql }), sql: normalizeSql(sql) }, sql };
      } catch (error) {
        return { shape: { kind: 'skip', reason: parseReason(error, sql) }, sql };
      }
    });
  }

  private record(shape: Shape, text: string, raw: RawStatement): void {
    if (shape.kind === 'utility') {
      this.utility[shape.type] = (this.utility[shape.type] ?? 0) + (raw.calls ?? 1);
    } else if (shape.kind === 'skip') {
      this.skip(text, shape.reason, raw);
    } else if (shape.kind === 'query') {
      this.aggregate(shape, text, raw);
    }
  }

  private aggregate(shape: { fingerprint: string; sql: string }, text: string, raw: RawStatement): void {
    let entry = this.entries.get(shape.fingerprint);
    if (entry === undefined) {
      entry = { fingerprint: shape.fingerprint, sql: shape.sql, samples: [], calls: 0, totalTimeMs: 0, rows: 0, sources: new Set() };
      this.entries.set(shape.fingerprint, entry);
    }
    entry.calls += raw.calls ?? 1;
    if (raw.totalTimeMs !== undefined) {
      entry.totalTimeMs += raw.totalTimeMs;
      this.timed = true;
    }
    entry.rows += raw.rows ?? 0;
    entry.sources.add(raw.source);
    if (entry.name === undefined && raw.name !== undefined) entry.name = raw.name;
    if (entry.samples.length < this.maxSamples) {
      const sample = raw.params && raw.params.length > 0 ? bindParams(text, raw.params) : text;
      if (!entry.samples.includes(sample)) entry.samples.push(sample);
    }
  }

  private skip(text: string, reason: string, raw: RawStatement): void {
    const sql = text.length > MAX_SKIPPED_TEXT ? `${text.slice(0, MAX_SKIPPED_TEXT)}…` : text;
    const key = `${reason}\u0000${sql}`;
    const existing = this.skipped.get(key);
    if (existing) existing.count += raw.calls ?? 1;
    else if (this.skipped.size < MAX_SKIPPED) this.skipped.set(key, { sql, reason, source: raw.source, count: raw.calls ?? 1 });
  }

  /**
   * The workload gathered so far: one query per fingerprint, most total time (then calls)
   * first, with the skipped statements and the utility statements' counts.
   */
  result(): Workload {
    const queries: WorkloadQuery[] = [...this.entries.values()]
      .map((e) => ({
        fingerprint: e.fingerprint,
        sql: e.sql,
        samples: e.samples,
        calls: e.calls,
        totalTimeMs: e.totalTimeMs,
        meanTimeMs: e.calls > 0 ? e.totalTimeMs / e.calls : 0,
        rows: e.rows,
        sources: [...e.sources].sort(),
        ...(e.name === undefined ? {} : { name: e.name }),
      }))
      .sort((a, b) => b.totalTimeMs - a.totalTimeMs || b.calls - a.calls || a.fingerprint.localeCompare(b.fingerprint));
    return { queries, skipped: [...this.skipped.values()], utility: { ...this.utility }, timed: this.timed };
  }
}

function parseReason(error: unknown, text: string): string {
  const message = error instanceof SqlParseError || error instanceof Error ? error.message : String(error);
  const atEnd = error instanceof SqlParseError && error.position !== null && error.position >= Buffer.byteLength(text);
  return `parse error: ${message}${atEnd ? ' (the text may be truncated)' : ''}`;
}
