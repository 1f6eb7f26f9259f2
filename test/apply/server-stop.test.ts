/**
 * Issue 15: the server going away mid-build (a fast shutdown: every backend terminated,
 * new connections refused) — the build fails and no connection can be opened to drop the
 * invalid index it leaves. The step must say so, naming the index and the command that
 * drops it; once the server is back, an apply of the same plan drops it before building.
 * It stops and starts a server, so it runs on a throwaway cluster of its own
 * (scripts/pg-cluster.sh), never the shared test cluster.
 */
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { APPLY_APPLICATION_NAME } from '../../src/apply/session.js';
import { connect } from '../../src/engines/connect.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { hasPostgres } from '../helpers/postgres.js';
import { createStep, planOf, waitFor } from './fixture.js';

const run = promisify(execFile);
const PG_BIN = '/usr/lib/postgresql/15/bin';
const PORT = Number(process.env.INDEXWISE_TEST_PG_PORT ?? 54329) + 100;
const BASE = `/tmp/indexwise-test-pg-stop-${PORT}`;
const URL = `postgres://postgres@127.0.0.1:${PORT}/postgres`;

/** Runs a function of scripts/pg-cluster.sh (or a line of bash after sourcing it) for this cluster. */
async function cluster(script: string): Promise<void> {
  await run('bash', ['-c', `source ${join(PROJECT_ROOT, 'scripts/pg-cluster.sh')}; ${script}`], {
    env: { ...process.env, PORT: String(PORT), BASE },
  });
}
const stopFast = () => cluster('as_owner "$BIN/pg_ctl" -D "$BASE/data" -m fast -w stop');
const startAgain = () =>
  cluster('as_owner "$BIN/pg_ctl" -D "$BASE/data" -l "$BASE/server.log" -w -o "-p $PORT -k $BASE -c listen_addresses=127.0.0.1" start');

async function sql(text: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: URL });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

const invalid = async () => (await sql('SELECT indexrelid::regclass::text AS n FROM pg_index WHERE NOT indisvalid')).rows.map((r) => r.n);

describe.skipIf(!hasPostgres || !existsSync(join(PG_BIN, 'initdb')))('apply when the server shuts down mid-build (own cluster)', () => {
  beforeAll(async () => {
    await cluster('start_cluster');
    await sql(`CREATE TABLE accounts (id bigint PRIMARY KEY, region int NOT NULL, score int NOT NULL);
      INSERT INTO accounts SELECT g, g % 20, g % 1000 FROM generate_series(1, 50000) g; ANALYZE accounts;`);
  }, 120_000);
  afterAll(async () => {
    await cluster('stop_cluster').catch(() => {});
    rmSync(BASE, { recursive: true, force: true });
  });

  it('names the invalid index it may leave and the command that drops it; the same plan again drops it first', async () => {
    const step = createStep('accounts', ['region', 'score']);
    const index = `public.${step.name}`;
    const reader = new pg.Client({ connectionString: URL });
    reader.on('error', () => {});
    await reader.connect();
    // an open snapshot holds the build in its last phase: the index there, invalid
    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await reader.query('SELECT count(*) FROM accounts');
    const engine = await connect(URL);
    try {
      const applying = applyPlan(engine, planOf(step), { lockTimeoutMs: 60_000, reconnect: () => connect(URL) });
      await waitFor(
        async () =>
          (
            await sql(
              `SELECT 1 FROM pg_stat_progress_create_index p JOIN pg_stat_activity a ON a.pid = p.pid
               WHERE a.application_name = $1 AND p.phase = 'waiting for old snapshots'`,
              [APPLY_APPLICATION_NAME],
            )
          ).rowCount === 1,
      );
      await stopFast();
      const summary = await applying;
      expect(summary.steps[0]?.status).toBe('failed');
      expect(summary.steps[0]?.message).toMatch(/^the connection was terminated \(terminating connection due to administrator command\); /);
      expect(summary.steps[0]?.message).toContain(
        `the invalid index ${index} may be left behind (lost the connection to the database during apply, and could not open another: `,
      );
      expect(summary.steps[0]?.message).toMatch(
        new RegExp(
          `: drop it with DROP INDEX CONCURRENTLY IF EXISTS public\\.${step.name}, or apply the same plan again \\(it drops it before building\\)$`,
        ),
      );
    } finally {
      await reader.end().catch(() => {});
      await engine.close().catch(() => {});
    }

    await startAgain();
    expect(await invalid()).toEqual([step.name]);
    const again = await connect(URL);
    try {
      const summary = await applyPlan(again, planOf(step), { reconnect: () => connect(URL) });
      expect(summary.steps[0]).toMatchObject({ status: 'built', cleanedUp: [index] });
      expect(summary.steps[0]?.notes).toContain(`an invalid ${index} left by an earlier failed build was dropped first`);
      expect(await invalid()).toEqual([]);
    } finally {
      await again.close();
    }
  }, 120_000);
});
