/**
 * apply under faults on real PostgreSQL: a conflicting lock (retry, or a clean failure),
 * the build's backend terminated mid-build, an interrupt (Ctrl-C) mid-build, a unique
 * build over duplicate values, two runs at once. After each: no invalid index left behind, and not one row lost.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { ApplyLockedError } from '../../src/apply/errors.js';
import { APPLY_LOCK_KEY } from '../../src/apply/lock.js';
import { APPLY_APPLICATION_NAME } from '../../src/apply/session.js';
import type { ApplyEvent } from '../../src/apply/types.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../helpers/postgres.js';
import { applyEngine, createStep, indexFacts, planOf, rowCount, session, waitFor } from './fixture.js';

describe.skipIf(!hasPostgres)('apply: faults', () => {
  let db: TestDatabase;
  let rowsBefore: number;
  beforeAll(async () => {
    db = await createTestDatabase('apply_faults');
    await db.sql(`CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, region int NOT NULL, score int NOT NULL);
      INSERT INTO accounts SELECT g, 'user' || (g % 90000) || '@example.com', g % 20, g % 1000 FROM generate_series(1, 100000) g;
      ANALYZE accounts;`);
  });
  afterAll(async () => db?.drop());
  beforeEach(async () => {
    rowsBefore = await rowCount(db, 'accounts');
  });
  afterEach(async () => {
    expect(await rowCount(db, 'accounts')).toBe(rowsBefore);
  });

  it('lock timeout, then a retry after the lock is released: built', async () => {
    const step = createStep('accounts', ['region']);
    const blocker = await session(db);
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE');
    const events: ApplyEvent[] = [];
    const { engine, reconnect } = await applyEngine(db);
    try {
      const summary = await applyPlan(engine, planOf(step), {
        lockTimeoutMs: 200,
        retries: 3,
        retryDelayMs: 300,
        reconnect,
        onEvent: (event) => {
          events.push(event);
          if (event.kind === 'retry' && event.attempt === 1) void blocker.query('COMMIT');
        },
      });
      expect(summary.steps[0]).toMatchObject({ status: 'built', attempts: 2, cleanedUp: [] });
      expect(events.filter((e) => e.kind === 'retry')).toHaveLength(1);
      expect(await indexFacts(db, step.name)).toEqual({ exists: true, invalid: [] });
    } finally {
      await blocker.end();
      await engine.close();
    }
  });

  it('a lock held through every retry: a clear failure, nothing half-built', async () => {
    const step = createStep('accounts', ['score']);
    const blocker = await session(db);
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE');
    const { engine, reconnect } = await applyEngine(db);
    try {
      const summary = await applyPlan(engine, planOf(step), { lockTimeoutMs: 100, retries: 2, retryDelayMs: 50, reconnect });
      expect(summary.failed).toBe(1);
      expect(summary.steps[0]?.attempts).toBe(3);
      expect(summary.steps[0]?.message).toMatch(/^lock timeout: another session holds a conflicting lock/);
      expect(await indexFacts(db, step.name)).toEqual({ exists: false, invalid: [] });
    } finally {
      await blocker.query('COMMIT');
      await blocker.end();
      await engine.close();
    }
  });

  it('the build’s backend terminated mid-build: the invalid index is dropped and reported', async () => {
    const step = createStep('accounts', ['email', 'region']);
    const reader = await session(db);
    // an open snapshot keeps CREATE INDEX CONCURRENTLY in its last phase, the index built but not yet valid
    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await reader.query('SELECT count(*) FROM accounts');
    const { engine, reconnect } = await applyEngine(db);
    try {
      const events: ApplyEvent[] = [];
      const applying = applyPlan(engine, planOf(step), {
        lockTimeoutMs: 60_000,
        reconnect,
        progressIntervalMs: 20,
        onEvent: (e) => events.push(e),
      });
      const pid = await waitFor(async () => {
        const { rows } = await db.sql(
          `SELECT a.pid FROM pg_stat_activity a JOIN pg_stat_progress_create_index p ON p.pid = a.pid
           WHERE a.application_name = $1 AND a.query LIKE 'CREATE INDEX CONCURRENTLY%' AND p.phase = 'waiting for old snapshots'`,
          [APPLY_APPLICATION_NAME],
        );
        return rows[0]?.pid as number | undefined;
      });
      expect((await indexFacts(db, step.name)).invalid).toEqual([step.name]);
      // progress comes from pg_stat_progress_create_index, polled on the second connection
      await waitFor(async () =>
        events.some((e) => e.kind === 'progress' && e.phase === 'waiting for old snapshots' && e.index === `public.${step.name}`),
      );
      await db.sql('SELECT pg_terminate_backend($1)', [pid]);
      await reader.query('COMMIT');
      const summary = await applying;
      expect(summary.steps[0]).toMatchObject({ status: 'failed', cleanedUp: [`public.${step.name}`] });
      expect(summary.steps[0]?.message).toMatch(/terminat/);
      expect(await indexFacts(db, step.name)).toEqual({ exists: false, invalid: [] });
    } finally {
      await reader.end();
      await engine.close();
    }
  });

  it('interrupted (Ctrl-C) mid-build: the build cancelled, its invalid index dropped, the steps not started skipped', async () => {
    const first = createStep('accounts', ['score', 'region']);
    const second = createStep('accounts', ['region', 'email']);
    const reader = await session(db);
    // an open snapshot keeps the first build waiting in its last phase, the index there but invalid
    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await reader.query('SELECT count(*) FROM accounts');
    const { engine, reconnect } = await applyEngine(db);
    const controller = new AbortController();
    try {
      const events: ApplyEvent[] = [];
      const applying = applyPlan(engine, planOf(first, second), {
        lockTimeoutMs: 60_000,
        reconnect,
        signal: controller.signal,
        onEvent: (e) => events.push(e),
      });
      await waitFor(async () => {
        const { rows } = await db.sql(
          `SELECT a.pid FROM pg_stat_activity a JOIN pg_stat_progress_create_index p ON p.pid = a.pid
           WHERE a.application_name = $1 AND p.phase = 'waiting for old snapshots'`,
          [APPLY_APPLICATION_NAME],
        );
        return rows[0]?.pid as number | undefined;
      });
      expect((await indexFacts(db, first.name)).invalid).toEqual([first.name]);
      controller.abort();
      // the build is cancelled while the snapshot still holds it; then the snapshot goes so the clean-up's DROP can run
      await waitFor(
        async () =>
          (
            await db.sql(
              `SELECT 1 FROM pg_stat_progress_create_index p JOIN pg_stat_activity a ON a.pid = p.pid WHERE a.application_name = $1`,
              [APPLY_APPLICATION_NAME],
            )
          ).rowCount === 0,
      );
      await reader.query('COMMIT');
      const summary = await applying;
      expect(summary.steps[0]).toMatchObject({ status: 'failed', cleanedUp: [`public.${first.name}`] });
      expect(summary.steps[0]?.message).toMatch(/^interrupted: statement timeout or cancel \(canceling statement due to user request\)/);
      expect(summary.steps[1]).toMatchObject({ status: 'skipped', message: 'not started: apply was interrupted', attempts: 0 });
      expect(events.some((e) => e.kind === 'note' && e.message === 'interrupted: cancelling the build in flight')).toBe(true);
      expect(await indexFacts(db, first.name)).toEqual({ exists: false, invalid: [] });
      expect(await indexFacts(db, second.name)).toEqual({ exists: false, invalid: [] });
      // the apply lock was released: another run can start at once
      const again = await applyPlan(engine, planOf(second), { reconnect });
      expect(again.steps[0]?.status).toBe('built');
    } finally {
      await reader.query('COMMIT');
      await reader.end();
      await engine.close();
    }
  });

  // issue 15: the clean-up's own DROP INDEX CONCURRENTLY terminated or cancelled left the invalid index behind, unsaid
  it('the build terminated, then its clean-up terminated and cancelled too: dropped on the third try, and said so', async () => {
    const step = createStep('accounts', ['score', 'email']);
    const reader = await session(db);
    // the open snapshot holds the build in its last phase, and its lock on the table holds each DROP INDEX CONCURRENTLY
    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await reader.query('SELECT count(*) FROM accounts');
    const { engine, reconnect } = await applyEngine(db);
    const running = (statement: string) =>
      waitFor(async () => {
        const { rows } = await db.sql(
          `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE $2 AND state = 'active' AND wait_event IS NOT NULL`,
          [APPLY_APPLICATION_NAME, `${statement}%`],
        );
        return rows[0]?.pid as number | undefined;
      });
    try {
      const events: ApplyEvent[] = [];
      const applying = applyPlan(engine, planOf(step), { lockTimeoutMs: 60_000, reconnect, onEvent: (e) => events.push(e) });
      await db.sql('SELECT pg_terminate_backend($1)', [await running('CREATE INDEX CONCURRENTLY')]);
      const firstDrop = await running('DROP INDEX CONCURRENTLY');
      await db.sql('SELECT pg_terminate_backend($1)', [firstDrop]);
      const secondDrop = await waitFor(async () => {
        const pid = await running('DROP INDEX CONCURRENTLY');
        return pid !== firstDrop && pid;
      });
      await db.sql('SELECT pg_cancel_backend($1)', [secondDrop]);
      await waitFor(async () => events.filter((e) => e.kind === 'note' && /^dropping the invalid index/.test(e.message)).length === 2);
      await reader.query('COMMIT');
      const summary = await applying;
      expect(summary.steps[0]).toMatchObject({ status: 'failed', cleanedUp: [`public.${step.name}`] });
      expect(summary.steps[0]?.message).toMatch(/^the connection was terminated \(.*\); the invalid index it left was dropped$/);
      const notes = events.flatMap((e) => (e.kind === 'note' ? [e.message] : []));
      expect(notes).toEqual([
        expect.stringMatching(new RegExp(`^dropping the invalid index public\\.${step.name} again: the connection was terminated`)),
        expect.stringMatching(new RegExp(`^dropping the invalid index public\\.${step.name} again: statement timeout or cancel`)),
      ]);
      expect(await indexFacts(db, step.name)).toEqual({ exists: false, invalid: [] });
    } finally {
      await reader.query('COMMIT').catch(() => {});
      await reader.end();
      await engine.close();
    }
  });

  it('a unique index over duplicate values: reported, and the invalid index cleaned up', async () => {
    const step = createStep('accounts', ['email'], { unique: true });
    const { engine, reconnect } = await applyEngine(db);
    try {
      const summary = await applyPlan(engine, planOf(step), { reconnect });
      expect(summary.steps[0]).toMatchObject({ status: 'failed', attempts: 1, cleanedUp: [`public.${step.name}`] });
      expect(summary.steps[0]?.message).toMatch(
        /^duplicate values: could not create unique index .*\(Key \(email\)=\(.*\) is duplicated\.\)/,
      );
      expect(await indexFacts(db, step.name)).toEqual({ exists: false, invalid: [] });
    } finally {
      await engine.close();
    }
  });

  it('two runs at once: the second stops with who holds the lock, a third waits; one index', async () => {
    const step = createStep('accounts', ['region', 'score']);
    const blocker = await session(db);
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE');
    const [first, second, third] = await Promise.all([applyEngine(db), applyEngine(db), applyEngine(db)]);
    try {
      const running = applyPlan(first.engine, planOf(step), {
        lockTimeoutMs: 100,
        retries: 8,
        retryDelayMs: 100,
        reconnect: first.reconnect,
      });
      await waitFor(
        async () =>
          (await db.sql(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid::bigint = $1 AND granted`, [APPLY_LOCK_KEY]))
            .rowCount === 1,
      );
      await expect(applyPlan(second.engine, planOf(step), {})).rejects.toThrow(ApplyLockedError);
      await expect(applyPlan(second.engine, planOf(step), {})).rejects.toThrow(
        /another indexwise apply is running on this database: backend \d+ \(indexwise apply\)/,
      );
      const waiting = applyPlan(third.engine, planOf(step), { lockWaitMs: 30_000 });
      await blocker.query('COMMIT');
      const [a, c] = await Promise.all([running, waiting]);
      expect(a.steps[0]?.status).toBe('built');
      expect(c.steps[0]).toMatchObject({ status: 'skipped', message: 'exists already' });
      const same = await db.sql(
        `SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'accounts' AND indexdef LIKE '%(region, score)'`,
      );
      expect(same.rows[0].n).toBe(1);
      expect((await indexFacts(db, step.name)).invalid).toEqual([]);
    } finally {
      await blocker.end();
      for (const e of [first, second, third]) await e.engine.close();
    }
  });
});
