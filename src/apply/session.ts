/**
 * The connection `apply` builds on (PostgreSQL family): it holds the apply lock, knows
 * its backend pid (for progress and for tests that terminate it), sets the timeouts per
 * statement, and is replaced by a new connection when the server ends it mid-build.
 */
import type { Engine } from '../engines/engine.js';
import { ConnectionError, oneLine } from '../errors.js';
import { acquireApplyLock, releaseApplyLock } from './lock.js';

export const APPLY_APPLICATION_NAME = 'indexwise apply';
const RELOCK_WAIT_MS = 10_000;

interface Saved {
  readonly lockTimeout: string;
  readonly statementTimeout: string;
  readonly applicationName: string;
}

export class PgSession {
  private readonly owned: Engine[] = [];
  /** True while a CREATE INDEX runs on it: the only statement an interrupt cancels. */
  building = false;

  private constructor(
    public engine: Engine,
    public pid: number,
    private readonly saved: Saved,
    private readonly lockWaitMs: number,
    private readonly reconnect: (() => Promise<Engine>) | undefined,
  ) {}

  /** Takes the apply lock on `engine` (or fails with ApplyLockedError) and names the session. */
  static async open(engine: Engine, lockWaitMs: number, reconnect?: () => Promise<Engine>): Promise<PgSession> {
    const [row] = await engine.query<{ lt: string; st: string; app: string }>(
      `SELECT current_setting('lock_timeout') AS lt, current_setting('statement_timeout') AS st, current_setting('application_name') AS app`,
    );
    const saved = { lockTimeout: row?.lt ?? '0', statementTimeout: row?.st ?? '0', applicationName: row?.app ?? '' };
    await acquireApplyLock(engine, lockWaitMs);
    const pid = await prepare(engine);
    return new PgSession(engine, pid, saved, lockWaitMs, reconnect);
  }

  async setTimeouts(lockTimeoutMs: number, statementTimeoutMs: number): Promise<void> {
    await this.engine.query(`SELECT set_config('lock_timeout', $1, false), set_config('statement_timeout', $2, false)`, [
      `${Math.round(lockTimeoutMs)}ms`,
      `${Math.round(statementTimeoutMs)}ms`,
    ]);
  }

  /**
   * After a failed statement: true when the connection still works. When the server
   * ended it, a new one is opened (and takes the apply lock again) if we can; false then.
   */
  async recover(): Promise<boolean> {
    if (await alive(this.engine)) return true;
    if (this.reconnect === undefined)
      throw new ConnectionError('lost the connection to the database during apply, and cannot open another');
    let engine: Engine;
    try {
      engine = await this.reconnect();
    } catch (error) {
      throw new ConnectionError(`lost the connection to the database during apply, and could not open another: ${oneLine(error)}`, {
        cause: error,
      });
    }
    this.owned.push(engine);
    // the ended backend releases the apply lock as it exits: give it a moment
    await acquireApplyLock(engine, Math.max(this.lockWaitMs, RELOCK_WAIT_MS));
    this.engine = engine;
    this.pid = await prepare(engine);
    return false;
  }

  /** Restores the settings, releases the lock, closes the connections it opened. */
  async close(): Promise<void> {
    if (await alive(this.engine)) {
      await this.engine
        .query(
          `SELECT set_config('lock_timeout', $1, false), set_config('statement_timeout', $2, false), set_config('application_name', $3, false)`,
          [this.saved.lockTimeout, this.saved.statementTimeout, this.saved.applicationName],
        )
        .catch(() => {});
      await releaseApplyLock(this.engine);
    }
    for (const engine of this.owned) await engine.close().catch(() => {});
  }
}

async function prepare(engine: Engine): Promise<number> {
  const [row] = await engine.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid, set_config('application_name', $1, false)`, [
    APPLY_APPLICATION_NAME,
  ]);
  return Number(row?.pid ?? 0);
}

async function alive(engine: Engine): Promise<boolean> {
  try {
    await engine.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
