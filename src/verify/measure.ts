/**
 * Measuring one query: EXPLAIN (ANALYZE, BUFFERS) after a warm-up, N times. What runs
 * is judged first (read-only.ts): a provable read runs in a READ ONLY transaction that is
 * rolled back (PostgreSQL family), anything else inside a transaction (or a savepoint) that
 * is always rolled back, or not at all. A run that hits the statement timeout stops the
 * measurement: the timeout is then a lower bound of the query's time.
 */
import type { AnalyzedQuery } from '../analysis/analyze-workload.js';
import { beginWritable, type Capabilities, type Engine } from '../engines/engine.js';
import { oneLine, SQLSTATE, sqlStateOf, TimeoutError } from '../errors.js';
import type { Catalog } from '../model/catalog.js';
import type { QueryMeasurement } from '../model/measurement.js';
import { indexesUsed, type Plan, joinTypes, scanTypes } from '../model/plan.js';
import { postgresForm } from '../analysis/sqlite-flavour.js';
import { chooseParams, placeholderCount } from './params.js';
import { judgeStatement, type Verdict } from './read-only.js';

export interface MeasureOptions {
  readonly runs: number;
  readonly timeoutMs: number;
  readonly writes: 'rollback' | 'skip';
  /** Already inside a transaction (verify --trial): roll writes back to a savepoint. */
  readonly inTransaction?: boolean;
  /** What to run per fingerprint, from an earlier measurement: before and after run the same statements. */
  readonly pinned?: ReadonlyMap<string, { readonly sql: string; readonly params: readonly (string | null)[] }>;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function base(
  item: AnalyzedQuery,
  write: boolean,
): Omit<
  QueryMeasurement,
  'executed' | 'runsMs' | 'medianMs' | 'minMs' | 'maxMs' | 'timedOut' | 'sharedHitBlocks' | 'sharedReadBlocks' | 'scans' | 'indexes'
> {
  return {
    fingerprint: item.query.fingerprint,
    ...(item.query.name ? { name: item.query.name } : {}),
    sql: item.query.sql,
    calls: item.query.calls,
    write,
  };
}

function skipped(item: AnalyzedQuery, write: boolean, reason: string): QueryMeasurement {
  return {
    ...base(item, write),
    executed: null,
    runsMs: [],
    medianMs: null,
    minMs: null,
    maxMs: null,
    timedOut: false,
    sharedHitBlocks: null,
    sharedReadBlocks: null,
    scans: [],
    indexes: [],
    skipped: reason,
  };
}

/**
 * The text to run and its values: a sample with real values, or the normalized text with
 * values from the data. SQLite text runs as written; its `?`/`:name` parameters are
 * numbered as in the PostgreSQL form the analysis read.
 */
async function executable(
  engine: Engine,
  catalog: Catalog,
  item: AnalyzedQuery,
  options: MeasureOptions,
): Promise<{ sql: string; params: (string | null)[] } | string> {
  const pinned = options.pinned?.get(item.query.fingerprint);
  if (pinned !== undefined) return { sql: pinned.sql, params: [...pinned.params] };
  const placeholders = (text: string) => placeholderCount(postgresForm(text));
  const literal = item.query.samples.find((s) => placeholders(s) === 0);
  if (literal !== undefined) return { sql: literal, params: [] };
  const sql = item.query.samples[0] ?? item.query.sql;
  const count = placeholders(sql);
  if (count === 0) return { sql, params: [] };
  const chosen = await chooseParams(engine, catalog, item, count);
  if ('missing' in chosen) return `no value can be drawn from the data for $${chosen.missing}`;
  return { sql, params: chosen.params };
}

interface Admitted {
  readonly sql: string;
  readonly params: (string | null)[];
  /** Not provably read-only: runs in a transaction that is rolled back. */
  readonly write: boolean;
}

/** What to run and whether it is a write (read-only.ts), or the measurement that says why it is not run. */
async function admit(engine: Engine, catalog: Catalog, item: AnalyzedQuery, options: MeasureOptions): Promise<Admitted | QueryMeasurement> {
  const analysis = item.analysis;
  const declaredWrite = analysis !== null && analysis.kind !== 'select';
  if (analysis === null) return skipped(item, true, `cannot analyze: ${item.error ?? 'unknown error'}`);
  if (analysis.unknownTables.length > 0) return skipped(item, declaredWrite, `not in the schema: ${analysis.unknownTables.join(', ')}`);
  if (declaredWrite && options.writes === 'skip') return skipped(item, true, writeSkipped(analysis.kind.toUpperCase()));
  let target: Awaited<ReturnType<typeof executable>>;
  try {
    target = await executable(engine, catalog, item, options);
  } catch (error) {
    return skipped(item, declaredWrite, `cannot draw values: ${oneLine(error)}`);
  }
  if (typeof target === 'string') return skipped(item, declaredWrite, target);
  let verdict: Verdict;
  try {
    verdict = await judgeStatement(engine, catalog, target.sql);
  } catch (error) {
    return skipped(item, true, `not run: cannot tell whether it writes (${oneLine(error)})`);
  }
  if (verdict.kind === 'irreversible') return skipped(item, true, `not run: it ${verdict.reason}, which a rollback does not undo`);
  if (verdict.kind === 'write' && options.writes === 'skip') return skipped(item, true, writeSkipped(verdict.reason));
  return { ...target, write: verdict.kind === 'write' };
}

export async function measureQuery(
  engine: Engine,
  catalog: Catalog,
  item: AnalyzedQuery,
  options: MeasureOptions,
): Promise<QueryMeasurement> {
  const admitted = await admit(engine, catalog, item, options);
  if (!('params' in admitted)) return admitted;
  const { sql, params, write } = admitted;
  const runsMs: number[] = [];
  let last: Plan | null = null;
  try {
    for (let run = 0; run <= options.runs; run++) {
      const plan = await runOnce(engine, sql, params, write, options);
      if (run > 0) runsMs.push(plan.executionTimeMs ?? 0);
      last = plan;
    }
  } catch (error) {
    if (!write && sqlStateOf(error) === SQLSTATE.readOnlySqlTransaction) {
      return skipped(item, true, `not run: it tried to write in a read-only transaction (${oneLine(error)})`);
    }
    if (error instanceof TimeoutError) {
      return {
        ...base(item, write),
        executed: { sql, params },
        runsMs: [options.timeoutMs],
        medianMs: options.timeoutMs,
        minMs: options.timeoutMs,
        maxMs: options.timeoutMs,
        timedOut: true,
        sharedHitBlocks: null,
        sharedReadBlocks: null,
        scans: [],
        indexes: [],
      };
    }
    return skipped(item, write, `failed: ${oneLine(error)}`);
  }
  const root = last?.root;
  return {
    ...base(item, write),
    executed: { sql, params },
    runsMs,
    medianMs: median(runsMs),
    minMs: Math.min(...runsMs),
    maxMs: Math.max(...runsMs),
    timedOut: false,
    sharedHitBlocks: typeof root?.['Shared Hit Blocks'] === 'number' ? (root['Shared Hit Blocks'] as number) : null,
    sharedReadBlocks: typeof root?.['Shared Read Blocks'] === 'number' ? (root['Shared Read Blocks'] as number) : null,
    scans: last ? scanTypes(last) : [],
    joins: last ? joinTypes(last) : [],
    indexes: last ? indexesUsed(last) : [],
  };
}

function writeSkipped(why: string): string {
  return `a write: not run (${why}; measure writes with --writes rollback on a database that is not in production)`;
}

const SAVEPOINT = 'indexwise_verify';

/**
 * The statements that open and close one run: a transaction (a savepoint inside
 * verify --trial's) that is always rolled back; READ ONLY for a read where the engine has
 * read-only transactions. SQLite reads need none: the file is open read-only, or is a copy.
 */
function framing(write: boolean, inTransaction: boolean, capabilities: Capabilities): { open: string[]; close: string[] } {
  const close = inTransaction ? [`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`, `RELEASE SAVEPOINT ${SAVEPOINT}`] : ['ROLLBACK'];
  if (write) return { open: [inTransaction ? `SAVEPOINT ${SAVEPOINT}` : beginWritable(capabilities)], close };
  if (!capabilities.readOnlyTransactions) return { open: [], close: [] };
  return { open: inTransaction ? [`SAVEPOINT ${SAVEPOINT}`, 'SET TRANSACTION READ ONLY'] : ['BEGIN READ ONLY'], close };
}

async function runOnce(
  engine: Engine,
  sql: string,
  params: readonly (string | null)[],
  write: boolean,
  options: MeasureOptions,
): Promise<Plan> {
  const { capabilities } = await engine.info();
  const { open, close } = framing(write, options.inTransaction ?? false, capabilities);
  // BEGIN's own failure leaves nothing open; SET TRANSACTION's leaves the savepoint, closed below
  if (open[0] !== undefined) await engine.query(open[0]);
  try {
    for (const statement of open.slice(1)) await engine.query(statement);
    return await engine.explain(sql, { analyze: true, params, timeoutMs: options.timeoutMs });
  } finally {
    for (const statement of close) await engine.query(statement);
  }
}
