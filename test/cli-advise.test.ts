/** `indexwise analyze` and `indexwise advise` from the command line, on a real server: output shapes and exit codes. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from './helpers/postgres.js';
import { tempDir } from './helpers/temp.js';

describe.skipIf(!hasPostgres)('analyze and advise (CLI)', () => {
  let db: TestDatabase;
  let workloadFile: string;
  beforeAll(async () => {
    db = await createTestDatabase('cli_advise');
    await db.sql(`CREATE TABLE "Tickets" (id bigint PRIMARY KEY, owner_id int NOT NULL, state text NOT NULL, opened_at timestamptz NOT NULL, body text);
      INSERT INTO "Tickets" SELECT g, g % 2000, CASE WHEN g % 10 = 0 THEN 'open' ELSE 'closed' END, timestamptz '2024-01-01' + g * interval '1 minute', repeat('b', 100)
      FROM generate_series(1, 100000) g;
      ANALYZE "Tickets";`);
    workloadFile = join(tempDir('cli'), 'workload.sql');
    writeFileSync(
      workloadFile,
      `-- name: tickets_of_owner
-- calls_per_minute: 50
SELECT id, state FROM "Tickets" WHERE owner_id = $1 ORDER BY opened_at DESC LIMIT 20;
SELECT count(*) FROM no_such_table;
SELEC oops;
`,
    );
  });
  afterAll(async () => db?.drop());

  it('analyze --json: the workload model with per-table column roles', async () => {
    const result = await runCli(['analyze', '--db', db.url, '--from', `sql:${workloadFile}`, '--json', '-q']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.sources).toEqual([`sql:${workloadFile}`]);
    expect(report.workload.queries).toHaveLength(2);
    expect(report.workload.skipped[0].reason).toMatch(/^parse error/);
    const tickets = report.analysis.tables.find((t: { table: { name: string } }) => t.table.name === 'Tickets');
    expect(tickets.columns.map((c: { column: string; role: string }) => `${c.column}:${c.role}`)).toEqual(
      expect.arrayContaining(['owner_id:equality', 'opened_at:order']),
    );
    expect(report.analysis.unknownTables).toEqual([{ name: 'no_such_table', queries: 1 }]);
  });

  it('analyze prints aligned tables', async () => {
    const result = await runCli(['analyze', '--db', db.url, '--from', `sql:${workloadFile}`, '-q']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/public\."Tickets"\s+owner_id\s+equality\s+=/);
    expect(result.stdout).toMatch(/Tables not in the schema\n\s+no_such_table \(1 queries\)/);
    expect(result.stdout).toMatch(/Skipped statements/);
  });

  it('advise --json has the documented shape', async () => {
    const result = await runCli(['advise', '--db', db.url, '--from', `sql:${workloadFile}`, '--json', '-q']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      engine: 'postgres',
      serverVersion: expect.stringMatching(/^15\./),
      whatIf: 'hypopg',
      workload: { queries: 2, costed: 1 },
      cost: { before: expect.any(Number), after: expect.any(Number) },
      stats: { whatIfCalls: expect.any(Number), cacheHitRate: expect.any(Number), seconds: expect.any(Number) },
    });
    expect(report.workload.skipped.map((s: { reason: string }) => s.reason)).toEqual([
      expect.stringMatching(/^parse error/),
      'not in the schema: no_such_table',
    ]);
    expect(report.recommendations).toHaveLength(1);
    expect(report.recommendations[0]).toMatchObject({
      table: 'public."Tickets"',
      columns: ['owner_id', 'opened_at DESC'],
      where: null,
      method: 'btree',
      sql: expect.stringMatching(
        /^CREATE INDEX CONCURRENTLY idx_tickets_owner_id_opened_at\w* ON public\."Tickets" USING btree \(owner_id, opened_at DESC\)/,
      ),
      estimatedBytes: expect.any(Number),
      queries: [report.queries[0].fingerprint],
    });
    expect(report.queries[0].costAfter).toBeLessThan(report.queries[0].costBefore);
    expect(report.queries[0].uses).toEqual([report.recommendations[0].sql]);
    // its baseline plan's scans: no index on "Tickets" yet but its primary key, which this query cannot use
    expect(report.queries[0].scans).toEqual([{ node: expect.stringMatching(/Seq Scan$/), table: 'Tickets' }]);
  });

  it('--fail-on-recommendation exits 1 when something is recommended; human output shows the SQL', async () => {
    const result = await runCli(['advise', '--db', db.url, '--from', `sql:${workloadFile}`, '--fail-on-recommendation', '-q']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Recommendations \(1\)/);
    expect(result.stdout).toMatch(/CREATE INDEX CONCURRENTLY idx_tickets_owner_id_opened_at/);
  });

  it('advise is read-only: no index was created', async () => {
    const rows = await db.sql(`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'Tickets'`);
    expect(rows.rows[0].n).toBe(1); // the primary key only
  });

  it('bad options are one-line errors with exit 2', async () => {
    const budget = await runCli(['advise', '--db', db.url, '--budget', 'lots']);
    expect(budget.code).toBe(2);
    expect(budget.stderr.trim()).toBe('indexwise: --budget must be a size like 500MB or 2GB, got "lots"');
    const from = await runCli(['advise', '--db', db.url, '--from', 'oracle:x']);
    expect(from.code).toBe(2);
    expect(from.stderr.trim()).toMatch(/^indexwise: unknown workload source "oracle:x"/);
  });
});
