/**
 * unused-by-workload on a real SQLite file: an index no plan of the workload reads is
 * reported with its definition and a DROP INDEX; one a query or a trigger's statement
 * reads is not; unique, primary-key and foreign-key indexes never are; no workload, no
 * findings. The file is never written.
 */
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/engines/connect.js';
import { runHealth } from '../../src/health/run.js';
import { series, sha256, sqliteFile } from '../sqlite/fixture.js';
import { workloadFromSql } from '../helpers/workload.js';

const SETUP = `
CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER REFERENCES teams (id), email TEXT UNIQUE, nick TEXT, city TEXT, score INTEGER);
CREATE TABLE audit (id INTEGER PRIMARY KEY, member_id INTEGER, at TEXT);
CREATE INDEX members_team ON members (team_id);
CREATE INDEX members_nick ON members (nick);
CREATE INDEX members_city ON members (city);
CREATE INDEX "members score" ON members (score);
CREATE INDEX audit_member ON audit (member_id);
CREATE TRIGGER members_audit AFTER UPDATE OF score ON members BEGIN
  DELETE FROM audit WHERE member_id = OLD.id;
END;
INSERT INTO teams SELECT x, 'Team ' || x FROM ${series(50)};
INSERT INTO members SELECT x, 1 + x % 50, 'm' || x || '@example.com', 'nick' || x, 'city' || (x % 90), x % 1000 FROM ${series(5000)};
INSERT INTO audit SELECT x, 1 + x % 5000, date('2024-01-01', '+' || (x % 300) || ' days') FROM ${series(5000)};
ANALYZE;`;

const WORKLOAD = `
SELECT id, nick FROM members WHERE nick = ?;
UPDATE members SET score = score + 1 WHERE id = ?;`;

async function run(path: string, workload: string | null) {
  const engine = await connect(`sqlite:${path}`);
  try {
    const options =
      workload === null
        ? { checks: ['unused-by-workload'] }
        : { checks: ['unused-by-workload'], workload: await workloadFromSql(workload) };
    return (await runHealth(engine, options)).findings;
  } finally {
    await engine.close();
  }
}

describe('unused-by-workload on SQLite', () => {
  it('reports what no plan reads, never what a query, a trigger, a constraint or a foreign key needs', async () => {
    const path = sqliteFile(SETUP);
    const before = sha256(path);
    const findings = await run(path, WORKLOAD);
    expect(findings.map((f) => f.index).sort()).toEqual(['main."members score"', 'main.members_city']);
    const city = findings.find((f) => f.index === 'main.members_city');
    expect(city).toMatchObject({
      check: 'unused-by-workload',
      severity: 'warning',
      table: 'main.members',
      fixSql: 'DROP INDEX members_city;',
    });
    expect(city?.evidence.definition).toBe('CREATE INDEX members_city ON members (city)');
    expect(city?.evidence.statementsPlanned).toBe(3);
    expect(sha256(path)).toBe(before);
  });

  it('without a workload: no findings (SQLite has no usage counters)', async () => {
    expect(await run(sqliteFile(SETUP), null)).toEqual([]);
  });
});
