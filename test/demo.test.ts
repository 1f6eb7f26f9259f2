/** The demo application: built in PGlite and in a real server, deterministic, never touching what it did not create. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoWorkload, openDemo } from '../src/demo/run.js';
import { type DemoReport, runDemo } from '../src/demo/story.js';
import { splitScript } from '../src/demo/load.js';
import { readDemoFile } from '../src/demo/assets.js';
import { runCli } from './helpers/cli.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from './helpers/postgres.js';
import { tempDir } from './helpers/temp.js';

const SCALE = 0.05;
const TABLES = ['branches', 'client_apps', 'conversations', 'document_chunks', 'documents', 'groves', 'messages', 'tenants', 'users'];
const FINGERPRINT_SQL = `SELECT md5(string_agg(concat_ws(',', id, tenant_id, conversation_id, user_id, role, token_count, created_at, deleted_at), ';' ORDER BY id)) AS h FROM messages`;

describe('the demo workload file', () => {
  it('holds 20–40 named, weighted queries, reads and writes', async () => {
    const workload = await demoWorkload();
    expect(workload.length).toBeGreaterThanOrEqual(20);
    expect(workload.length).toBeLessThanOrEqual(40);
    expect(new Set(workload.map((q) => q.name)).size).toBe(workload.length);
    expect(workload.every((q) => q.callsPerMinute > 0 && q.description.length > 0)).toBe(true);
    expect(workload.some((q) => /^\s*(UPDATE|INSERT|DELETE)/i.test(q.sql))).toBe(true);
    expect(workload.some((q) => /\bJOIN\b/i.test(q.sql))).toBe(true);
    expect(workload.some((q) => /\$1/.test(q.sql))).toBe(true);
  });

  it('the schema starts with primary keys, some FK indexes, no composite index', () => {
    const statements = splitScript(readDemoFile('schema.sql'));
    const indexes = statements.filter((s) => /^CREATE INDEX/i.test(s));
    expect(indexes.length).toBeGreaterThan(0);
    expect(indexes.every((s) => !/\(\s*\w+\s*,/.test(s))).toBe(true);
  });
});

describe('demo on PGlite', () => {
  let report: DemoReport;
  beforeAll(async () => {
    report = await runDemo({ scale: SCALE, reportPath: join(tempDir('demo'), 'report.html') });
  });

  it('builds every table with data at the requested scale', () => {
    const names = report.catalog.tables.map((t) => t.name).sort();
    expect(names).toEqual(TABLES);
    const messages = report.catalog.tables.find((t) => t.name === 'messages');
    expect(messages?.rowEstimate).toBe(report.demo.sizes.messages);
    expect(report.demo.sizes.messages).toBe(15_000);
    expect(report.demo.built).toBe(true);
  });

  it('analyzes the workload: every query, per-table column roles', async () => {
    expect(report.workload.queries).toHaveLength((await demoWorkload()).length);
    expect(report.workload.skipped).toEqual([]);
    const messages = report.analysis.tables.find((t) => t.table.name === 'messages');
    expect(messages?.columns.some((c) => c.column === 'conversation_id' && c.role === 'equality')).toBe(true);
  });

  it('applies the advice and proves it with measurements; writes the report', () => {
    expect(report.applied.failed).toBe(0);
    expect(report.applied.built).toBe(report.advice.recommendations.length);
    expect(report.applied.dropped).toBe(report.advice.replaces.length);
    const { workload } = report.verification;
    expect(workload.speedup).toBeGreaterThan(2);
    const conversation = report.verification.queries.find((q) => q.name === 'messages_of_conversation');
    expect(conversation?.planChange).toMatch(/^Seq Scan → /);
    expect(readFileSync(report.reportPath, 'utf8')).toContain('<h1>Index strategy');
    // the foreign keys the advice indexed are no longer reported
    const fk = (list: readonly { check: string }[]) => list.filter((f) => f.check === 'unindexed-foreign-key').length;
    expect(fk(report.health.after)).toBeLessThan(fk(report.health.before));
  });

  it('advises indexes that make the workload much cheaper, messages by conversation first', () => {
    const { advice } = report;
    expect(advice.whatIf).toBe('transaction');
    expect(advice.workload.costed).toBe(29); // the INSERT has nothing to look up
    expect(advice.cost.after).toBeLessThan(advice.cost.before / 5);
    expect(advice.recommendations[0]).toMatchObject({ table: 'public.messages' });
    expect(advice.recommendations[0]?.columns[0]).toBe('conversation_id');
    // the indexes the schema already has are not recommended again
    expect(advice.recommendations.some((r) => r.table === 'public.users' && r.columns.join() === 'tenant_id')).toBe(false);
  });
});

describe.skipIf(!hasPostgres)('demo on a real PostgreSQL server', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('demo', []);
  });
  afterAll(async () => db?.drop());

  it('loads into its own schema, the same rows as in PGlite, and reuses them on the next run', async () => {
    const first = await runDemo({ db: db.url, scale: SCALE, schema: 'demo app', runs: 1, reportPath: join(tempDir('demo-pg'), 'r.html') });
    expect(first.demo.built).toBe(true);
    expect(
      first.catalog.tables
        .filter((t) => t.schema === 'demo app')
        .map((t) => t.name)
        .sort(),
    ).toEqual(TABLES);
    const serverHash = (await db.sql(`SET search_path = "demo app"; ${FINGERPRINT_SQL}`)) as unknown as { rows: { h: string }[] }[];
    expect(first.advice.whatIf).toBe('transaction'); // this test database has no HypoPG
    expect(first.advice.recommendations.length).toBeGreaterThan(0);
    const again = await openDemo({ db: db.url, scale: SCALE, schema: 'demo app' });
    await again.engine.close();
    expect(again.demo.built).toBe(false);

    const lite = await openDemo({ scale: SCALE });
    try {
      const [row] = await lite.engine.query<{ h: string }>(FINGERPRINT_SQL);
      expect(row?.h).toBe(serverHash[1]?.rows[0]?.h);
    } finally {
      await lite.engine.close();
    }
    const skew = await db.sql(`SELECT max(n)::int AS biggest, min(n)::int AS smallest FROM (
      SELECT count(*) AS n FROM "demo app".users GROUP BY tenant_id) s`);
    expect(skew.rows[0].biggest).toBeGreaterThan(10 * skew.rows[0].smallest);
  });

  it('refuses a schema that holds objects it did not create, and leaves them alone', async () => {
    await db.sql(`CREATE SCHEMA mine; CREATE TABLE mine.precious (id int); INSERT INTO mine.precious VALUES (1)`);
    const result = await runCli(['demo', '--db', db.url, '--schema', 'mine', '--scale', '0.01', '-q']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^indexwise: schema "mine" already holds objects indexwise did not create/);
    const rows = await db.sql('SELECT count(*)::int AS n FROM mine.precious');
    expect(rows.rows[0].n).toBe(1);
  });
});

describe('indexwise demo (CLI)', () => {
  it('prints the tables, the workload analysis and the advice', async () => {
    const result = await runCli(['demo', '--scale', '0.02', '--runs', '1', '--report', join(tempDir('demo-cli'), 'r.html')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/indexwise demo on pglite:memory \(PostgreSQL \d+/);
    expect(result.stdout).toMatch(/messages\s+6,000/);
    expect(result.stdout).toMatch(/2\. Its workload \(30 queries/);
    expect(result.stdout).toMatch(/public\.messages\s+conversation_id\s+equality/);
    expect(result.stdout).toMatch(/Recommendations \(\d+\)/);
    expect(result.stdout).toMatch(/CREATE INDEX idx_messages_conversation_id/);
    expect(result.stdout).toMatch(/4\. Applied: \d+ built/);
    expect(result.stdout).toMatch(/Workload \(Σ calls × median\): .* ms → .* ms, ×[\d.]+ faster/);
    expect(result.stdout).toMatch(/6\. Health, before → after/);
    expect(result.stdout).toMatch(/7\. The index-strategy report\n\s+\S+\.html/);
    expect(result.stderr).toMatch(/generating messages/);
  });

  it('--json gives the whole report', async () => {
    const result = await runCli([
      'demo',
      '--scale',
      '0.02',
      '--runs',
      '1',
      '--json',
      '-q',
      '--report',
      join(tempDir('demo-json'), 'r.html'),
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout);
    expect(json.workload.queries.length).toBe(30);
    expect(json.catalog.tables.length).toBe(9);
    expect(json.advice.recommendations.length).toBeGreaterThan(0);
  });
});
