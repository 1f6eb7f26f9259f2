/**
 * `indexwise migrate` and `indexwise apply` from the command line: every format from a
 * saved advise JSON, --list, apply --dry-run, the refusal without a terminal, and (on
 * PostgreSQL) apply --yes --json and a live migrate.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/migrate/formats/format.js';
import { runCli, startCli } from '../helpers/cli.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../helpers/postgres.js';
import { TABLE_SQL, tableIndexes, workDir, writeInputs } from './fixture.js';
import { session, waitFor } from '../apply/fixture.js';
import { APPLY_APPLICATION_NAME } from '../../src/apply/session.js';

const NOWHERE = 'postgres://nobody@127.0.0.1:1/none';

describe('migrate and apply (CLI, no database)', () => {
  const dir = workDir('cli');
  const { advice, health } = writeInputs(dir);

  it('migrate writes every format from an advise JSON file', async () => {
    const results = await Promise.all(
      FORMATS.map((format) =>
        runCli(['migrate', '--input', advice, '--input', health, '--drop-unused', '--format', format, '--out', join(dir, format), '-q']),
      ),
    );
    for (const [i, result] of results.entries()) {
      expect({ format: FORMATS[i], code: result.code, stderr: result.stderr }).toEqual({ format: FORMATS[i], code: 0, stderr: '' });
      const written = result.stdout
        .split('\n')
        .filter((l) => l.startsWith('wrote '))
        .map((l) => l.slice('wrote '.length));
      expect(written.length).toBeGreaterThan(0);
      for (const file of written) expect(existsSync(file)).toBe(true);
    }
    const prisma = results[FORMATS.indexOf('prisma')];
    expect(prisma?.stdout).toContain(
      'Add to schema.prisma:\n// model Order_Items (no schema.prisma read: field names assumed equal to column names)\n  @@index([user_id, Created_At(sort: Desc)]',
    );
    const sqlUp = results[FORMATS.indexOf('sql')]?.stdout.match(/wrote (\S+\.up\.sql)/)?.[1] as string;
    expect(readFileSync(sqlUp, 'utf8')).toMatch(/DROP INDEX CONCURRENTLY IF EXISTS public\.old_dup;/);
  });

  it('migrate --list numbers the candidates for --only; --only picks them', async () => {
    const list = await runCli(['migrate', '--input', advice, '--input', health, '--drop-unused', '--list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^5 change\(s\) on postgres:\n {2}1\. create: saves 31\.0% of the workload's cost\n/);
    expect(list.stdout).toContain('  5. drop (unused-index): public.old_dup had 0 scans');
    const only = await runCli(['migrate', '--input', advice, '--only', '3', '--format', 'sql', '--out', join(dir, 'only'), '--json', '-q']);
    expect(JSON.parse(only.stdout).steps.map((s: { name: string }) => s.name)).toEqual(['idx_order_items_select']);
  });

  it('apply --dry-run prints the SQL and connects to nothing', async () => {
    const result = await runCli(['apply', '--db', NOWHERE, '--input', advice, '--dry-run', '--lock-timeout', '3s']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("SET lock_timeout = '3000ms';");
    expect(result.stdout).toContain(
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_order_items_select ON public."Order Items" USING btree ("select" text_pattern_ops);',
    );
  });

  it('apply without a terminal and without --yes refuses: exit 2, one line', async () => {
    const result = await runCli(['apply', '--db', NOWHERE, '--input', advice]);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe('indexwise: refusing to apply without a terminal to confirm: pass --yes (or --dry-run to see the SQL)\n');
  });

  it('migrate without any input: exit 2, one line', async () => {
    const result = await runCli(['migrate', '--format', 'sql', '--out', join(dir, 'none')], { env: { DATABASE_URL: undefined } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^indexwise: nothing to plan from: pass --input FILE .*\n$/);
  });
});

describe.skipIf(!hasPostgres)('migrate and apply (CLI, PostgreSQL)', () => {
  let db: TestDatabase;
  const dir = workDir('cli-pg');
  const { advice, health } = writeInputs(dir);
  beforeAll(async () => {
    db = await createTestDatabase('cli_apply');
    await db.sql(TABLE_SQL);
  });
  afterAll(async () => db?.drop());

  it('apply --yes --json builds and drops, a second run skips', async () => {
    const first = await runCli(['apply', '--db', db.url, '--input', advice, '--input', health, '--drop-unused', '--yes', '--json', '-q']);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({ built: 4, dropped: 1, skipped: 0, failed: 0, concurrently: true });
    expect(await tableIndexes(db)).toContain('idx_order_items_user_id_lower_select');
    expect(await tableIndexes(db)).not.toContain('old_dup');
    const second = await runCli(['apply', '--db', db.url, '--input', advice, '--yes', '--json', '-q']);
    expect(JSON.parse(second.stdout)).toMatchObject({ built: 0, skipped: 4 });
  });

  it('migrate live: advise runs on --db with the workload options', async () => {
    await db.sql(
      'CREATE TABLE tickets (id bigint PRIMARY KEY, owner int NOT NULL, body text); INSERT INTO tickets SELECT g, g % 3000, repeat($$x$$, 50) FROM generate_series(1, 60000) g; ANALYZE tickets;',
    );
    const workload = join(dir, 'workload.sql');
    writeFileSync(workload, '-- calls: 100\nSELECT id, body FROM tickets WHERE owner = $1;\n');
    const result = await runCli([
      'migrate',
      '--db',
      db.url,
      '--from',
      `sql:${workload}`,
      '--format',
      'sql',
      '--out',
      join(dir, 'live'),
      '--json',
      '-q',
    ]);
    expect(result.code).toBe(0);
    const written = JSON.parse(result.stdout);
    expect(written.steps.map((s: { name: string }) => s.name)).toEqual([expect.stringMatching(/^idx_tickets_owner/)]);
  });
});

describe.skipIf(!hasPostgres)('apply interrupted with Ctrl-C (CLI, PostgreSQL)', () => {
  let db: TestDatabase;
  const dir = workDir('cli-pg-interrupt');
  const { advice } = writeInputs(dir);
  beforeAll(async () => {
    db = await createTestDatabase('cli_apply_interrupt');
    await db.sql(TABLE_SQL);
  });
  afterAll(async () => db?.drop());

  it('SIGINT mid-build: the build cancelled and cleaned up, the rest skipped, the summary printed, exit 130', async () => {
    const reader = await session(db);
    try {
      // an open snapshot holds the first concurrent build in its last phase
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await reader.query('SELECT count(*) FROM pg_class');
      const { child, done } = startCli(['apply', '--db', db.url, '--input', advice, '--yes', '--json']);
      const building = `SELECT 1 FROM pg_stat_progress_create_index p JOIN pg_stat_activity a ON a.pid = p.pid WHERE a.application_name = $1`;
      await waitFor(
        async () => (await db.sql(`${building} AND p.phase = 'waiting for old snapshots'`, [APPLY_APPLICATION_NAME])).rowCount === 1,
      );
      child.kill('SIGINT');
      await waitFor(async () => (await db.sql(building, [APPLY_APPLICATION_NAME])).rowCount === 0);
      await reader.query('COMMIT');
      const result = await done;
      expect(result.code).toBe(130);
      expect(result.stderr).toContain('interrupting: cancelling the build in flight and cleaning up (Ctrl-C again to quit at once)');
      const summary = JSON.parse(result.stdout);
      // every step after the interrupted one (the fixture's advice has several) is skipped
      const later = summary.steps.length - 1;
      expect(later).toBeGreaterThanOrEqual(2);
      expect(summary).toMatchObject({ built: 0, failed: 1, skipped: later });
      expect(summary.steps[0].message).toMatch(/^interrupted: /);
      expect(summary.steps[0].cleanedUp).toHaveLength(1);
      expect(summary.steps.slice(1).map((s: { message: string }) => s.message)).toEqual(
        Array.from({ length: later }, () => 'not started: apply was interrupted'),
      );
      const invalid = await db.sql(`SELECT count(*)::int AS n FROM pg_index WHERE NOT indisvalid`);
      expect(invalid.rows[0].n).toBe(0);
    } finally {
      await reader.query('COMMIT').catch(() => {});
      await reader.end();
    }
  });

  // issue 15: a second Ctrl-C quit at once, while the clean-up's DROP was running, and left the invalid index silently
  describe('Ctrl-C again while the cancelled build is cleaned up', () => {
    const building = `SELECT 1 FROM pg_stat_progress_create_index p JOIN pg_stat_activity a ON a.pid = p.pid WHERE a.application_name = $1`;
    const dropping = `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'DROP INDEX CONCURRENTLY%' AND wait_event IS NOT NULL`;
    const invalid = async () =>
      (
        await db.sql(
          `SELECT n.nspname || '.' || c.relname AS n FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT x.indisvalid`,
        )
      ).rows.map((r) => r.n);

    /** Starts apply, holds its first build and then its clean-up's DROP with an open snapshot and table lock, presses Ctrl-C once. */
    async function interruptedApply() {
      const reader = await session(db);
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await reader.query('SELECT count(*) FROM "Order Items"');
      const { child, done } = startCli(['apply', '--db', db.url, '--input', advice, '--yes', '--json']);
      let stderr = '';
      child.stderr?.on('data', (d) => (stderr += d));
      await waitFor(
        async () => (await db.sql(`${building} AND p.phase = 'waiting for old snapshots'`, [APPLY_APPLICATION_NAME])).rowCount === 1,
      );
      child.kill('SIGINT');
      await waitFor(async () => (await db.sql(dropping, [APPLY_APPLICATION_NAME])).rowCount === 1);
      child.kill('SIGINT');
      const still = await waitFor(async () => /still cleaning up (\S+): an invalid index is never left behind silently/.exec(stderr));
      return { reader, child, done, index: still[1] as string, stderr: () => stderr };
    }

    it('a second Ctrl-C says the clean-up is still running and lets it finish: exit 130, no invalid index', async () => {
      const { reader, done } = await interruptedApply();
      try {
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(await db.sql(dropping, [APPLY_APPLICATION_NAME]).then((r) => r.rowCount)).toBe(1); // still there, still waiting
        await reader.query('COMMIT');
        const result = await done;
        expect(result.code).toBe(130);
        const summary = JSON.parse(result.stdout);
        expect(summary.steps[0]).toMatchObject({ status: 'failed', cleanedUp: [expect.any(String)] });
        expect(await invalid()).toEqual([]);
      } finally {
        await reader.query('COMMIT').catch(() => {});
        await reader.end();
      }
    });

    it('a third Ctrl-C quits, naming the index it may leave and the command that drops it; apply again drops it first', async () => {
      const { reader, child, done, index } = await interruptedApply();
      try {
        child.kill('SIGINT');
        const result = await done;
        expect(result.code).toBe(130);
        expect(result.stderr).toContain(
          `quitting: ${index} may be left as an invalid index: drop it with DROP INDEX CONCURRENTLY IF EXISTS ${index}, or apply the same plan again (it drops it before building)`,
        );
        // the orphaned DROP could still finish on its own once the lock is free: end it, so the index is left for sure
        await db.sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [APPLY_APPLICATION_NAME]);
        await reader.query('COMMIT');
        expect(await invalid()).toEqual([index]);
        const again = await runCli(['apply', '--db', db.url, '--input', advice, '--yes', '--json']);
        expect(again.code).toBe(0);
        const summary = JSON.parse(again.stdout);
        expect(summary.steps[0]).toMatchObject({ status: 'built', cleanedUp: [index] });
        expect(await invalid()).toEqual([]);
      } finally {
        await reader.query('COMMIT').catch(() => {});
        await reader.end();
      }
    });
  });
});
