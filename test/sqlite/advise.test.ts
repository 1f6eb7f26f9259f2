/**
 * advise on real SQLite files, SQLite's planner as the judge: each case of cases.ts
 * (equality, COLLATE NOCASE range, mixed ORDER BY directions, a join, OR branches, a
 * WITHOUT ROWID table, a composite primary key, a trigger, names with spaces) gets the
 * expected indexes or none, and the SQL it prints builds them.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { AdviceReport } from '../../src/model/recommendation.js';
import { CASES } from './cases.js';
import { adviseFile, series, sha256, shapes, sqliteFile } from './fixture.js';

/** The recommendation starts with the expected keys (`table(a, b DESC)`). */
function startsWith(report: AdviceReport, expected: string): boolean {
  const [, table, keys] = /^(.*?)\((.*)\)$/.exec(expected) ?? [];
  return report.recommendations.some((r) => r.index.table.name === table && r.columns.join(', ').startsWith(keys ?? '\u0000'));
}

describe('advise on SQLite: the expected index, or none', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const path = sqliteFile(c.setup);
      const before = sha256(path);
      const report = await adviseFile(path, c.workload);
      expect(sha256(path)).toBe(before);
      expect(report.whatIf).toBe('sqlite-copy');
      expect(report.workload.skipped).toEqual([]);
      if (c.none) expect(shapes(report)).toEqual([]);
      for (const expected of c.expected) expect(startsWith(report, expected), `${expected} in ${shapes(report).join('; ')}`).toBe(true);
      expect(report.recommendations).toHaveLength(c.expected.length);
      // the statements it prints are plain SQLite DDL that builds the indexes
      const db = new Database(path);
      try {
        for (const r of report.recommendations) db.exec(r.sql);
      } finally {
        db.close();
      }
    });
  }
});

describe('advise on SQLite: details', () => {
  it('indexes on expressions: SQLite builds them on the copy and its planner uses them; one it refuses is left out with a note', async () => {
    const path = sqliteFile(`CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT, name TEXT, tenant INTEGER, payload TEXT, at TEXT);
      INSERT INTO people SELECT x, 'User' || x || '@example.com', 'Name' || (x * 7 % 20000), x % 50, json_object('c', x % 5000),
        '2024-01-01' FROM ${series(20_000)};`);
    const report = await adviseFile(
      path,
      [
        'SELECT * FROM people WHERE lower(email) = ?',
        'SELECT * FROM people WHERE email = ?',
        'SELECT * FROM people WHERE tenant = ? ORDER BY lower(name) DESC LIMIT 5',
        "SELECT * FROM people WHERE (payload ->> 'c') = ?",
        'SELECT * FROM people WHERE (tenant + random()) = ?',
      ]
        .map((q) => `-- calls: 50\n${q};`)
        .join('\n'),
    );
    expect(shapes(report).sort()).toEqual(
      ["people((payload ->> 'c'))", 'people((lower(email)))', 'people(email)', 'people(tenant, (lower(name)) DESC)'].sort(),
    );
    // random() is not deterministic: SQLite will not index it
    expect(report.notes.join(' ')).toMatch(/would not create: main\.people\(\(tenant \+ random\(\)\)\) \(non-deterministic/);
    const db = new Database(path);
    try {
      for (const r of report.recommendations) db.exec(r.sql);
      const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM people WHERE lower(email) = ?').all('user5@example.com');
      expect(JSON.stringify(plan)).toContain('USING INDEX idx_people_lower_email (<expr>=?)');
    } finally {
      db.close();
    }
  });

  it('never indexes the rowid, and says how it costed (a copy of the file, ANALYZE there)', async () => {
    const path = sqliteFile(`CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT);
      INSERT INTO t SELECT x, x % 1000, 'b' || x FROM ${series(20_000)};`);
    const report = await adviseFile(
      path,
      '-- calls: 50\nSELECT b FROM t WHERE id = ?;\n-- calls: 50\nSELECT b FROM t WHERE a = ? ORDER BY id;',
    );
    // (a, id) is (a) with the rowid SQLite keeps anyway; (a, b) would hold every column: a second table
    expect(shapes(report)).toEqual(['t(a)']);
    expect(report.notes.join(' ')).toMatch(/copy of the whole file \(VACUUM INTO/);
    expect(report.notes.join(' ')).toMatch(/lacks statistics .* ANALYZE ran on the copy/);
  });

  it('a file over the copy limit is costed on a sampled copy with its statistics, and says so', async () => {
    const path = sqliteFile(`CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT);
      INSERT INTO t SELECT x, x % 2000, 'b' || x FROM ${series(40_000)}; ANALYZE;`);
    const report = await adviseFile(path, '-- calls: 50\nSELECT b FROM t WHERE a = ?;', {
      whatIfOptions: { copyLimitBytes: 1024, sampleRows: 5_000 },
    });
    expect(report.notes.join(' ')).toMatch(/larger than the copy limit .* its sqlite_stat1 statistics and the first 5000 rows/);
    expect(shapes(report)).toEqual(['t(a)']);
    // the size is scaled to the whole table: about 8 times the sample's
    expect(report.recommendations[0]?.estimatedBytes).toBeGreaterThan(250_000);
  });

  it('an ORDER BY with COLLATE NOCASE gets a key in that collation, so no temp b-tree sorts', async () => {
    const path = sqliteFile(`CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, city TEXT, note TEXT);
      INSERT INTO people SELECT x, 'Name' || (x * 7 % 20000), 'City' || (x % 30), 'n' || x FROM ${series(20_000)};`);
    const report = await adviseFile(
      path,
      '-- calls: 50\nSELECT id, name FROM people WHERE city = ? ORDER BY name COLLATE NOCASE DESC LIMIT 20;',
    );
    expect(shapes(report)).toEqual(['people(city, name COLLATE NOCASE DESC)']);
    expect(report.recommendations[0]?.sql).toMatch(
      /^CREATE INDEX idx_people_city_name_[0-9a-f]{6} ON people \(city, name COLLATE NOCASE DESC\)$/,
    );
  });

  it('every parameter style and backticks; an INSERT OR REPLACE counts as a write', async () => {
    const path = sqliteFile(`CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT, c INTEGER);
      INSERT INTO t SELECT x, x % 3000, 'b' || (x % 777), x % 5 FROM ${series(30_000)};`);
    const workload = [
      'SELECT id FROM t WHERE a = ?;',
      'SELECT id FROM `t` WHERE b = ?2 AND c = ?1;',
      'SELECT id FROM t WHERE a = :a AND c = @c;',
      'SELECT id FROM t WHERE b = $b LIMIT 5, 10;',
      'INSERT OR REPLACE INTO t (id, a, b, c) VALUES (?, ?, ?, ?);',
    ].join('\n');
    const report = await adviseFile(path, workload);
    expect(report.workload.skipped).toEqual([]);
    expect(report.queries).toHaveLength(4);
    expect(report.queries.every((q) => q.costAfter < q.costBefore)).toBe(true);
  });
});
