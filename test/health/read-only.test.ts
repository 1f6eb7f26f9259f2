/**
 * `health` needs no more than a monitoring role: pg_read_all_stats, CONNECT and SELECT.
 * Every check runs and finds the same as for a superuser. One documented difference:
 * pgstatindex() needs superuser or pg_stat_scan_tables, so index-bloat estimates from
 * the statistics where a superuser gets exact figures (same indexes, other numbers).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/engines/connect.js';
import { SQLSTATE } from '../../src/errors.js';
import { CHECKS } from '../../src/health/catalogue.js';
import { runHealth } from '../../src/health/run.js';
import type { Finding } from '../../src/model/finding.js';
import { adminUrl, createTestDatabase, hasPostgres, type TestDatabase } from '../helpers/postgres.js';

const SETUP = `
CREATE EXTENSION pgstattuple;
CREATE TABLE parent (id int PRIMARY KEY);
CREATE TABLE t (id int PRIMARY KEY, a int, flag boolean, gone timestamptz, at timestamptz, parent_id int REFERENCES parent, v text);
INSERT INTO parent SELECT generate_series(1, 10);
INSERT INTO t SELECT g, g % 3, g % 2 = 0, CASE WHEN g % 30 = 0 THEN now() END, now(), g % 10 + 1, 'value ' || g
FROM generate_series(1, 30000) g;
CREATE INDEX t_a_1 ON t (a);
CREATE INDEX t_a_2 ON t (a);
CREATE INDEX t_a_at ON t (a, at);
CREATE INDEX t_flag ON t (flag);
CREATE INDEX t_gone ON t (gone);
CREATE INDEX t_at_a ON t (at, a);
CREATE INDEX t_v ON t (v);
CREATE TABLE heap (x int, y int);
INSERT INTO heap SELECT g, g FROM generate_series(1, 20000) g;
DELETE FROM t WHERE id % 10 <> 0;
`;

const THRESHOLDS = {
  'bloat-min-bytes': 100_000,
  'min-table-rows': 1_000,
  'seq-scan-min-rows': 1_000,
  'seq-scan-min-count': 3,
  'min-stats-age-days': 0,
};

/** index-bloat's figures depend on who may call pgstatindex(); everything else must match exactly. */
function comparable(finding: Finding): Finding {
  if (finding.check !== 'index-bloat') return finding;
  return { ...finding, message: '', evidence: { bytes: finding.evidence.bytes } };
}

describe.skipIf(!hasPostgres)('health as a read-only monitoring role', () => {
  const role = `ix_reader_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let db: TestDatabase;
  let admin: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase('read_only');
    await db.sql(SETUP);
    for (const statement of ['VACUUM t', 'ANALYZE', 'SELECT count(*) FROM heap', 'SELECT count(*) FROM heap', 'SELECT count(*) FROM heap'])
      await db.sql(statement);
    await db.sql('CREATE UNIQUE INDEX CONCURRENTLY t_a_unique ON t (a)').catch(() => {}); // fails half-way: an invalid index
    await db.sql('SELECT pg_stat_force_next_flush()');
    admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}' IN ROLE pg_read_all_stats`);
    await db.sql(
      `GRANT CONNECT ON DATABASE ${db.name} TO ${role}; GRANT USAGE ON SCHEMA public TO ${role}; GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`,
    );
  });

  afterAll(async () => {
    await db?.drop();
    await admin?.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
    await admin?.end();
  });

  function readerUrl(): string {
    const url = new URL(db.url);
    url.username = role;
    url.password = password;
    return url.toString();
  }

  it('runs every check and finds the same as the superuser', async () => {
    const superuser = await connect(db.url);
    const reader = await connect(readerUrl());
    try {
      const mine = await runHealth(superuser, { thresholds: THRESHOLDS });
      const theirs = await runHealth(reader, { thresholds: THRESHOLDS });
      const postgresChecks = CHECKS.filter((c) => c.engines.includes('postgres')).map((c) => c.id);
      expect(theirs.checks).toEqual(postgresChecks);
      expect(new Set(mine.findings.map((f) => f.check))).toEqual(new Set(postgresChecks)); // the fixture trips every check
      expect(theirs.findings.map(comparable)).toEqual(mine.findings.map(comparable));
      const bloat = (findings: readonly Finding[]) => findings.filter((f) => f.check === 'index-bloat');
      expect(bloat(mine.findings).every((f) => f.evidence.method === 'pgstattuple')).toBe(true);
      expect(bloat(theirs.findings).every((f) => f.evidence.method === 'estimate')).toBe(true);
    } finally {
      await superuser.close();
      await reader.close();
    }
  });

  it('the role really is read-only', async () => {
    const reader = await connect(readerUrl());
    try {
      await expect(reader.query('CREATE INDEX nope ON t (v)')).rejects.toMatchObject({ sqlState: SQLSTATE.insufficientPrivilege });
    } finally {
      await reader.close();
    }
  });
});
