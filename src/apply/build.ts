/**
 * One index build on PostgreSQL, safely: the timeouts per statement, retries with
 * exponential backoff after a lock timeout, progress while it runs, and afterwards
 * `indisvalid` checked — an invalid index a failed concurrent build leaves is dropped
 * and reported, never left behind.
 */
import { SQLSTATE, sqlStateOf } from '../errors.js';
import type { IndexDef } from '../model/index-def.js';
import type { QualifiedName } from '../model/catalog.js';
import { formatQualified } from '../sql/names.js';
import { createIndexSql, dropIndexSql } from '../sql/ddl.js';
import { LeftBehindError } from './errors.js';
import { indexState } from './pg-state.js';
import type { BuildProgress } from './progress.js';
import type { PgSession } from './session.js';
import { describeFailure } from './sql-state.js';
import type { ResolvedApplyOptions } from './types.js';

export interface ApplyContext {
  readonly session: PgSession;
  readonly options: ResolvedApplyOptions;
  readonly progress: BuildProgress | null;
}

export interface Outcome {
  readonly ok: boolean;
  readonly message: string;
  readonly attempts: number;
  readonly cleanedUp: readonly string[];
  readonly notes: readonly string[];
}

export interface BuildTarget {
  readonly def: IndexDef;
  readonly name: string;
  readonly unique: boolean;
  /** The ON ONLY parent index of a partitioned table. */
  readonly only?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const INTERRUPTED = 'not started';

export interface RunResult {
  readonly ok: boolean;
  readonly attempts: number;
  readonly error: unknown;
  readonly cleanedUp: readonly string[];
  /**
   * After the failure, what went wrong putting things right: the connection could not be
   * replaced (the server shutting down), or `cleanup` could not drop what the failure left.
   */
  readonly cleanupError: unknown;
}

/**
 * Runs one statement with lock_timeout and statement_timeout set, retrying after a lock
 * timeout. After any failure the connection is checked (and replaced if the server ended
 * it) and `cleanup` runs before the next attempt or the report.
 */
export async function runWithRetries(
  ctx: ApplyContext,
  sql: string,
  options: { watch?: string; cleanup?: () => Promise<string[]> } = {},
): Promise<RunResult> {
  const { options: o, session } = ctx;
  const cleanedUp: string[] = [];
  const build = options.watch !== undefined;
  for (let attempt = 1; ; attempt++) {
    // a build not started yet when apply is interrupted is not started at all (cleanups still run)
    if (build && o.signal?.aborted)
      return { ok: false, attempts: attempt - 1, error: new Error(INTERRUPTED), cleanedUp, cleanupError: null };
    try {
      await session.setTimeouts(o.lockTimeoutMs, o.statementTimeoutMs);
      if (options.watch !== undefined) ctx.progress?.watch(session.pid, options.watch, o.emit);
      session.building = build;
      await session.engine.query(sql);
      return { ok: true, attempts: attempt, error: null, cleanedUp, cleanupError: null };
    } catch (error) {
      session.building = false;
      ctx.progress?.stop();
      try {
        await session.recover();
        cleanedUp.push(...((await options.cleanup?.()) ?? []));
      } catch (cleanupError) {
        // reported with the failure it followed, not in its place
        return { ok: false, attempts: attempt, error, cleanedUp, cleanupError };
      }
      if (sqlStateOf(error) !== SQLSTATE.lockTimeout || attempt > o.retries || o.signal?.aborted)
        return { ok: false, attempts: attempt, error, cleanedUp, cleanupError: null };
      const delayMs = o.retryDelayMs * 2 ** (attempt - 1);
      o.emit({ kind: 'retry', index: options.watch ?? sql, attempt, delayMs, reason: describeFailure(error) });
      await sleep(delayMs);
    } finally {
      session.building = false;
      ctx.progress?.stop();
    }
  }
}

/** How often a clean-up's DROP INDEX is tried when something stops it (a cancel, a terminated backend). */
const CLEANUP_ATTEMPTS = 3;

/**
 * Drops `index` if it exists and is invalid; returns what was dropped. One that a build
 * is running on is left alone — unless that build was ours and just failed (`ours`): a
 * terminated backend can show in pg_stat_progress_create_index while it exits. A DROP that
 * is cancelled or whose connection ends is tried again on a working connection; when it
 * cannot be done, LeftBehindError names the index and the command that drops it.
 */
export async function dropIfInvalid(ctx: ApplyContext, index: QualifiedName, ours = false): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    const state = await indexState(ctx.session.engine, index).catch((error: unknown) => {
      throw new LeftBehindError(index, error, true);
    });
    if (state.kind !== 'index' || state.valid || (state.building && !ours))
      return attempt > 1 && state.kind === 'absent' ? [formatQualified(index)] : [];
    const sql = dropIndexSql(index, { concurrently: ctx.options.concurrently && !state.partitioned, ifExists: true });
    const run = await runWithRetries(ctx, sql);
    if (run.ok) return [formatQualified(index)];
    if (run.cleanupError !== null) throw new LeftBehindError(index, run.cleanupError, true);
    // runWithRetries has waited out lock timeouts already; a cancel or an ended connection is worth another try
    if (attempt >= CLEANUP_ATTEMPTS || sqlStateOf(run.error) === SQLSTATE.lockTimeout) throw new LeftBehindError(index, run.error, false);
    ctx.options.emit({
      kind: 'note',
      message: `dropping the invalid index ${formatQualified(index)} again: ${describeFailure(run.error)}`,
    });
  }
}

export function indexOf(target: BuildTarget): QualifiedName {
  return { schema: target.def.table.schema, name: target.name };
}

export function buildSql(target: BuildTarget, concurrently: boolean): string {
  return createIndexSql(target.def, {
    name: target.name,
    concurrently: concurrently && !target.only,
    ifNotExists: true,
    unique: target.unique,
    only: target.only,
  });
}

/** Builds one index (a leftover invalid one of the same name is dropped first) and checks it is valid. */
export async function buildIndex(ctx: ApplyContext, target: BuildTarget): Promise<Outcome> {
  const index = indexOf(target);
  const name = formatQualified(index);
  const leftover = await dropIfInvalid(ctx, index);
  const notes = leftover.length > 0 ? [`an invalid ${name} left by an earlier failed build was dropped first`] : [];
  const started = performance.now();
  const run = await runWithRetries(ctx, buildSql(target, ctx.options.concurrently), {
    watch: name,
    cleanup: () => dropIfInvalid(ctx, index, true),
  });
  const cleanedUp = [...leftover, ...run.cleanedUp];
  if (!run.ok) {
    if (run.cleanupError !== null) {
      const left = leftBehind(index, run.cleanupError);
      return { ok: false, message: `${describeFailure(run.error)}; ${left.message}`, attempts: run.attempts, cleanedUp, notes };
    }
    const cleaned = run.cleanedUp.length > 0 ? '; the invalid index it left was dropped' : '';
    return { ok: false, message: `${describeFailure(run.error)}${cleaned}`, attempts: run.attempts, cleanedUp, notes };
  }
  const state = await indexState(ctx.session.engine, index);
  if (state.kind !== 'index')
    return { ok: false, message: `${name} is not there after CREATE INDEX`, attempts: run.attempts, cleanedUp, notes };
  if (!state.valid && !target.only) {
    const dropped = await dropIfInvalid(ctx, index, true);
    return {
      ok: false,
      message: `${name} was built invalid and has been dropped`,
      attempts: run.attempts,
      cleanedUp: [...cleanedUp, ...dropped],
      notes,
    };
  }
  const seconds = (performance.now() - started) / 1000;
  return { ok: true, message: `built in ${seconds.toFixed(1)} s`, attempts: run.attempts, cleanedUp, notes };
}

/** What a failed clean-up left: a LeftBehindError as it is, anything else (the reconnect failing) as one about `index`. */
function leftBehind(index: QualifiedName, error: unknown): LeftBehindError {
  return error instanceof LeftBehindError ? error : new LeftBehindError(index, error, true);
}
