/**
 * The session advisory lock that keeps two `apply` runs on one database from racing:
 * the second waits up to `waitMs`, then stops with who holds it. Session-level, so it
 * is released when the connection ends, even if indexwise is killed.
 */
import type { Engine } from '../engines/engine.js';
import { ApplyLockedError } from './errors.js';

/** "ixap" as a number: pg_locks shows it as classid 0, objid 1769496944, objsubid 1. */
export const APPLY_LOCK_KEY = 0x69786170;

async function holder(engine: Engine): Promise<string> {
  const [row] = await engine.query<{ pid: number; application_name: string | null; since: string | null }>(
    `SELECT l.pid, a.application_name, to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS') AS since
     FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid::bigint = $1::bigint AND l.objsubid = 1`,
    [APPLY_LOCK_KEY],
  );
  if (row === undefined) return 'another session';
  return `backend ${row.pid}${row.application_name ? ` (${row.application_name})` : ''}${row.since ? `, connected since ${row.since}` : ''}`;
}

/**
 * Polls pg_try_advisory_lock rather than blocking in pg_advisory_lock: a session that
 * waits inside a statement holds a snapshot, and CREATE INDEX CONCURRENTLY in the run
 * that holds the lock would wait for that snapshot — each waiting for the other.
 */
export async function acquireApplyLock(engine: Engine, waitMs: number, pollMs = 250): Promise<void> {
  const until = Date.now() + Math.max(0, waitMs);
  for (;;) {
    const [row] = await engine.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [APPLY_LOCK_KEY]);
    if (row?.ok) return;
    const left = until - Date.now();
    if (left <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, left)));
  }
  const who = await holder(engine);
  const waited = waitMs > 0 ? ` (waited ${(waitMs / 1000).toFixed(0)} s)` : '';
  throw new ApplyLockedError(
    `another indexwise apply is running on this database: ${who}${waited}; nothing was changed. Wait for it, or pass --wait 10m`,
  );
}

export async function releaseApplyLock(engine: Engine): Promise<void> {
  await engine.query('SELECT pg_advisory_unlock($1::bigint)', [APPLY_LOCK_KEY]).catch(() => {});
}
