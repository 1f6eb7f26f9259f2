/** `indexwise health` through the real CLI: output, JSON, exit codes, check selection, thresholds, replicas. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../helpers/postgres.js';

const SCHEMA = `
CREATE TABLE t (id int PRIMARY KEY, a int, b int);
CREATE INDEX t_a_1 ON t (a);
CREATE INDEX t_a_2 ON t (a);
CREATE INDEX t_b ON t (b);
`;

/** The "replica" used t_b 60 times; the primary never did. */
const REPLICA_SCANS = `
SET enable_seqscan = off; SET enable_bitmapscan = off;
DO $$ BEGIN FOR i IN 1..60 LOOP PERFORM * FROM t WHERE b = i; END LOOP; END $$;
SELECT pg_stat_force_next_flush();
`;

interface JsonFinding {
  check: string;
  severity: string;
  table: string | null;
  index: string | null;
  message: string;
  evidence: Record<string, unknown>;
  fixSql: string | null;
}

function parseFindings(stdout: string): JsonFinding[] {
  return (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
}

describe.skipIf(!hasPostgres)('indexwise health (CLI)', () => {
  let primary: TestDatabase;
  let replica: TestDatabase;
  beforeAll(async () => {
    [primary, replica] = await Promise.all([createTestDatabase('health_cli'), createTestDatabase('health_cli_replica')]);
    await Promise.all([primary.sql(SCHEMA), replica.sql(SCHEMA)]);
    await replica.sql(REPLICA_SCANS);
  });
  afterAll(async () => {
    await Promise.all([primary?.drop(), replica?.drop()]);
  });

  it('groups findings by severity, most severe first, with the fix', async () => {
    const result = await runCli(['health', '--db', primary.url, '--checks', 'duplicate-index,unused-index,table-without-primary-key']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^health of postgres:\/\/postgres@127\.0\.0\.1:\d+\/ix_health_cli_\w+ \(postgres 15\.\d+\): 3 checks, 4 findings/,
    );
    const warning = result.stdout.indexOf('WARNING (1)');
    const info = result.stdout.indexOf('INFO (3)');
    expect(warning).toBeGreaterThan(0);
    expect(info).toBeGreaterThan(warning);
    expect(result.stdout).toContain('duplicate-index  public.t_a_2 duplicates public.t_a_1 (8.0 kB)');
    expect(result.stdout).toContain('      DROP INDEX CONCURRENTLY public.t_a_2;');
    expect(result.stdout).toMatch(/unused-index {2}public\.t_b had 0 scans in [\d.]+ days of statistics: too young for a verdict/);
  });

  it('--json prints { findings: [{ check, severity, table, index, message, evidence, fixSql }] }', async () => {
    const result = await runCli(['health', '--db', primary.url, '--json']);
    expect(result.code).toBe(0);
    const findings = parseFindings(result.stdout);
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) {
      expect(Object.keys(finding).sort()).toEqual(['check', 'evidence', 'fixSql', 'index', 'message', 'severity', 'table']);
      expect(['info', 'warning', 'error']).toContain(finding.severity);
    }
    expect(findings.find((f) => f.check === 'duplicate-index')).toEqual({
      check: 'duplicate-index',
      severity: 'warning',
      table: 'public.t',
      index: 'public.t_a_2',
      message: 'public.t_a_2 duplicates public.t_a_1',
      evidence: { bytes: 8192, duplicateOf: 'public.t_a_1', definition: 'CREATE INDEX t_a_2 ON public.t USING btree (a)' },
      fixSql: 'DROP INDEX CONCURRENTLY public.t_a_2;',
    });
  });

  it('--fail-on exits 1 when a finding is that severe, 0 otherwise', async () => {
    const args = ['health', '--db', primary.url, '--checks', 'duplicate-index', '--json'];
    expect((await runCli([...args, '--fail-on', 'warning'])).code).toBe(1);
    const error = await runCli([...args, '--fail-on', 'error']);
    expect(error.code).toBe(0);
    expect(parseFindings(error.stdout)).toHaveLength(1);
  });

  it('--checks runs only those, --skip-checks leaves those out', async () => {
    const only = parseFindings(
      (await runCli(['health', '--db', primary.url, '--json', '--checks', 'duplicate-index,redundant-index'])).stdout,
    );
    expect(new Set(only.map((f) => f.check))).toEqual(new Set(['duplicate-index']));
    const skipped = parseFindings(
      (await runCli(['health', '--db', primary.url, '--json', '--skip-checks', 'duplicate-index,unused-index'])).stdout,
    );
    expect(skipped.some((f) => f.check === 'duplicate-index' || f.check === 'unused-index')).toBe(false);
    expect(skipped.some((f) => f.check === 'table-without-primary-key')).toBe(false); // t has one
  });

  it('an unknown check id: exit 2 and one line', async () => {
    const result = await runCli(['health', '--db', primary.url, '--checks', 'duplicate-index,no-such-check']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual(['indexwise: unknown check "no-such-check": see indexwise health --list']);
  });

  it('a threshold flag changes the result', async () => {
    const young = parseFindings((await runCli(['health', '--db', primary.url, '--json', '--checks', 'unused-index'])).stdout);
    expect(young.find((f) => f.index === 'public.t_b')).toMatchObject({ severity: 'info', fixSql: null });
    const old = parseFindings(
      (await runCli(['health', '--db', primary.url, '--json', '--checks', 'unused-index', '--min-stats-age-days', '0.0000001'])).stdout,
    );
    expect(old.find((f) => f.index === 'public.t_b')).toMatchObject({ severity: 'warning', fixSql: 'DROP INDEX CONCURRENTLY public.t_b;' });
  });

  it('with a replica (second --db), an index the replica used is not unused', async () => {
    const alone = parseFindings((await runCli(['health', '--db', primary.url, '--json', '--checks', 'unused-index'])).stdout);
    expect(alone.map((f) => f.index)).toContain('public.t_b');
    const both = parseFindings(
      (await runCli(['health', '--db', primary.url, '--db', replica.url, '--json', '--checks', 'unused-index'])).stdout,
    );
    expect(both.map((f) => f.index)).not.toContain('public.t_b');
    expect(both.map((f) => f.index)).toContain('public.t_a_1');
    expect(both[0]?.evidence.databases).toBe(2);
    // 60 scans on the replica are still "unused" under --min-scans 100
    const strict = parseFindings(
      (await runCli(['health', '--db', primary.url, '--db', replica.url, '--json', '--checks', 'unused-index', '--min-scans', '100']))
        .stdout,
    );
    expect(strict.find((f) => f.index === 'public.t_b')?.evidence).toMatchObject({ scans: 60, replicaScans: 60 });
  });
});
